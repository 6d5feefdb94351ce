import { spawn } from 'node:child_process';

export interface ChildResult {
  stdout: string;
  stderr: string;
  code: number | null;
  wallMs: number;
}

/** Runs a command to completion, timing it from spawn to exit. Never throws on a non-zero exit. */
export function runChild(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = options.timeoutMs
      ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs).unref()
      : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ stdout, stderr, code, wallMs: performance.now() - started });
    });
  });
}

/** Runs a child that prints one JSON object on stdout; a failure carries its stderr. */
export async function runJsonChild<T>(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<T> {
  const result = await runChild(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.slice(0, 2).join(' ')} exited with ${result.code}:\n${result.stderr.slice(-2000)}`,
    );
  }
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `${command} ${args.slice(0, 2).join(' ')} printed no JSON:\n${result.stdout.slice(-500)}\n${result.stderr.slice(-1500)}`,
    );
  }
}
