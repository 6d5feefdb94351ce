/**
 * `npm run bench`: times every shipped model in models/ (or --models DIR) through the built engine and
 * CLI, the PyTorch reference sampler and a matrix-multiply peak, all in one run on this machine, then
 * writes bench/results/latest.json and the table in docs/benchmarks.md. Nothing here asserts a time.
 *
 *   npm run bench                                  # all of models/, every sampler × steps
 *   npm run bench -- --models /tmp/m --quick       # fewer images, PyTorch on the target run only
 *   npm run bench -- --model emoji-64 --threads 2 --no-python --no-docs
 *   npm run bench -- --note "emoji-64 exported with random weights"   # a line under the table
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuilt } from './build.js';
import { runJsonChild } from './child-process.js';
import { measureColdStart } from './cold-start.js';
import { countFlops, type ExposedGraph } from './flops.js';
import { startLoadMonitor } from './load-monitor.js';
import { renderMarkdown, spliceInto } from './markdown.js';
import { onnxMatmulPeak } from './matmul-peak.js';
import { REPO_ROOT } from './paths.js';
import { runPython } from './python.js';
import type { BenchResult, ClipResult, ModelResult, RunResult } from './results.js';

const SAMPLERS = ['ddim', 'dpmpp-2m'] as const;
const STEPS = [10, 20, 50] as const;
const TARGET = { sampler: 'dpmpp-2m', steps: 20 };
const PROMPT = 'a red apple';
const CLIP_PROMPT = 'a red heart pulsing';

interface Manifest {
  id: string;
  name: string;
  task?: 'image' | 'clip';
  clip?: { frames: number; fps: number };
  channels: number;
  levels: Array<{ resolution: number; input: string; output: string }>;
  text: { maxTokens: number; ngramsPerToken: number };
  sampling: { guidance: number };
  onnx: { file: string; weights: string };
  training: { parameters?: number; fixture?: boolean };
}

const { values: args } = parseArgs({
  options: {
    models: { type: 'string' },
    model: { type: 'string', multiple: true },
    threads: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-python': { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    out: { type: 'string' },
    note: { type: 'string', multiple: true },
  },
});

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Shipped bundles; the test fixture only when nothing else is installed (and then says so). */
function pickModels(notes: string[]): Array<{ modelsDir: string; manifest: Manifest }> {
  const modelsDir = resolve(args.models ?? process.env.MATRYOSHKA_MODELS ?? join(REPO_ROOT, 'models'));
  let entries: string[] = [];
  try {
    entries = readdirSync(modelsDir);
  } catch {
    /* no models folder: fall through to the fixture */
  }
  const found = entries
    .map((name) => ({ modelsDir, manifest: readManifest(join(modelsDir, name)) }))
    .filter((m): m is { modelsDir: string; manifest: Manifest } => m.manifest !== undefined)
    .filter((m) => (args.model ? args.model.includes(m.manifest.id) : !m.manifest.training.fixture));
  if (found.length) return found;
  const fixtures = join(REPO_ROOT, 'test', 'fixtures');
  notes.push(
    `No shipped model in ${modelsDir}: benchmarked the random-weight test fixture tiny-bundle instead, whose numbers say nothing about the real model.`,
  );
  const manifest = readManifest(join(fixtures, 'tiny-bundle')) as Manifest;
  return [{ modelsDir: fixtures, manifest }];
}

interface WarmChildOutput {
  loadMs: number;
  runs: Array<{
    sampler: string;
    steps: number;
    secondsPerImage: number;
    cpuSecondsPerImage: number;
    denoiseSeconds: number;
  }>;
  firstPreviewSeconds: number;
  previewSamples: number[];
  maxRssMB: number;
}

