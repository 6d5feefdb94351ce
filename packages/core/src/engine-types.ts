import type { MatryoshkaErrorCode } from './errors.js';
import type { Interpretation } from './interpret.js';
import type { GenerateOptions, GenerateRequest, GenerateResult } from './schema.js';

export interface EngineOptions {
  /** Folder holding one sub-folder per bundle, the only place looked in. Default: $MATRYOSHKA_MODELS, else the nearest `models/` plus installed @matryoshka/model-* packages. */
  modelsDir?: string;
  /** ONNX Runtime intra-op threads. Default: os.availableParallelism(). */
  threads?: number;
  /**
   * Model used when a request names none, for requests of its own kind (an image default is not used
   * for clips). Default: core's choice per kind, never a fixture (emoji-256, emoji-clip-64 if present).
   */
  defaultModel?: string;
}

export interface ModelInfo {
  id: string;
  name: string;
  description: string;
  task: 'image' | 'clip';
  /** Side of the outermost level, in pixels. */
  nativeResolution: number;
  /** Resolutions of all levels, outermost first. */
  levels: number[];
  license: string;
  bytesOnDisk: number;
  /** A random-weight bundle for tests: never chosen implicitly. */
  fixture: boolean;
  dir: string;
  defaults: { steps: number; guidance: number; sampler: string };
  /** Clip models only: frames per clip, default fps, and frames per level (outermost first). */
  clip?: { frames: number; fps: number; levelFrames: number[] };
}

/** A folder of the models directory that holds a manifest.json the engine cannot use. */
export interface SkippedBundle {
  /** The folder name, i.e. the id it would have. */
  id: string;
  dir: string;
  /** MODEL_CORRUPT (unreadable or invalid manifest), MODEL_UNSUPPORTED (newer format) or IO_ERROR. */
  code: MatryoshkaErrorCode;
  reason: string;
}

export interface ModelScan {
  models: ModelInfo[];
  /** Bundles left out of `models`, so a damaged download is reported instead of silently missing. */
  skipped: SkippedBundle[];
}

export interface Engine {
  generate(request: GenerateRequest, options?: GenerateOptions): Promise<GenerateResult>;
  /** The model a request of this kind (and model, if named) would run, without running anything. */
  resolveModel(request?: { kind?: 'image' | 'clip'; model?: string }): Promise<ModelInfo>;
  /** How a model would read a prompt (no drawing, no ONNX session): its words, and those it never saw. */
  readPrompt(prompt: string, request?: { kind?: 'image' | 'clip'; model?: string }): Promise<PromptReading>;
  /** The usable bundles; scanModels() also names the ones left out and why. */
  listModels(): Promise<ModelInfo[]>;
  scanModels(): Promise<ModelScan>;
  /** Generations running or waiting in the engine's one queue (0 = idle). */
  readonly pending: number;
  /** Releases every ONNX session. Further generate() calls reopen them. */
  close(): Promise<void>;
}

export interface PromptReading {
  model: string;
  /** The prompt as the model would be given it, and every word read as another. */
  interpretation: Interpretation;
  /** Words of that reading the model never saw in training (understood only through their spelling). */
  unknownWords: string[];
}
