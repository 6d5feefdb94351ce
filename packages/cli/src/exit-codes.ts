/** Process exit codes; scripts branch on these, so they are part of the CLI's contract. */
export const ExitCode = {
  ok: 0,
  /** The engine failed: missing or corrupt model, I/O, runtime error. */
  failure: 1,
  /** The user's command line or request was wrong; fixing the command fixes it. */
  usage: 2,
  /** Stopped by Ctrl-C / SIGTERM (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
