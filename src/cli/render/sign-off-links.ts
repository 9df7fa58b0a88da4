import type { IssuedSignOffLinkView, SignOffLinkList } from '../client/views.js';
import { clip, formatInstant } from './format.js';
import type { Style } from './style.js';
import { table } from './table.js';

/** `journey sign-off-links <clientId>`: one row per link issued for the journey, oldest first. */
export function renderSignOffLinks(list: SignOffLinkList, style: Style): string {
  if (list.items.length === 0) {
    return 'no sign-off link was issued for this journey\n';
  }
  const rows = list.items.map((link) => [
    link.linkId,
    link.criterion,
    link.stage,
    statusOf(link, style),
    link.approverName ?? '-',
    `${formatInstant(link.issuedAt)} by ${link.issuedBy}`,
    formatInstant(link.expiresAt),
    clip(detailOf(link), 60),
  ]);
  return table(
    [
      'LINK ID',
      'CRITERION',
      'STAGE',
      'STATUS',
      'APPROVER',
      'ISSUED (UTC)',
      'EXPIRES (UTC)',
      'NOTE',
    ],
    rows,
  );
}

function statusOf(link: IssuedSignOffLinkView, style: Style): string {
  switch (link.status) {
    case 'open':
      return style.green('open');
    case 'used':
      return link.decision === 'rejected' ? style.red('used') : style.green('used');
    case 'revoked':
      return style.red('revoked');
    case 'expired':
    case 'stale':
      return style.dim(link.status);
  }
}

/** What happened to the link, in a few words. */
function detailOf(link: IssuedSignOffLinkView): string {
  switch (link.status) {
    case 'used':
      return `${link.decision ?? 'decided'} at ${formatInstant(link.usedAt)}`;
    case 'revoked':
      return `by ${link.revokedBy ?? '?'} at ${formatInstant(link.revokedAt)}${link.revokeReason === null ? '' : `: ${link.revokeReason}`}`;
    case 'stale':
      return `the journey left this ${link.stage} visit`;
    case 'expired':
    case 'open':
      return link.note ?? '';
  }
}
