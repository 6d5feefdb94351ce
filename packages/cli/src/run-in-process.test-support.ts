import { fileURLToPath } from 'node:url';
import { runCli } from './cli.js';
import type { CliIo } from './io.js';

/** The committed random-weight bundle every front end tests against. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../test/fixtures', import.meta.url));
export const FIXTURE_MODEL = 'tiny-bundle';
export const fixtureArgs = ['--models-dir', FIXTURES_DIR, '--model', FIXTURE_MODEL] as const;

export interface InProcessRun {
  code: number;
  stdout: string;
  stdoutBytes: Uint8Array;
  stderr: string;
}

/** Runs the CLI in this process with captured streams: fast, and the same code path as the bin. */
export async function runInProcess(
  argv: readonly string[],
  options: { cwd: string; signal?: AbortSignal; isTTY?: boolean; columns?: number },
): Promise<InProcessRun> {
  const out: Uint8Array[] = [];
  let stderr = '';
  const io: CliIo = {
    stdout: {
      write: (chunk) => out.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk),
    },
    stderr: {
      write: (chunk) => {
        stderr += chunk;
      },
      isTTY: options.isTTY ?? false,
      columns: options.columns ?? 80,
    },
    env: {},
    cwd: options.cwd,
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await runCli(argv, io);
  const stdoutBytes = Buffer.concat(out);
  return { code, stdout: new TextDecoder().decode(stdoutBytes), stdoutBytes, stderr };
}
