import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/engine-process.js';

/**
 * `journey serve` as `npm start` runs it: the build (dist/cli/main.js, with the dashboard in
 * dist/web), as a child process on a SQLite file, with the API tokens given in its environment.
 */
export interface ServeSettings {
  readonly database: string;
  readonly playbook: string;
  /** `JOURNEY_API_TOKENS`. */
  readonly tokens: string;
}

const READY_MESSAGE = 'journey serve: engine running';

export class DashboardServer {
  #child: ChildProcessWithoutNullStreams | null = null;
  #log: string[] = [];
  #port = 0;

  constructor(private readonly settings: ServeSettings) {}

  /** The base URL, e.g. `http://127.0.0.1:40123`. */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Starts it (on a free port the first time, on the same port after a stop). */
  async start(timeoutMs = 20_000): Promise<void> {
    const main = join(REPO_ROOT, 'dist/cli/main.js');
    for (const built of [main, join(REPO_ROOT, 'dist/web/index.html')]) {
      if (!existsSync(built)) {
        throw new Error(`${built} is missing: run \`npm run build\` before the dashboard tests`);
      }
    }
    const child = spawn(
      process.execPath,
      [
        main,
        'serve',
        '--db',
        `sqlite:${this.settings.database}`,
        '--playbook',
        this.settings.playbook,
        '--host',
        '127.0.0.1',
        '--port',
        String(this.#port),
        '--log-level',
        'info',
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, JOURNEY_API_TOKENS: this.settings.tokens },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.#child = child;
    this.#port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`journey serve not running after ${timeoutMs} ms:\n${this.tail()}`)),
        timeoutMs,
      );
      let pending = '';
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          this.#keep(line);
          const api = readyAddress(line);
          if (api !== null) {
            clearTimeout(timer);
            resolve(Number(new URL(api).port));
          }
        }
      });
      child.stderr.on('data', (chunk: Buffer) => this.#keep(`stderr: ${chunk.toString()}`));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(
          new Error(`journey serve exited (${code ?? signal}) before it ran:\n${this.tail()}`),
        );
      });
    });
  }

  /** SIGTERM, the graceful stop, and wait for the exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }

  /** Its latest log lines, for failure messages. */
  tail(lines = 20): string {
    return this.#log.slice(-lines).join('\n');
  }

  #keep(line: string): void {
    this.#log.push(line);
    if (this.#log.length > 200) {
      this.#log.shift();
    }
  }
}

function readyAddress(line: string): string | null {
  try {
    const parsed = JSON.parse(line) as { msg?: unknown; api?: unknown };
    return parsed.msg === READY_MESSAGE && typeof parsed.api === 'string' ? parsed.api : null;
  } catch {
    return null;
  }
}
