/**
 * ONNX Runtime session options for a bundle, compared in one process: session creation time and
 * the wall and CPU time of one guided (batch 2) forward, configurations interleaved round by round
 * so that load drifts hit all of them alike. Used to choose the engine's options (docs/benchmarks.md).
 *
 *   npx tsx bench/session-options.ts models/emoji-64 [rounds]
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { median } from './stats.js';
import { readBundleShape, stepFeeds } from './step-feeds.js';

const dir = process.argv[2] ?? 'models/emoji-64';
const rounds = Number(process.argv[3] ?? 12);
const manifest = readBundleShape(dir);
const threads = availableParallelism();
const base: ort.InferenceSession.SessionOptions = {
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  extra: { session: { intra_op: { allow_spinning: '0' } } },
};
const CONFIGS: Record<string, ort.InferenceSession.SessionOptions> = {
  'current (all, no spin)': base,
  'spinning on': { ...base, extra: {} },
  'optimisation: basic': { ...base, graphOptimizationLevel: 'basic' },
  'optimisation: extended': { ...base, graphOptimizationLevel: 'extended' },
  'batch fixed to 2 (freeDimensionOverrides)': { ...base, freeDimensionOverrides: { batch: 2 } },
  'no memory arena / pattern': { ...base, enableCpuMemArena: false, enableMemPattern: false },
  '1 thread': { ...base, intraOpNumThreads: 1 },
};

const feeds = stepFeeds(manifest, 3);

const sessions: Array<{
  name: string;
  session: ort.InferenceSession;
  createMs: number;
  wall: number[];
  cpu: number[];
}> = [];
for (const [name, options] of Object.entries(CONFIGS)) {
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'), options);
  const createMs = performance.now() - t0;
  await session.run(feeds);
  sessions.push({ name, session, createMs, wall: [], cpu: [] });
}
for (let round = 0; round < rounds; round++) {
  for (const s of sessions) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await s.session.run(feeds);
    const c = process.cpuUsage(c0);
    s.wall.push(performance.now() - t0);
    s.cpu.push((c.user + c.system) / 1000);
  }
}
console.log('| options | create (ms) | forward wall (ms) | forward CPU (ms) |\n|---|---|---|---|');
for (const s of sessions) {
  console.log(
    `| ${s.name} | ${s.createMs.toFixed(0)} | ${median(s.wall).toFixed(1)} | ${median(s.cpu).toFixed(1)} |`,
  );
  await s.session.release();
}
