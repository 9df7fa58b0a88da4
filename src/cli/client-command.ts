import { CommanderError, type Command } from 'commander';
import { ConfigError, toError } from '../application/errors.js';
import type { Environment } from '../config/env.js';
import { MissingTokenError, resolveClientSettings, type ClientOptions } from './client-options.js';
import { ApiClient } from './client/api-client.js';
import {
  ApiProblemError,
  ServerUnreachableError,
  UnexpectedAnswerError,
} from './client/api-errors.js';
import type { CommandContext } from './context.js';
import { EXIT_CODES } from './exit-codes.js';
import { errorWriterOf, isTerminal, writerOf } from './output.js';
import { COLOURS, NO_COLOURS, type Style } from './render/style.js';

/** What the client commands need from the program around them. */
export interface ClientCommandSettings {
  /** The environment, read once by `buildProgram` (JOURNEY_URL, JOURNEY_TOKEN, NO_COLOR). */
  readonly environment: Environment;
}

/** Where a client command writes, and how. */
export interface Output {
  /** `--json`: the API's JSON, nothing else, on standard output. */
  readonly json: boolean;
  readonly style: Style;
  readonly write: (text: string) => void;
  /** Notes for people (progress, hints) that must not mix with `--json` output. */
  readonly note: (text: string) => void;
  readonly printJson: (value: unknown) => void;
}

/** One client command's run: the API client and the output. */
export interface ClientRun {
  readonly client: ApiClient;
  readonly out: Output;
}

/**
 * Runs a client command's body. A refusal or failure a user can act on ends the command with
 * one line on standard error (`error: title: detail [CODE]`) and its exit code; `--json` also
 * prints the problem on standard output, `--verbose` the whole problem or the stack.
 */
export async function runClientCommand(
  command: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
  options: ClientOptions,
  body: (run: ClientRun) => Promise<void>,
): Promise<void> {
  const out = outputOf(command, settings.environment, options.json === true);
  const writeError = errorWriterOf(command);
  try {
    const resolved = await resolveClientSettings(options, settings.environment);
    await body({ client: new ApiClient(resolved), out });
  } catch (thrown) {
    // A command that already ended itself through context.fail (tests and embedding throw).
    if (thrown instanceof CommanderError) {
      throw thrown;
    }
    const error = toError(thrown);
    const exitCode = expectedExitCode(error);
    writeError(`error: ${error.message}\n`);
    if (error instanceof ApiProblemError && (options.json === true || options.verbose === true)) {
      (options.json === true ? out.write : writeError)(
        `${JSON.stringify(error.problem, null, 2)}\n`,
      );
    } else if (options.verbose === true && error.stack !== undefined) {
      writeError(`${error.stack}\n`);
    } else if (exitCode === EXIT_CODES.failed) {
      writeError('(run again with --verbose for the details)\n');
    }
    context.fail(exitCode, error.message);
  }
}

function expectedExitCode(error: Error): number {
  if (
    error instanceof ApiProblemError ||
    error instanceof ServerUnreachableError ||
    error instanceof UnexpectedAnswerError ||
    error instanceof MissingTokenError
  ) {
    return error.exitCode;
  }
  return error instanceof ConfigError ? ConfigError.exitCode : EXIT_CODES.failed;
}

export function outputOf(command: Command, environment: Environment, json: boolean): Output {
  const write = writerOf(command);
  const writeError = errorWriterOf(command);
  const coloured = !json && environment.noColor !== true && isTerminal(command);
  return {
    json,
    style: coloured ? COLOURS : NO_COLOURS,
    write,
    note: (text) => (json ? writeError(text) : write(text)),
    printJson: (value) => write(`${JSON.stringify(value, null, 2)}\n`),
  };
}
