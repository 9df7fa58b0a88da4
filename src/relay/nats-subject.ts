import { CLOUD_EVENT_TYPE_PREFIX } from './cloud-event.js';

/**
 * The NATS subject an event is published to, from a template such as `journeys.events.{type}`.
 *
 * `{type}` (the domain event type, e.g. `StagePromoted`) is the only placeholder. Values that
 * come from users (a client id, a stage's free-form name) are left out on purpose: they may
 * hold dots, spaces or wildcards that would split or break a subject, and one subject per
 * client would grow the subject space without bound. Consumers filter on the envelope instead.
 */
const SUBJECT_PLACEHOLDERS = ['type'] as const;

export const DEFAULT_SUBJECT_TEMPLATE = 'journeys.events.{type}';

export interface SubjectTemplate {
  readonly template: string;
  /** The subject of an event of this domain type; null when it is no legal subject. */
  render(eventType: string): string | null;
  /**
   * What a stream must listen on to capture every rendered subject: the literal tokens before
   * the first placeholder followed by `>` (`journeys.events.>`), or the template itself when it
   * has no placeholder. Null when the first token holds a placeholder (no literal prefix).
   */
  readonly streamSubject: string | null;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Parses and checks a template; throws a RangeError saying what is wrong with it. */
export function parseSubjectTemplate(template: string): SubjectTemplate {
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!(SUBJECT_PLACEHOLDERS as readonly string[]).includes(name ?? '')) {
      throw new RangeError(
        `NATS subject template "${template}": unknown placeholder {${name ?? ''}} (known: ${SUBJECT_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
      );
    }
  }
  // Any event type is letters and digits, so a sample stands for all of them.
  const sample = fill(template, 'StagePromoted');
  const problem = subjectProblem(sample);
  if (problem !== null) {
    throw new RangeError(`NATS subject template "${template}" gives "${sample}": ${problem}`);
  }
  const tokens = template.split('.');
  const firstVariable = tokens.findIndex((token) => token.includes('{'));
  return Object.freeze({
    template,
    render: (eventType: string) => {
      const subject = fill(template, eventType);
      return subjectProblem(subject) === null ? subject : null;
    },
    streamSubject:
      firstVariable === -1
        ? template
        : firstVariable === 0
          ? null
          : [...tokens.slice(0, firstVariable), '>'].join('.'),
  });
}

/**
 * Why `subject` cannot be published to, or null when it can: dot-separated non-empty tokens,
 * no whitespace or control characters, and no wildcards (`*`, `>` only make sense to subscribers).
 */
export function subjectProblem(subject: string): string | null {
  if (subject === '') {
    return 'a subject cannot be empty';
  }
  if (/[\s\p{Cc}]/u.test(subject)) {
    return 'a subject cannot hold spaces or control characters';
  }
  if (/[*>]/.test(subject)) {
    return 'a published subject cannot hold the wildcards * or >';
  }
  if (subject.split('.').some((token) => token === '')) {
    return 'a subject cannot have an empty token (a leading, trailing or double dot)';
  }
  return null;
}

/**
 * The domain event type inside a CloudEvents `type`: `journey-orchestrator.StagePromoted.v1`
 * -> `StagePromoted` (the inverse of `cloudEventType`, whatever the version suffix, so a dead
 * letter replayed after a version bump still finds its subject).
 */
export function domainEventType(cloudEventType: string): string {
  const unprefixed = cloudEventType.startsWith(CLOUD_EVENT_TYPE_PREFIX)
    ? cloudEventType.slice(CLOUD_EVENT_TYPE_PREFIX.length)
    : cloudEventType;
  return unprefixed.replace(/\.v\d+$/, '');
}

function fill(template: string, eventType: string): string {
  return template.replace(PLACEHOLDER, () => eventType);
}
