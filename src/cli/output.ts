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
