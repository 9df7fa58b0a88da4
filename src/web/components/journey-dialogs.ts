import type { ActionDialogProps } from './action-dialog.js';

/** The dialog of one journey action, without its close handler. */
export type DialogSpec = Omit<ActionDialogProps, 'onClose'>;

/** A dialog with one confirming button that asks for a reason (required unless told). */
export function reasonDialog(
  title: string,
  prompt: string,
  confirm: string,
  send: (reason: string) => void,
  required = true,
): DialogSpec {
  return { title, prompt, required, choices: [{ label: confirm, run: send }] };
}

export const pauseDialog = (clientId: string, send: (reason: string) => void): DialogSpec =>
  reasonDialog(`Pause the journey of ${clientId}`, 'Why pause?', 'Pause journey', send);

export const resumeDialog = (clientId: string, send: (reason: string) => void): DialogSpec =>
  reasonDialog(`Resume the journey of ${clientId}`, 'Why resume?', 'Resume journey', send, false);

export const overrideFreezeDialog = (target: string, send: (reason: string) => void): DialogSpec =>
  reasonDialog(
    `Promote to ${target} through the freeze`,
    'Why override the freeze?',
    'Override freeze and promote',
    send,
  );

/** Revoking a sign-off link: the API takes an optional reason, kept with the link. */
export const revokeLinkDialog = (forWhom: string, send: (reason: string) => void): DialogSpec =>
  reasonDialog(
    `Revoke the sign-off link for ${forWhom}`,
    'Why revoke it?',
    'Revoke link',
    send,
    false,
  );
