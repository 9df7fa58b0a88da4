import type { Label } from '../model/labels.js';

/** A state as symbol + word, coloured by tone: it reads the same without colour. */
export function LabelBadge({ label, detail }: { label: Label; detail?: string }) {
  return (
    <span class={`badge tone-${label.tone}`}>
      <span aria-hidden="true">{label.symbol}</span> {label.text}
      {detail === undefined ? null : <span class="badge-detail"> · {detail}</span>}
    </span>
  );
}