interface TorchOutput {
  torch: string;
  config: string;
  parameters: number;
  weights: string;
  results: Array<{ sampler: string; steps: number; secondsPerImage: number; cpuSecondsPerImage: number }>;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').filter((l) => l.trim());
  // The child's last stderr line says why (the first only names the command).
  return (lines.at(-1) ?? message).trim().slice(0, 300);
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT }).toString().trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const threads = args.threads ? Number(args.threads) : availableParallelism();
  const notes: string[] = [...(args.note ?? [])];
  const work = mkdtempSync(join(tmpdir(), 'matryoshka-bench-'));
  ensureBuilt(log);
  const load = startLoadMonitor();
  try {
    log(`matrix-multiply peak at ${threads} threads…`);
    const N = 1024;
    const ortPeak = await onnxMatmulPeak(N, threads);
    // Without Debian's torch (a fresh CI machine) the bench still runs, on ONNX Runtime's peak alone.
    const torchPeak = await runPython<{ torch: { gflops: number; singleThreadGflops: number } }>(
      'matmul_peak.py',
      ['--threads', String(threads), '--n', String(N)],
    ).catch((error: unknown) => {
      notes.push(`No PyTorch on this machine (${firstLine(error)}): PyTorch columns are empty.`);
      return undefined;
    });
    const peak = {
      n: N,
      onnxruntime: ortPeak,
      torch: torchPeak?.torch ?? { gflops: Number.NaN, singleThreadGflops: Number.NaN },
      best: Math.max(ortPeak.gflops, torchPeak?.torch.gflops ?? 0),
      bestPerCore: Math.max(ortPeak.singleThreadGflops, torchPeak?.torch.singleThreadGflops ?? 0),
    };

    const models: ModelResult[] = [];
    const clips: ClipResult[] = [];
    for (const { modelsDir, manifest } of pickModels(notes)) {
      const bundle = join(modelsDir, manifest.id);
      const guidance = manifest.sampling.guidance !== 1 ? manifest.sampling.guidance : 5;
      if (manifest.task === 'clip') {
        clips.push(await benchClips(modelsDir, manifest, threads, guidance));
        continue;
      }
      const batch = guidance !== 1 ? 2 : 1;
      log(`${manifest.id}: FLOPs of one forward from the ONNX graph…`);
      const exposed = join(work, `${manifest.id}-exposed.onnx`);
      const graph = await runPython<ExposedGraph>('onnx_expose.py', [
        join(bundle, manifest.onnx.file),
        exposed,
      ]);
      const flops = await countFlops(exposed, graph, manifest, batch);
      rmSync(exposed, { force: true });

      const images = (steps: number) => (args.quick ? 1 : steps >= 50 ? 2 : 3);
      const runs = SAMPLERS.flatMap((sampler) =>
        STEPS.map((steps) => ({ sampler, steps, images: images(steps) })),
      );
      log(`${manifest.id}: warm engine, ${runs.length} sampler/step settings…`);
      const warm = await runJsonChild<WarmChildOutput>(
        process.execPath,
        [
          join(REPO_ROOT, 'bench', 'warm-child.mjs'),
          JSON.stringify({
            modelsDir,
            model: manifest.id,
            threads,
            prompt: PROMPT,
            guidance,
            runs,
            previewRun: TARGET,
            previewRepeats: 5,
          }),
        ],
        { cwd: REPO_ROOT, timeoutMs: 60 * 60_000 },
      );

      log(`${manifest.id}: cold starts through the CLI…`);
      const coldStart = await measureColdStart({
        modelsDir,
        model: manifest.id,
        threads,
        ...TARGET,
        guidance,
        prompt: PROMPT,
        repeats: 3,
      });

      let torch: TorchOutput | undefined;
      if (!args['no-python'] && torchPeak) {
        const torchRuns = args.quick ? [TARGET] : runs;
        log(`${manifest.id}: PyTorch reference sampler, ${torchRuns.length} settings…`);
        try {
          torch = await runPython<TorchOutput>('reference.py', [
            '--bundle',
            bundle,
            '--threads',
            String(threads),
            '--guidance',
            String(guidance),
            '--images',
            '1',
            '--prompt',
            PROMPT,
            '--runs',
            torchRuns.map((r) => `${r.sampler}:${r.steps}`).join(','),
          ]);
        } catch (error) {
          notes.push(
            `PyTorch reference for ${manifest.id} failed: ${(error as Error).message.split('\n')[0]}`,
          );
        }
      }

      const results: RunResult[] = warm.runs.map((run) => {
        const ref = torch?.results.find((r) => r.sampler === run.sampler && r.steps === run.steps);
        const gflops = (flops.flops * run.steps) / run.denoiseSeconds / 1e9;
        const cpuGflops = (flops.flops * run.steps) / run.cpuSecondsPerImage / 1e9;
        return {
          sampler: run.sampler,
          steps: run.steps,
          guidance,
          secondsPerImage: run.secondsPerImage,
          cpuSecondsPerImage: run.cpuSecondsPerImage,
          denoiseSeconds: run.denoiseSeconds,
          ...(ref
            ? {
                torchSecondsPerImage: ref.secondsPerImage,
                torchCpuSecondsPerImage: ref.cpuSecondsPerImage,
                speedupVsTorch: ref.secondsPerImage / run.secondsPerImage,
                cpuSpeedupVsTorch: ref.cpuSecondsPerImage / run.cpuSecondsPerImage,
              }
            : {}),
          gflops,
          percentOfPeak: (100 * gflops) / peak.best,
          // Per CPU-second of the whole process (sampler, encoding and thread spinning included)
          // against one core's matmul rate: contention stretches wall time, not CPU time.
          percentOfPeakCpu: (100 * cpuGflops) / peak.bestPerCore,
        };
      });

      models.push({
        id: manifest.id,
        name: manifest.name,
        fixture: manifest.training.fixture === true,
        levels: manifest.levels.map((l) => l.resolution),
        parameters: manifest.training.parameters ?? 0,
        onnxWeights: manifest.onnx.weights,
        flopsPerForward: flops,
        coldStart,
        warm: {
          loadMs: warm.loadMs,
          firstPreviewSeconds: warm.firstPreviewSeconds,
          previewSamples: warm.previewSamples,
          maxRssMB: warm.maxRssMB,
        },
        runs: results,
        ...(torch
          ? {
              torch: {
                version: torch.torch,
                config: torch.config,
                weights: torch.weights,
                parameters: torch.parameters,
              },
            }
          : {}),
      });
    }

    const result: BenchResult = {
      date: new Date().toISOString(),
      gitCommit: gitCommit(),
      machine: {
        cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
        cores: availableParallelism(),
        memoryGiB: totalmem() / 2 ** 30,
        node: process.versions.node,
        platform: `${process.platform}-${process.arch}`,
      },
      threads,
      load: load.stop(),
      peak,
      target: TARGET,
      models,
      ...(clips.length ? { clips } : {}),
      notes,
    };
    const out = resolve(args.out ?? join(REPO_ROOT, 'bench', 'results', 'latest.json'));
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    const table = renderMarkdown(result);
    if (!args['no-docs']) {
      const docPath = join(REPO_ROOT, 'docs', 'benchmarks.md');
      let doc = '# Benchmarks\n';
      try {
        doc = readFileSync(docPath, 'utf8');
      } catch {
        /* first run writes the file */
      }
      writeFileSync(docPath, spliceInto(doc, table));
      try {
        // The repository's formatter aligns Markdown tables; without it `npm run lint` fails.
        execFileSync('npx', ['biome', 'format', '--write', docPath], { cwd: REPO_ROOT, stdio: 'ignore' });
      } catch {
        log('could not run biome on docs/benchmarks.md (npm run format will)');
      }
    }
    process.stdout.write(`${table}\n`);
    log(`wrote ${out}${args['no-docs'] ? '' : ' and docs/benchmarks.md'}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A clip bundle on the warm engine at the target sampler and steps: seconds per clip, frames per second. */
async function benchClips(
  modelsDir: string,
  manifest: Manifest,
  threads: number,
  guidance: number,
): Promise<ClipResult> {
  const count = args.quick ? 1 : 3;
  log(`${manifest.id}: warm engine, ${count} clips…`);
  const warm = await runJsonChild<WarmChildOutput>(
    process.execPath,
    [
      join(REPO_ROOT, 'bench', 'warm-child.mjs'),
      JSON.stringify({
        kind: 'clip',
        modelsDir,
        model: manifest.id,
        threads,
        prompt: CLIP_PROMPT,
        guidance,
        runs: [{ ...TARGET, images: count }],
        previewRun: TARGET,
        previewRepeats: 0,
      }),
    ],
    { cwd: REPO_ROOT, timeoutMs: 60 * 60_000 },
  );
  const run = warm.runs[0] as WarmChildOutput['runs'][number];
  const frames = manifest.clip?.frames ?? 1;
  return {
    id: manifest.id,
    name: manifest.name,
    fixture: manifest.training.fixture === true,
    levels: manifest.levels.map((l) => l.resolution),
    frames,
    prompt: CLIP_PROMPT,
    sampler: run.sampler,
    steps: run.steps,
    clips: count,
    secondsPerClip: run.secondsPerImage,
    cpuSecondsPerClip: run.cpuSecondsPerImage,
    framesPerSecond: frames / run.secondsPerImage,
    loadMs: warm.loadMs,
    maxRssMB: warm.maxRssMB,
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
