import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Support for the hardening tests (not a test file): the real MCP server as its own process. */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const BIN = fileURLToPath(new URL('../packages/mcp-server/bin/matryoshka-mcp.js', import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server logged so far. */
  stderr(): string;
  /** Current and peak resident set size of the server process, from /proc (Linux). */
  memoryMB(): { rss: number; peak: number };
  stop(): Promise<void>;
}

/**
 * `matryoshka-mcp --http` on 127.0.0.1 with a free port, serving the tiny test bundle (or the given
 * models folder), debug logs on. Resolves once it prints its URL.
 */
export function startMcpHttpServer(
  outputDir: string,
  models: { dir: string; model?: string } = { dir: FIXTURES, model: 'tiny-bundle' },
): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      '--http',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--models-dir',
      models.dir,
      ...(models.model ? ['--model', models.model] : []),
      '--output-dir',
      outputDir,
      '--threads',
      '1',
      '--log-level',
      'debug',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    log += d;
  });
  const memoryMB = () => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
    child.stderr?.on('data', () => {
      const match = /Streamable HTTP at (http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1] as string, child, stderr: () => log, memoryMB, stop });
      }
    });
  });
}
