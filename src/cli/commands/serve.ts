import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import type { LogLevel } from '../../runtime/logger.js';
import type { CommandContext } from '../context.js';
import {
  addDatabaseOption,
  type DatabaseOptions,
  type StoreCommandSettings,
} from '../db-option.js';

/**
 * The log levels of runtime/logger.ts, spelled out here so that registering `serve` does not
 * load pino; the type check below fails if the two lists drift apart.
 */
const LOG_LEVELS = [
  'debug',
  'info',
  'warn',
  'error',
  'silent',
] as const satisfies readonly LogLevel[];
type MissingLogLevels = Exclude<LogLevel, (typeof LOG_LEVELS)[number]>;
const _ALL_LOG_LEVELS_LISTED: MissingLogLevels extends never ? true : never = true;

/** @internal */
export interface ServeOptions extends DatabaseOptions {
  readonly host: string;
  readonly port: number;
  readonly playbook: string[];
  readonly agents: string[];
  readonly concurrency: number;
  readonly prometheusUrl?: string;
  readonly retention: string;
  readonly transitionDeadline: string;
  readonly logLevel: LogLevel;
  readonly outlets?: string;
  readonly eventSource?: string;
}

/**
 * `journey serve`: runs the engine until SIGINT or SIGTERM. On SQLite it owns the database (a
 * second `serve` is refused); on PostgreSQL any number of them share the work.
 */
export function registerServeCommand(
  program: Command,
  context: CommandContext,
  settings: StoreCommandSettings,
): void {
  const serve = program
    .command('serve')
    .description(
      'Run the orchestration engine (reactions, task attempts, gates, retention) and the HTTP API.',
    )
    .option('--host <address>', 'where the HTTP API listens', '127.0.0.1')
    .option('--port <n>', 'the HTTP API port (0: any free port)', port, 7400)
    .option(
      '--playbook <file>',
      'load this playbook (repeatable; the first is the default for new journeys; the shipped default is always loaded)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option(
      '--agents <file|id=url,...>',
      "where the playbooks' agents are (repeatable): id=url pairs, or a YAML/JSON file mapping ids to URLs; moves known agents, adds new ones",
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--concurrency <n>', 'work items run at once by this process', positiveInteger, 32)
    .option('--prometheus-url <url>', 'default base URL of prometheus exit-criterion sources')
    .option('--retention <duration>', 'prune journeys that ended longer ago than this', '2y')
    .option(
      '--transition-deadline <duration>',
      'alert (StageTransitionOverdue) when a stage transition runs longer',
      '5m',
    )
    .option(
      '--outlets <file>',
      'deliver every domain event to the webhooks and NATS streams this YAML file lists (docs/events.md)',
    )
    .option('--event-source <uri>', 'the CloudEvents source of the events sent')
    .addOption(
      new Option('--log-level <level>', 'log verbosity').choices(LOG_LEVELS).default('info'),
    );
  addDatabaseOption(serve).action(async (options: ServeOptions, command: Command) => {
    // Loaded here, not at the top: Fastify, the engine and the relay cost most of a second.
    const { runServe } = await import('./serve-run.js');
    await runServe(options, command, context, settings);
  });
}

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535');
  }
  return parsed;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return parsed;
}
