/** A labelled input with its problems below it, tied to it for screen readers. */
export function TextField({
  id,
  label,
  value,
  onInput,
  errors = [],
  type = 'text',
  placeholder,
  hint,
  required = false,
}: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  errors?: readonly string[] | undefined;
  type?: 'text' | 'datetime-local';
  placeholder?: string;
  hint?: string;
  required?: boolean;
}) {
  const described = [
    hint === undefined ? null : `${id}-hint`,
    errors.length > 0 ? `${id}-errors` : null,
  ]
    .filter((part) => part !== null)
    .join(' ');
  // Preact's types tie `type` to the attributes each allows, so each kind is its own element.
  const attributes = {
    id,
    value,
    placeholder,
    'aria-required': required,
    'aria-invalid': errors.length > 0,
    'aria-describedby': described === '' ? undefined : described,
    onInput: (event: { currentTarget: HTMLInputElement }) => onInput(event.currentTarget.value),
  };
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required ? ' (required)' : ''}
      </label>
      {type === 'text' ? (
        <input type="text" {...attributes} />
      ) : (
        <input type="datetime-local" {...attributes} />
      )}
      {hint === undefined ? null : (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {errors.length === 0 ? null : (
        <ul id={`${id}-errors`} class="field-error">
          {errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
