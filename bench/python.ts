import { join } from 'node:path';
import { runJsonChild } from './child-process.js';
import { REPO_ROOT } from './paths.js';

/** Debian's interpreter: the one that sees python3-torch and python3-onnx (docs: environment notes). */
export const PYTHON = process.env.MATRYOSHKA_PYTHON ?? '/usr/bin/python3';

/**
 * Passive OpenMP waiting: with GNU OpenMP's default spin-wait, a torch thread whose sibling has been
 * descheduled by another process burns its core spinning, and on a shared 2-core machine a forward
 * pass measured 30× more CPU time (3.1 s instead of 0.11 s). Passive waiting is torch's best case.
 */
export function runPython<T>(script: string, args: readonly string[], timeoutMs = 30 * 60_000): Promise<T> {
  return runJsonChild<T>(PYTHON, [join(REPO_ROOT, 'bench', 'python', script), ...args], {
    cwd: REPO_ROOT,
    timeoutMs,
    env: { ...process.env, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' },
  });
}
