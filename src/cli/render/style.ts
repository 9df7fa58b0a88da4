/**
 * Colours for human output, as ANSI SGR codes. Only on a terminal and without NO_COLOR
 * (no-color.org); written by hand because `util.styleText` needs Node 20.12 and we support 20.
 */
export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
}

const sgr =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const plain = (text: string): string => text;

export const COLOURS: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
};

export const NO_COLOURS: Style = {
  bold: plain,
  dim: plain,
  red: plain,
  green: plain,
  yellow: plain,
  cyan: plain,
};

// eslint-disable-next-line no-control-regex -- matching the escape codes is the point
const SGR_CODE = /\u001b\[\d+m/g;

/** The width a terminal shows: escape codes take no room. */
export function visibleLength(text: string): number {
  return text.replace(SGR_CODE, '').length;
}

/** A colour for each outcome people scan for: green went well, red did not, yellow waits. */
export function toneOf(style: Style, word: string): (text: string) => string {
  switch (word) {
    case 'succeeded':
    case 'passed':
    case 'completed':
    case 'approved':
    case 'ready_to_promote':
      return style.green;
    case 'failed':
    case 'rejected':
    case 'blocked':
    case 'cancelled':
      return style.red;
    case 'running':
    case 'setting_up':
    case 'validating':
    case 'rolling_back':
    case 'inconclusive':
    case 'waiting_retry':
    case 'rollback':
      return style.yellow;
    default:
      return plain;
  }
}
