import { Command, CommanderError, type OutputConfiguration } from 'commander';
import type { Clock } from '../application/ports.js';
import { readEnvironment, type Environment } from '../config/env.js';
import { systemClock } from '../runtime/system-clock.js';
import { registerApproveCommand } from './commands/approve.js';
import { registerCancelCommand } from './commands/cancel.js';
import { registerControlsCommand } from './commands/controls.js';
import { registerDeadLettersCommand } from './commands/dead-letters.js';
import { registerDecideCommand } from './commands/decide.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDiscardCommand } from './commands/discard.js';
import { registerEvidenceCommand } from './commands/evidence.js';
import { registerFreezeCommand } from './commands/freeze.js';
import { registerHistoryCommand } from './commands/history.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerOutletsCommand } from './commands/outlets.js';
import { registerPauseCommand } from './commands/pause.js';
import { registerPlaybookCommand } from './commands/playbook.js';
import { registerPromoteCommand } from './commands/promote.js';
import { registerPruneCommand } from './commands/prune.js';
import { registerReadinessCommand } from './commands/readiness.js';
import { registerReplayCommand } from './commands/replay.js';
import { registerReportCommand } from './commands/report.js';
import { registerResumeCommand } from './commands/resume.js';
import { registerRetryCommand } from './commands/retry.js';
import { registerRollbackCommand } from './commands/rollback.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSignOffLinkCommand } from './commands/sign-off-link.js';
import { registerStartCommand } from './commands/start.js';
import { registerStatusCommand } from './commands/status.js';
import { registerWatchCommand } from './commands/watch.js';
import type { CommandContext } from './context.js';
import { missingStore, type StoreOpener } from './db-option.js';
import { EXIT_CODE_HELP } from './exit-codes.js';
import { version } from './version.js';

/** How the command line is embedded: where it writes and whether it may end the process. */
export interface ProgramOptions {
  /** Replaces commander's writers (tests capture output here). @default process.stdout / stderr */
  readonly output?: OutputConfiguration;
  /**
   * Throw a `CommanderError` carrying the exit code instead of ending the process, for tests
   * and embedding. @default false
   */
  readonly exitOverride?: boolean;
  /** The environment (`JOURNEY_DB`). @default readEnvironment(), i.e. process.env */
  readonly environment?: Environment;
  /** Where "now" comes from. @default the system clock */
  readonly clock?: Clock;
  /**
   * Opens the store for the commands that need one (`migrate`, `prune`); the composition root
   * (main.ts) passes the real one. Without it those commands say so and fail.
   */
  readonly openStore?: StoreOpener;
}

/** The `journey` command line. Each subcommand lives in its own file and registers itself here. */
export function buildProgram(options: ProgramOptions = {}): Command {
  const program = new Command('journey')
    .description(
      'Moves each client through sandbox -> pilot -> production with validation gates and rollback.',
    )
    .version(version, '-V, --version')
    .showHelpAfterError()
    .addHelpText('after', EXIT_CODE_HELP)
    .configureOutput({ outputError: (text, write) => write(text), ...options.output });
  if (options.exitOverride === true) {
    program.exitOverride();
  }
  // Subcommands copy the settings above when they are created, so they are applied first.
  const context: CommandContext = {
    fail: (exitCode, reason) => {
      if (options.exitOverride === true) {
        throw new CommanderError(exitCode, 'journey.failed', reason);
      }
      process.exitCode = exitCode;
    },
  };
  const settings = {
    environment: options.environment ?? readEnvironment(),
    clock: options.clock ?? systemClock,
    openStore: options.openStore ?? missingStore,
  };
  registerPlaybookCommand(program, context);
  registerMigrateCommand(program, context, settings);
  registerPruneCommand(program, context, settings);
  registerServeCommand(program, context, settings);
  registerStartCommand(program, context, settings);
  registerStatusCommand(program, context, settings);
  registerWatchCommand(program, context, settings);
  registerReadinessCommand(program, context, settings);
  registerApproveCommand(program, context, settings);
  registerDecideCommand(program, context, settings);
  registerSignOffLinkCommand(program, context, settings);
  registerPromoteCommand(program, context, settings);
  registerRollbackCommand(program, context, settings);
  registerCancelCommand(program, context, settings);
  registerPauseCommand(program, context, settings);
  registerResumeCommand(program, context, settings);
  registerRetryCommand(program, context, settings);
  registerHistoryCommand(program, context, settings);
  registerEvidenceCommand(program, context, settings);
  registerReportCommand(program, context, settings);
  registerControlsCommand(program, context, settings);
  registerFreezeCommand(program, context, settings);
  registerOutletsCommand(program, context, settings);
  registerDeadLettersCommand(program, context, settings);
  registerReplayCommand(program, context, settings);
  registerDiscardCommand(program, context, settings);
  registerDemoCommand(program, context, settings);
  return program;
}
