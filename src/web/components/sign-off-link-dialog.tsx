import { useEffect, useRef, useState } from 'preact/hooks';
import { toProblem } from '../api/client.js';
import { issueSignOffLink } from '../api/control-endpoints.js';
import type { CriterionReadiness, IssuedSignOffLink } from '../api/control-types.js';
import type { Problem } from '../api/types.js';
import { useSession } from '../app/session.js';
import { IssuedLink } from './issued-link.js';
import { ProblemView } from './problem-view.js';

const EXPIRIES = [
  ['1h', '1 hour'],
  ['24h', '1 day'],
  ['72h', '3 days'],
  ['7d', '7 days'],
  ['30d', '30 days'],
] as const;

/**
 * Issues a client sign-off link for one approval criterion (POST …/sign-off-links): who the
 * client is, how long it works, a note shown on its page; then the URL, once.
 */
export function SignOffLinkDialog({
  clientId,
  criterion,
  onIssued,
  onClose,
}: {
  clientId: string;
  criterion: CriterionReadiness;
  onIssued: () => void;
  onClose: () => void;
}) {
  const { api } = useSession();
  const dialog = useRef<HTMLDialogElement>(null);
  const [approverName, setApproverName] = useState('');
  const [expiresIn, setExpiresIn] = useState('72h');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [issued, setIssued] = useState<IssuedSignOffLink | null>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const issue = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setIssued(
        await issueSignOffLink(api, clientId, {
          criterion: criterion.criterionId,
          expiresIn,
          ...(approverName.trim() === '' ? {} : { approverName: approverName.trim() }),
          ...(note.trim() === '' ? {} : { note: note.trim() }),
        }),
      );
      onIssued();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog ref={dialog} class="action-dialog" aria-labelledby="sign-off-title" onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          void issue();
        }}
      >
        <h2 id="sign-off-title">Sign-off link for “{criterion.description}”</h2>
        {issued === null ? (
          <>
            <label for="sign-off-approver">Client's name (optional)</label>
            <input
              id="sign-off-approver"
              type="text"
              maxLength={100}
              value={approverName}
              onInput={(event) => setApproverName(event.currentTarget.value)}
            />
            <label for="sign-off-expires">Works for</label>
            <select
              id="sign-off-expires"
              value={expiresIn}
              onChange={(event) => setExpiresIn(event.currentTarget.value)}
            >
              {EXPIRIES.map(([value, text]) => (
                <option key={value} value={value}>
                  {text}
                </option>
              ))}
            </select>
            <label for="sign-off-note">Note shown to the client (optional)</label>
            <textarea
              id="sign-off-note"
              rows={2}
              maxLength={1_000}
              value={note}
              onInput={(event) => setNote(event.currentTarget.value)}
            />
            {problem === null ? null : <ProblemView problem={problem} />}
          </>
        ) : (
          <IssuedLink link={issued} />
        )}
        <div class="dialog-buttons">
          {issued === null ? (
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Issuing…' : 'Issue link'}
            </button>
          ) : null}
          <button type="button" onClick={() => dialog.current?.close()}>
            {issued === null ? 'Cancel' : 'Done'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
