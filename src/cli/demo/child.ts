import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** How long a child may take to say it is ready, and to stop after SIGTERM. */
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
/** Output lines kept for the error message when a child fails. */
const KEPT_LINES = 30;

/**
 * A process `journey demo` started (the server, the example agents): its output is read line by
 * line (so its pipes never fill up) and the last lines are kept to explain a failure.
 */
export class DemoChild {
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  readonly #listeners = new Set<(line: string) => void>();
  readonly #exited: Promise<void>;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.#child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#exited = once(this.#child, 'exit').then(
      () => undefined,
      () => undefined,
    );
    for (const stream of [this.#child.stdout, this.#child.stderr]) {
      if (stream !== null) {
        createInterface({ input: stream }).on('line', (line) => this.#read(line));
      }
    }
  }

  /** Resolves with the first line `match` accepts; rejects if the child exits or takes too long. */
  async waitFor<T>(match: (line: string) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          finish(() => reject(this.failure(`did not start within ${READY_TIMEOUT_MS / 1000} s`))),
        READY_TIMEOUT_MS,
      );
      const listener = (line: string): void => {
        const found = match(line);
        if (found !== undefined) {
          finish(() => resolve(found));
        }
      };
      const onExit = (): void => finish(() => reject(this.failure('exited before it was ready')));
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
        this.#child.off('exit', onExit);
        settle();
      };
      this.#listeners.add(listener);
      this.#child.once('exit', onExit);
    });
  }

  /** An error naming the child and showing its last output lines. */
  failure(what: string): Error {
    const tail = this.#lines.map((line) => `  | ${line}`).join('\n');
    return new Error(`${this.name} ${what}${tail === '' ? '' : `; its last output:\n${tail}`}`);
  }

  /** SIGTERM, then SIGKILL if it has not exited in time; resolves once it is gone. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) {
      return;
    }
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.#exited;
    clearTimeout(timer);
  }

  /** For the process's `exit` handler: no waiting is possible there. */
  killNow(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGKILL');
    }
  }

  #read(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > KEPT_LINES) {
      this.#lines.shift();
    }
    for (const listener of this.#listeners) {
      listener(line);
    }
  }
}
