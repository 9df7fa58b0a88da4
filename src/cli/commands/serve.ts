import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../../application/errors.js';
import { loadDefaultPlaybook, loadPlaybookFile, type Playbook } from '../../playbook/index.js';
import { formatProblem } from '../../playbook/problems.js';
import { createLogger, engineLog, LOG_LEVELS, type LogLevel } from '../../runtime/logger.js';
import { startService } from '../../runtime/service.js';
import type { CommandContext } from '../context.js';
import {
  addDatabaseOption,
  describeDatabase,
  reportingExpectedErrors,
  resolveDatabaseUrl,
  type DatabaseOptions,
  type StoreCommandSettings,
} from '../db-option.js';
import { parseRetention } from './prune.js';

interface ServeOptions extends DatabaseOptions {
  readonly playbook: string[];
  readonly concurrency: number;
  readonly prometheusUrl?: string;
  readonly retention: string;
  readonly transitionDeadline: string;
  readonly logLevel: LogLevel;
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
    .description('Run the orchestration engine (reactions, task attempts, gates, retention).')
    .option(
      '--playbook <file>',
      'load this playbook (repeatable; the first is the default for new journeys; the shipped default is always loaded)',
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
    .addOption(
      new Option('--log-level <level>', 'log verbosity').choices(LOG_LEVELS).default('info'),
    );
  addDatabaseOption(serve).action(async (options: ServeOptions, command: Command) => {
    await reportingExpectedErrors(command, context, async () => {
      const url = resolveDatabaseUrl(options.db, settings.environment);
      const retention = parseRetention(options.retention, '--retention');
      const transitionDeadline = parseRetention(
        options.transitionDeadline,
        '--transition-deadline',
      );
      const playbooks = await loadPlaybooks(options.playbook);
      const logger = createLogger(options.logLevel);
      const store = await settings.openStore(url, { owner: true });
      const service = await startService({
        store,
        clock: settings.clock,
        playbooks,
        log: engineLog(logger),
        concurrency: options.concurrency,
        retention,
        settings: { transitionDeadline },
        ...(options.prometheusUrl === undefined ? {} : { prometheusUrl: options.prometheusUrl }),
      });
      logger.info(
        {
          database: describeDatabase(url),
          playbooks: playbooks.map((p) => `${p.name} v${p.version}`),
          owner: service.engine.worker.owner,
          pid: process.pid,
        },
        'journey serve: engine running',
      );
      const signal = await untilSignal();
      logger.info({ signal }, 'journey serve: stopping');
      await service.stop();
      await store.close();
      logger.info('journey serve: stopped');
    });
  });
}

/** The playbooks named on the command line, then the shipped default unless one replaces it. */
async function loadPlaybooks(files: readonly string[]): Promise<Playbook[]> {
  const loaded: Playbook[] = [];
  for (const file of files) {
    const result = await loadPlaybookFile(file);
    if (!result.ok) {
      throw new ConfigError(
        `--playbook ${file}`,
        `not a valid playbook:\n${result.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`,
      );
    }
    loaded.push(result.playbook);
  }
  const shipped = await loadDefaultPlaybook();
  return loaded.some((p) => p.name === shipped.name) ? loaded : [...loaded, shipped];
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return parsed;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
