import * as ort from 'onnxruntime-node';
import { matmulModel } from './matmul-model.js';

export interface PeakResult {
  gflops: number;
  /** On one thread, timed in CPU time: the rate per CPU-second of one core. */
  singleThreadGflops: number;
}

/**
 * Best GFLOP/s of one n×n float32 MatMul in ONNX Runtime with the engine's session options: the
 * highest rate these kernels reach on this machine, which the model's convolutions are judged against.
 */
export async function onnxMatmulPeak(n: number, threads: number, repeats = 20): Promise<PeakResult> {
  const model = matmulModel(n);
  return {
    gflops: await bestGflops(model, n, threads, repeats),
    singleThreadGflops: await bestGflops(model, n, 1, repeats, true),
  };
}

async function bestGflops(
  model: Uint8Array,
  n: number,
  threads: number,
  repeats: number,
  cpuTime = false,
): Promise<number> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    // As the engine: waiting threads sleep rather than spin.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const fill = () => Float32Array.from({ length: n * n }, () => Math.random() * 2 - 1);
  const feeds = {
    a: new ort.Tensor('float32', fill(), [n, n]),
    b: new ort.Tensor('float32', fill(), [n, n]),
  };
  await session.run(feeds);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) {
    // CPU time is immune to other processes taking turns on the core; wall time is what a user waits.
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await session.run(feeds);
    const c = process.cpuUsage(c0);
    best = Math.min(best, cpuTime ? (c.user + c.system) / 1000 : performance.now() - t0);
  }
  await session.release();
  return (2 * n ** 3) / (best / 1000) / 1e9;
}
