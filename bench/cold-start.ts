import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from './child-process.js';
import { REPO_ROOT } from './paths.js';
import { median } from './stats.js';

export interface ColdStart {
  /** Spawn of a fresh `node` running the CLI → it exits with the image on disk. Median of runs. */
  seconds: number;
  samples: number[];
  /** Where that time went, from the CLI's --json timings (first run's process). */
  loadMs: number;
  denoiseMs: number;
  maxRssMB: number;
  /** CPU time of the whole process (all threads), median of runs: what load does not inflate. */
  cpuSeconds: number;
}

export interface ColdStartJob {
  modelsDir: string;
  model: string;
  threads: number;
  sampler: string;
  steps: number;
  guidance: number;
  prompt: string;
  repeats: number;
}

/**
 * What a user waits for the first time: `matryoshka generate … -o x.png` in a new process (Node
 * start-up, module loading, bundle checksum verification, ONNX session creation, denoising, encoding,
 * atomic write). The built CLI runs exactly as installed; a preload reports its peak RSS.
 */
export async function measureColdStart(job: ColdStartJob): Promise<ColdStart> {
  const dir = mkdtempSync(join(tmpdir(), 'matryoshka-bench-'));
  try {
    const samples: number[] = [];
    const cpu: number[] = [];
    let first: { loadMs: number; denoiseMs: number; maxRssMB: number } | undefined;
    for (let k = 0; k < job.repeats; k++) {
      const out = join(dir, `cold-${k}.png`);
      const rusageFile = join(dir, `rusage-${k}.json`);
      const result = await runChild(
        process.execPath,
        [
          '--import',
          join(REPO_ROOT, 'bench', 'rss-on-exit.mjs'),
          join(REPO_ROOT, 'packages', 'cli', 'bin', 'matryoshka.js'),
          'generate',
          job.prompt,
          '-o',
          out,
          '--models-dir',
          job.modelsDir,
          '-m',
          job.model,
          '--threads',
          String(job.threads),
          '--sampler',
          job.sampler,
          '--steps',
          String(job.steps),
          '-g',
          String(job.guidance),
          '--seed',
          String(k),
          '--json',
        ],
        { env: { ...process.env, MATRYOSHKA_BENCH_RUSAGE: rusageFile }, timeoutMs: 10 * 60_000 },
      );
      if (result.code !== 0 || !existsSync(out)) {
        throw new Error(
          `cold start: the CLI exited with ${result.code} and no image:\n${result.stdout}\n${result.stderr}`,
        );
      }
      samples.push(result.wallMs / 1000);
      const usage = JSON.parse(readFileSync(rusageFile, 'utf8')) as { maxRssMB: number; cpuSeconds: number };
      cpu.push(usage.cpuSeconds);
      if (!first) {
        const summary = JSON.parse(result.stdout) as { timings?: { loadMs: number; denoiseMs: number } };
        first = {
          loadMs: summary.timings?.loadMs ?? Number.NaN,
          denoiseMs: summary.timings?.denoiseMs ?? Number.NaN,
          maxRssMB: usage.maxRssMB,
        };
      }
    }
    return {
      seconds: median(samples),
      samples,
      cpuSeconds: median(cpu),
      ...(first as NonNullable<typeof first>),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
