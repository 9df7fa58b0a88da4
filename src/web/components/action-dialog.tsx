import { useEffect, useRef, useState } from 'preact/hooks';

export interface ActionDialogProps {
  readonly title: string;
  /** What the text box asks for ("Why roll back?"). */
  readonly prompt: string;
  /** A reason is required; a comment may be left empty. */
  readonly required: boolean;
  /** The confirming buttons: label and what it does with the text. */
  readonly choices: readonly { readonly label: string; readonly run: (text: string) => void }[];
  readonly onClose: () => void;
}

/**
 * A modal dialog (the native <dialog>: focus stays inside, Escape closes it) asking for a
 * reason or comment before an action is sent.
 */
export function ActionDialog({ title, prompt, required, choices, onClose }: ActionDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const choose = (run: (text: string) => void) => {
    const trimmed = text.trim();
    if (required && trimmed === '') {
      setMissing(true);
      return;
    }
    dialog.current?.close();
    run(trimmed);
  };
  return (
    <dialog
      ref={dialog}
      class="action-dialog"
      aria-labelledby="action-dialog-title"
      onClose={onClose}
    >
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          const first = choices[0];
          if (first !== undefined) {
            choose(first.run);
          }
        }}
      >
        <h2 id="action-dialog-title">{title}</h2>
        <label for="action-dialog-text">
          {prompt}
          {required ? ' (required)' : ' (optional)'}
        </label>
        <textarea
          id="action-dialog-text"
          rows={3}
          maxLength={1_000}
          value={text}
          aria-required={required}
          aria-invalid={missing}
          aria-describedby={missing ? 'action-dialog-missing' : undefined}
          onInput={(event) => {
            setText(event.currentTarget.value);
            setMissing(false);
          }}
        />
        {missing ? (
          <p id="action-dialog-missing" class="field-error">
            Please give a reason.
          </p>
        ) : null}
        <div class="dialog-buttons">
          {choices.map((choice, index) => (
            <button
              key={choice.label}
              type={index === 0 ? 'submit' : 'button'}
              class={index === 0 ? 'primary' : ''}
              onClick={index === 0 ? undefined : () => choose(choice.run)}
            >
              {choice.label}
            </button>
          ))}
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
