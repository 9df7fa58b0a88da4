import { CommanderError, InvalidArgumentError, type Command } from 'commander';
import { isSlug, parseDuration, SLUG_RULE } from '../domain/index.js';
import { EXIT_CODES } from './exit-codes.js';

/**
 * Parsers for the client commands' arguments and options: each value is checked before any
 * request, and commander names the argument or option in its one-line error.
 */

/** A client id, criterion id or playbook name: the domain's slug rule. */
export function slug(value: string): string {
  if (!isSlug(value)) {
    throw new InvalidArgumentError(`"${value}" is not a valid id: it ${SLUG_RULE}.`);
  }
  return value;
}

/** A unit of work id as the API prints it, e.g. `j-1.sandbox.setup.1`. */
export function workId(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(value)) {
    throw new InvalidArgumentError(
      `"${value}" is not a unit of work id (letters, digits, . _ : -, at most 128).`,
    );
  }
  return value;
}

/** Why, in words, for the audit trail: not blank, at most 1,000 characters (the API's bound). */
export function reason(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 1_000) {
    throw new InvalidArgumentError('give a reason of 1 to 1000 characters.');
  }
  return trimmed;
}

/** A comment of at most 2,000 characters (the API's bound). */
export function comment(value: string): string {
  if (value.length > 2_000) {
    throw new InvalidArgumentError('a comment has at most 2000 characters.');
  }
  return value;
}

/** A whole number from `min` to `max`. */
export function integerFrom(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    }
    return parsed;
  };
}

/** Commander's own refusals of the command line: unknown option, missing argument, bad value. */
const USAGE_ERRORS: ReadonlySet<string> = new Set([
  'commander.excessArguments',
  'commander.invalidArgument',
  'commander.missingArgument',
  'commander.missingMandatoryOptionValue',
  'commander.optionMissingArgument',
  'commander.unknownOption',
  'commander.conflictingOption',
]);

/**
 * Makes a client command end with EX_USAGE (64) on a bad command line, like any other bad
 * setting, instead of commander's 1. Commander's errors are thrown; main.ts turns a thrown
 * CommanderError into the process's exit code.
 */
export function exitWithUsageCode(command: Command): Command {
  return command.exitOverride((error) => {
    throw USAGE_ERRORS.has(error.code)
      ? new CommanderError(EXIT_CODES.usage, error.code, error.message)
      : error;
  });
}

/** An outlet's name as the outlets file gives it (lower-case letters, digits, _ or -). */
export function outletName(value: string): string {
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(value)) {
    throw new InvalidArgumentError(
      `"${value}" is not an outlet name (lower-case letters, digits, _ or -, at most 63).`,
    );
  }
  return value;
}

/** An event id (a UUID as the API prints it; letters, digits, . _ : -). */
export function eventId(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(value)) {
    throw new InvalidArgumentError(
      `"${value}" is not an event id (letters, digits, . _ : -, at most 128).`,
    );
  }
  return value;
}

/** A freeze window's id (letters, digits, . _ : -, at most 128), as the API takes it. */
export function freezeId(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(value)) {
    throw new InvalidArgumentError(
      `"${value}" is not a freeze id (letters, digits, . _ : -, at most 128).`,
    );
  }
  return value;
}

/** A duration as playbooks write it (`72h`, `30m`, `1d12h`), within `min` to `max` ms. */
export function durationWithin(min: number, max: number, range: string): (value: string) => string {
  return (value) => {
    const millis = parseDuration(value);
    if (millis === undefined || millis < min || millis > max) {
      throw new InvalidArgumentError(`expected a duration from ${range}, e.g. 72h, 30m or 1d12h.`);
    }
    return value;
  };
}

/** An IANA time zone this Node knows (`Europe/Berlin`, `UTC`). */
export function timeZone(value: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    throw new InvalidArgumentError(`"${value}" is not an IANA time zone, e.g. Europe/Berlin.`);
  }
  return value;
}

/** One line of text from 1 to `max` characters (a name, a note, a description). */
export function lineOfText(max: number): (value: string) => string {
  return (value) => {
    const trimmed = value.trim();
    if (trimmed === '' || trimmed.length > max || /\p{Cc}/u.test(trimmed)) {
      throw new InvalidArgumentError(`give one line of 1 to ${max} characters.`);
    }
    return trimmed;
  };
}

/** A one-off window's bound: an ISO 8601 date-time, with or without an offset. */
export function dateTime(value: string): string {
  if (
    value.length > 200 ||
    !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/.test(value)
  ) {
    throw new InvalidArgumentError(
      `"${value}" is not an ISO 8601 date-time, e.g. 2026-12-20T00:00 or 2026-12-20T00:00Z.`,
    );
  }
  return value;
}
