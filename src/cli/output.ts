import type { Command } from 'commander';

/**
 * Where a command writes: its configured output (tests capture it through
 * `ProgramOptions.output`), else the process's standard streams.
 */
export function writerOf(command: Command): (text: string) => void {
  const output = command.configureOutput();
  return (text) =>
    output.writeOut === undefined ? process.stdout.write(text) : output.writeOut(text);
}

export function errorWriterOf(command: Command): (text: string) => void {
  const output = command.configureOutput();
  return (text) =>
    output.writeErr === undefined ? process.stderr.write(text) : output.writeErr(text);
}

/** True when the command writes to a terminal (not captured, not piped): colours are welcome. */
export function isTerminal(command: Command): boolean {
  return command.configureOutput().writeOut === undefined && process.stdout.isTTY;
}
