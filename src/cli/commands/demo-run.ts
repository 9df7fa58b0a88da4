import type { Command } from 'commander';
import { ConfigError, toError } from '../../application/errors.js';
import { outputOf, type ClientCommandSettings } from '../client-command.js';
import { ApiClient } from '../client/api-client.js';
import type { CommandContext } from '../context.js';
import { startDemoStack } from '../demo/demo-stack.js';
import { DemoInterruptedError, tellDemoStory } from '../demo/demo-story.js';
import { EXIT_CODES } from '../exit-codes.js';
import { untilInterrupted } from '../interrupt.js';
import { errorWriterOf } from '../output.js';
import { formatMillis } from '../render/format.js';
import { ProgressTracker } from '../watch/progress.js';
import type { DemoOptions } from './demo.js';

/**
 * The body of `journey demo`, loaded only when the demo runs.
 * @internal
 */
export async function runDemo(
  options: DemoOptions,
  command: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): Promise<void> {
  const out = outputOf(command, settings.environment, false);
  const writeError = errorWriterOf(command);
  const began = Date.now();
  let interrupted = false;
  try {
    await untilInterrupted(async (signal) => {
      out.write('journey demo: starting the example agents and a server on a fresh database...\n');
      const stack = await startDemoStack();
      try {
        out.write(`server ${stack.url} (its admin token is in a temporary directory)\n`);
        const client = new ApiClient({ url: stack.url, token: stack.token });
        const tracker = new ProgressTracker(out.style);
        await tellDemoStory({ client, stack, clientId: options.client, out, signal, tracker });
      } catch (error) {
        interrupted = signal.aborted;
        throw error;
      } finally {
        await stack.close();
      }
    });
    out.write(
      `\ndemo done in ${formatMillis(Date.now() - began)}; everything it started is stopped and removed\n`,
    );
  } catch (thrown) {
    const error = toError(thrown);
    if (interrupted || error instanceof DemoInterruptedError) {
      writeError('demo interrupted; everything it started is stopped and removed\n');
      context.fail(EXIT_CODES.interrupted, 'interrupted');
      return;
    }
    writeError(`error: journey demo: ${error.message}\n`);
    if (options.verbose === true && error.stack !== undefined) {
      writeError(`${error.stack}\n`);
    }
    context.fail(
      error instanceof ConfigError ? ConfigError.exitCode : EXIT_CODES.failed,
      error.message,
    );
  }
}
