import { useState } from 'preact/hooks';
import { toProblem } from '../api/client.js';
import { addFreeze } from '../api/control-endpoints.js';
import type { Problem } from '../api/types.js';
import { useSession } from '../app/session.js';
import {
  emptyFreezeForm,
  freezeProblemsOf,
  freezeRequestOf,
  NO_FREEZE_PROBLEMS,
  type FreezeField,
  type FreezeFormValues,
  type FreezeKind,
} from '../model/freeze-form.js';
import { ProblemView } from './problem-view.js';
import { TextField } from './text-field.js';

const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Adds a fleet-wide freeze (admin): one-off from/to, or recurring (cron schedule + duration),
 * in a time zone. The server validates; its problems are shown at the fields they are about.
 */
export function FreezeForm({ onAdded }: { onAdded: (freezeId: string) => void }) {
  const { api } = useSession();
  const [values, setValues] = useState<FreezeFormValues>(() => emptyFreezeForm(localZone()));
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const problems = problem === null ? NO_FREEZE_PROBLEMS : freezeProblemsOf(problem);
  const set = (field: FreezeField) => (value: string) => setValues({ ...values, [field]: value });
  const setKind = (kind: FreezeKind) => setValues({ ...values, kind });
  const submit = async () => {
    setBusy(true);
    setProblem(null);
    setAdded(null);
    try {
      await addFreeze(api, freezeRequestOf(values));
      onAdded(values.id.trim());
      setAdded(values.id.trim());
      setValues(emptyFreezeForm(values.timezone));
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const field = (
    name: FreezeField,
    label: string,
    extra: Partial<Parameters<typeof TextField>[0]> = {},
  ) => (
    <TextField
      id={`freeze-${name}`}
      label={label}
      value={values[name]}
      onInput={set(name)}
      errors={problems.byField[name]}
      {...extra}
    />
  );
  return (
    <form
      class="freeze-form"
      aria-labelledby="freeze-form-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id="freeze-form-heading">Add a freeze</h3>
      {field('id', 'Id', {
        required: true,
        placeholder: 'year-end',
        hint: 'letters, digits, . _ : -',
      })}
      {field('description', 'Description')}
      <fieldset class="freeze-kind">
        <legend>When</legend>
        {(['one-off', 'recurring'] as const).map((kind) => (
          <label key={kind} class="radio">
            <input
              type="radio"
              name="freeze-kind"
              value={kind}
              checked={values.kind === kind}
              onChange={() => setKind(kind)}
            />{' '}
            {kind === 'one-off' ? 'Once, from … to …' : 'Recurring, on a schedule'}
          </label>
        ))}
      </fieldset>
      {values.kind === 'one-off' ? (
        <>
          {field('from', 'From', { type: 'datetime-local', required: true })}
          {field('to', 'To', { type: 'datetime-local', required: true })}
        </>
      ) : (
        <>
          {field('schedule', 'Schedule (cron, each start)', {
            required: true,
            placeholder: '0 18 * * 5',
            hint: '5 or 6 cron fields, e.g. 0 18 * * 5 for Fridays at 18:00',
          })}
          {field('duration', 'Duration', { required: true, placeholder: '60h' })}
        </>
      )}
      {field('timezone', 'Time zone (IANA)', { hint: 'the times above are read in it' })}
      {field('reason', 'Reason')}
      {problem === null ? null : (
        <>
          <ProblemView problem={problem} />
          {problems.general.length === 0 || problem.errors !== undefined ? null : (
            <ul class="field-error">
              {problems.general.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </>
      )}
      <p aria-live="polite">
        {added === null ? null : <span class="notice success">Added freeze “{added}”.</span>}
      </p>
      <div class="dialog-buttons">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add freeze'}
        </button>
      </div>
    </form>
  );
}
