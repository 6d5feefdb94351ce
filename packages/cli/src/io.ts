/** The process surface a command touches; tests pass their own to run commands in-process. */
export interface CliIo {
  /** Text meant for other programs: written paths, `--json` objects, `-o -` image bytes. */
  stdout: { write(chunk: string | Uint8Array): unknown };
  /** Text meant for the person at the terminal: progress, warnings, errors. */
  stderr: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted by Ctrl-C / SIGTERM. */
  signal: AbortSignal;
}

/** Colour only for a person at a terminal who has not opted out (https://no-color.org). */
export function wantsColor(io: CliIo): boolean {
  return io.stderr.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}

export function paint(io: CliIo, code: number, text: string): string {
  return wantsColor(io) ? `\u001b[${code}m${text}\u001b[39m` : text;
}
