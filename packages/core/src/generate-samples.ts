import { extensionFor } from './constants.js';
import { blend, type InitSpec } from './denoise.js';
import { denoiseSample, type SampleModel } from './denoise-request.js';
import { recolourLevels } from './recolour.js';
import type {
  GeneratedImage,
  GenerateOptions,
  GenerateResult,
  NormalizedRequest,
  Warning,
} from './schema.js';
import type { EncodedText, Tokenizer } from './tokenizer.js';

/** A bundle opened for generation: verified files, tokenizer, ONNX session and noise schedule. */
export interface LoadedModel extends SampleModel {
  tokenizer: Tokenizer;
}

export interface GenerateTiming {
  /** performance.now() at the start of generate(). */
  started: number;
  loadMs: number;
}

/** The levels' layout: `channels` planes of r×r pixels per level (per frame for clips), outermost first. */
export interface SampleLayout {
  channels: number;
  /** The outermost level's side. */
  native: number;
  resolutions: number[];
}

/**
 * Turns a sample's final x0 into the files the caller gets: `levels[0]` is the outermost level's
 * picture (what images and clips show), the rest are the inner levels' own drawings.
 */
export type SampleEncoder = (
  levels: Float32Array[],
  seed: number,
  layout: SampleLayout,
) => Promise<EncodedFile[]>;

/** A file as an encoder makes it; the sample's index and the file's extension are added here. */
export type EncodedFile = Omit<GeneratedImage, 'index' | 'extension'>;

/**
 * Draws `count` samples of an image or clip request (sample k with seed + k), each denoised then
 * handed to `encode`, and assembles the result.
 */
export async function generateSamples(
  model: LoadedModel,
  request: NormalizedRequest,
  { signal, onProgress }: GenerateOptions,
  timing: GenerateTiming,
  encode: SampleEncoder,
  init?: InitSpec,
): Promise<GenerateResult> {
  const interpretation = model.tokenizer.read(request.prompt);
  const cond = model.tokenizer.encode(interpretation.text);
  const uncond = model.tokenizer.encode(model.tokenizer.read(request.negativePrompt).text);
  const warnings = [...requestWarnings(model, request), ...promptWarnings(cond)];
  const { manifest } = model.bundle;
  const resolutions = manifest.levels.map((l) => l.resolution);
  const layout = { channels: manifest.channels, native: resolutions[0] as number, resolutions };
  const images: GeneratedImage[] = [];
  let denoiseMs = 0;
  let encodeMs = 0;
  for (let index = 0; index < request.count; index++) {
    const seed = (request.seed + index) >>> 0;
    const denoiseStart = performance.now();
    let x0 = await denoiseSample(
      model,
      request,
      { signal, onProgress, started: timing.started, cond, uncond, ...(init ? { init } : {}) },
      seed,
      index,
    );
    denoiseMs += performance.now() - denoiseStart;
    const encodeStart = performance.now();
    if (interpretation.recolour && !recolourLevels(x0, layout.channels, interpretation.recolour)) {
      warnings.push({
        code: 'not-recoloured',
        message: `Sample ${index + 1} has no dominant colour to turn ${interpretation.recolour}: drawn as the model knows it`,
      });
    }
    // Inpainting keeps the unmasked part as given, recoloured or not.
    if (interpretation.recolour && init?.mask) x0 = blend(x0, init.levels, init.mask);
    for (const file of await encode(x0, seed, layout)) {
      images.push({ ...file, index, extension: extensionFor(file.format) });
    }
    encodeMs += performance.now() - encodeStart;
  }
  return {
    images,
    model: request.model,
    request,
    timings: { loadMs: timing.loadMs, denoiseMs, encodeMs, totalMs: performance.now() - timing.started },
    warnings,
    interpretation,
  };
}

function requestWarnings(model: LoadedModel, request: NormalizedRequest): Warning[] {
  const { manifest } = model.bundle;
  const native = manifest.levels[0]?.resolution as number;
  const what =
    request.kind === 'clip' ? { noun: 'clips', unit: 'frames' } : { noun: 'pictures', unit: 'pixels' };
  const warnings: Warning[] = [];
  if (manifest.training.fixture) {
    warnings.push({
      code: 'fixture-model',
      message: `Model "${request.model}" is a random-weight test fixture: its ${what.noun} are noise, not a product`,
    });
  }
  if (request.width !== native || request.height !== native) {
    const crop = request.width !== request.height ? ', cropped to the new aspect ratio' : '';
    warnings.push({
      code: 'resized',
      message: `The model draws ${native}×${native} ${what.unit}; its output was resized to ${request.width}×${request.height} with sharp (lanczos3${crop}), which adds no detail`,
    });
  }
  return warnings;
}

function promptWarnings(cond: EncodedText): Warning[] {
  const warnings: Warning[] = [];
  if (cond.unknownWords.length) {
    warnings.push({
      code: 'unknown-words',
      message: `Words the model never saw in training, understood only through their spelling: ${[...new Set(cond.unknownWords)].join(', ')}`,
    });
  }
  if (cond.truncatedWords) {
    warnings.push({
      code: 'prompt-truncated',
      message: `The prompt is too long: the model reads only its first ${cond.words.length} words`,
    });
  }
  return warnings;
}
