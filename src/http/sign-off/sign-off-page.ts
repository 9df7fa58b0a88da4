import { createHash } from 'node:crypto';
import type { SignOffLink } from '../../application/ports.js';
import type { SignOffRefusal } from './sign-offs.js';

/**
 * The sign-off pages: plain server-rendered HTML, one small stylesheet inline (allowed by its
 * hash in the CSP), no script, no external resource; a form that POSTs back to the same URL.
 */

const STYLE = `
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
main{max-width:34rem;margin:0 auto;padding:1.5rem 1rem}
.card{background:#fff;border-radius:.75rem;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.35rem;margin:0 0 1rem}
dl{margin:0 0 1rem}dt{font-size:.85rem;color:#5b6475}dd{margin:0 0 .6rem;font-weight:600}
.note{background:#eef3ff;border-radius:.5rem;padding:.75rem;margin:0 0 1rem;white-space:pre-wrap}
label{display:block;font-size:.9rem;margin:0 0 .25rem}
textarea{box-sizing:border-box;width:100%;min-height:6rem;font:inherit;padding:.5rem;border:1px solid #b8bfcc;border-radius:.5rem}
.actions{display:flex;gap:.75rem;margin-top:1rem;flex-wrap:wrap}
button{flex:1 1 10rem;font:inherit;font-weight:600;padding:.8rem 1rem;border:0;border-radius:.5rem;cursor:pointer}
.approve{background:#1a7f37;color:#fff}.reject{background:#fff;color:#b42318;border:2px solid #b42318}
.muted{color:#5b6475;font-size:.85rem}
`.trim();

/** The Content-Security-Policy of every sign-off page. */
export const SIGN_OFF_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface SignOffPage {
  readonly status: number;
  readonly html: string;
}

/** The page a valid link shows: what is being approved, and the two buttons. */
export function decisionPage(view: {
  readonly link: SignOffLink;
  readonly description: string;
}): SignOffPage {
  const { link, description } = view;
  const note = link.note === null ? '' : `<p class="note">${escapeHtml(link.note)}</p>`;
  const name =
    link.approverName === null
      ? ''
      : `<dt>Signing as</dt><dd>${escapeHtml(link.approverName)}</dd>`;
  return {
    status: 200,
    html: layout(
      'Sign-off requested',
      `<dl>
<dt>Client</dt><dd>${escapeHtml(link.clientId)}</dd>
<dt>Stage</dt><dd>${escapeHtml(link.stage)}</dd>
<dt>You are asked to decide</dt><dd>${escapeHtml(description)}</dd>
${name}</dl>
${note}<form method="post">
<label for="comment">Comment (optional)</label>
<textarea id="comment" name="comment" maxlength="2000"></textarea>
<div class="actions">
<button class="approve" type="submit" name="decision" value="approved">Approve</button>
<button class="reject" type="submit" name="decision" value="rejected">Reject</button>
</div>
</form>
<p class="muted">This link works once and expires ${escapeHtml(link.expiresAt)}.</p>`,
    ),
  };
}

export function recordedPage(view: {
  readonly link: SignOffLink;
  readonly description: string;
  readonly decision: 'approved' | 'rejected';
}): SignOffPage {
  const verb = view.decision === 'approved' ? 'approval' : 'rejection';
  return {
    status: 200,
    html: layout(
      'Thank you',
      `<p>Your ${verb} of <strong>${escapeHtml(view.description)}</strong> for ${escapeHtml(view.link.clientId)} (${escapeHtml(view.link.stage)}) is recorded.</p>
<p class="muted">You can close this page. The link cannot be used again.</p>`,
    ),
  };
}

/** A refused link: a clear sentence and a 4xx status. */
export function refusalPage(refusal: SignOffRefusal): SignOffPage {
  switch (refusal.kind) {
    case 'invalid':
      return {
        status: 403,
        html: layout(
          'This link is not valid',
          '<p>The link is incomplete or was changed. Copy the whole link from the message you received, or ask for a new one.</p>',
        ),
      };
    case 'expired':
      return {
        status: 410,
        html: layout(
          'This link has expired',
          `<p>It was valid until ${escapeHtml(refusal.link.expiresAt)}. Ask for a new link.</p>`,
        ),
      };
    case 'used':
      return {
        status: 410,
        html: layout(
          'This link was already used',
          `<p>A decision was recorded with it${refusal.link.usedAt === null ? '' : ` at ${escapeHtml(refusal.link.usedAt)}`}. Each link works once; ask for a new one to decide again.</p>`,
        ),
      };
    case 'revoked':
      return {
        status: 410,
        html: layout(
          'This link was revoked',
          `<p>It was withdrawn${refusal.link.revocation === null ? '' : ` at ${escapeHtml(refusal.link.revocation.revokedAt)}`} and can no longer be used. Nothing was recorded; ask for a new link if you still need to decide.</p>`,
        ),
      };
    case 'moved_on':
      return {
        status: 409,
        html: layout(
          'This sign-off is no longer open',
          `<p>The journey of ${escapeHtml(refusal.link.clientId)} has left the ${escapeHtml(refusal.link.stage)} stage this link was issued for. Nothing was recorded.</p>`,
        ),
      };
  }
}

/** A form that could not be read (no decision, an over-long comment). */
export function badFormPage(reason: string): SignOffPage {
  return {
    status: 400,
    html: layout(
      'The form could not be read',
      `<p>${escapeHtml(reason)} Go back and try again.</p>`,
    ),
  };
}

/** The decision could not be recorded (a refusal of the domain, e.g. the policy changed). */
export function failurePage(status: number, reason: string): SignOffPage {
  return {
    status,
    html: layout(
      'Your decision was not recorded',
      `<p>${escapeHtml(reason)}</p><p class="muted">Nothing was recorded; the link can be used again.</p>`,
    ),
  };
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main><div class="card">
<h1>${escapeHtml(title)}</h1>
${body}
</div></main></body>
</html>
`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
