/** The JSON the bench writes (bench/results/latest.json); docs/benchmarks.md is rendered from it. */
export interface RunResult {
  sampler: string;
  steps: number;
  guidance: number;
  /** Warm engine, request → encoded image in memory, median. */
  secondsPerImage: number;
  cpuSecondsPerImage: number;
  denoiseSeconds: number;
  /** PyTorch reference sampler, same model/sampler/steps/guidance/threads, median. */
  torchSecondsPerImage?: number;
  torchCpuSecondsPerImage?: number;
  /** torch time / engine time: above 1 means the engine is faster. */
  speedupVsTorch?: number;
  /** The same on CPU time. */
  cpuSpeedupVsTorch?: number;
  /** Multiply-add FLOPs of the denoising forwards / denoising wall time. */
  gflops: number;
  percentOfPeak: number;
  /** The same ratio on CPU time, which a loaded machine disturbs less than wall time. */
  percentOfPeakCpu: number;
}

export interface ModelResult {
  id: string;
  name: string;
  fixture: boolean;
  levels: number[];
  parameters: number;
  onnxWeights: string;
  flopsPerForward: { batch: number; flops: number; byOp: Record<string, number> };
  coldStart: {
    seconds: number;
    samples: number[];
    cpuSeconds: number;
    loadMs: number;
    denoiseMs: number;
    maxRssMB: number;
  };
  warm: { loadMs: number; firstPreviewSeconds: number; previewSamples: number[]; maxRssMB: number };
  runs: RunResult[];
  torch?: { version: string; config: string; weights: string; parameters: number };
}

/** A clip model, timed at the target sampler and steps on the warm engine. */
export interface ClipResult {
  id: string;
  name: string;
  fixture: boolean;
  levels: number[];
  frames: number;
  prompt: string;
  sampler: string;
  steps: number;
  clips: number;
  secondsPerClip: number;
  cpuSecondsPerClip: number;
  /** Frames drawn per wall-clock second. */
  framesPerSecond: number;
  loadMs: number;
  maxRssMB: number;
}

export interface BenchResult {
  date: string;
  gitCommit: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; platform: string };
  threads: number;
  load: { start: number[]; end: number[]; meanDuring: number };
  peak: {
    n: number;
    onnxruntime: { gflops: number; singleThreadGflops: number };
    torch: { gflops: number; singleThreadGflops: number };
    /** Best at the bench's thread count: the wall-time limit. */
    best: number;
    /** Best on one thread: the limit per CPU-second. */
    bestPerCore: number;
  };
  target: { sampler: string; steps: number };
  models: ModelResult[];
  clips?: ClipResult[];
  notes: string[];
}
