import { useState } from 'preact/hooks';
import { toProblem } from '../api/client.js';
import type { Problem } from '../api/types.js';

/** How the latest action ended: done (with a sentence), or refused with the API's problem. */
export type ActionOutcome =
  | { readonly kind: 'done'; readonly text: string }
  | { readonly kind: 'refused'; readonly action: string; readonly problem: Problem };

export interface ActionRunner {
  /** The action being sent ("Pause"), or null. */
  readonly busy: string | null;
  readonly outcome: ActionOutcome | null;
  /** Sends one action; the API decides, and its answer becomes the outcome. */
  readonly run: (action: string, done: string, call: () => Promise<unknown>) => Promise<void>;
}

/**
 * One group of action buttons' state: one action at a time, its outcome kept until the next.
 * `onChanged` runs after every answer (accepted or refused), so the page shows what is now true.
 */
export function useAction(onChanged: () => void): ActionRunner {
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const run = async (action: string, done: string, call: () => Promise<unknown>) => {
    setBusy(action);
    setOutcome(null);
    try {
      await call();
      setOutcome({ kind: 'done', text: done });
    } catch (error) {
      setOutcome({ kind: 'refused', action, problem: toProblem(error) });
    } finally {
      setBusy(null);
      onChanged();
    }
  };
  return { busy, outcome, run };
}
