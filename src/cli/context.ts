/** What a command needs from the program around it. */
export interface CommandContext {
  /**
   * Ends the command with a non-zero exit code, after its output was written. The process
   * exits with it once pending output is flushed; with `exitOverride` it throws instead.
   */
  readonly fail: (exitCode: number, reason: string) => void;
}
