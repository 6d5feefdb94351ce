import type { SamplerName } from './constants.js';
import { MatryoshkaError } from './errors.js';
import type { PredictionType, X0Policy } from './prediction.js';
import { NoiseRng } from './rng.js';
import { createSampler } from './samplers/index.js';
import type { NestedSchedule } from './schedule.js';
import type { ForwardFn } from './session.js';
import type { EncodedText } from './tokenizer.js';

export interface DenoiseSpec {
  channels: number;
  /** Outermost first, as in the manifest. */
  resolutions: readonly number[];
  /** Clips: frames per level, outermost first (each level is then C·F·r·r values, NCFHW). */
  frames?: readonly number[];
  schedule: NestedSchedule;
  prediction: PredictionType;
  x0: X0Policy;
  sampler: SamplerName;
  steps: number;
  guidance: number;
  seed: number;
  cond: EncodedText;
  /** The empty prompt, or the negative prompt. */
  uncond: EncodedText;
  /**
   * Image-to-image (SDEdit over every level): each level starts from its copy of the input, noised
   * to the grid time nearest `strength`, and only the steps after that time run.
   */
  init?: InitSpec;
}

export interface InitSpec {
  levels: readonly Float32Array[];
  strength: number;
  /**
   * Inpainting: per level one [r, r] plane, 1 = repaint, 0 = keep. After every step the kept part
   * of each level is put back as the input noised to the next step's time, and the final picture
   * is the input there, so only the masked part is drawn, in keeping with the rest.
   */
  mask?: readonly Float32Array[];
}

export interface DenoiseHooks {
  forward: ForwardFn;
  signal?: AbortSignal;
  /** After each step (1-based), with that step's x0 estimate per level. */
  onStep?: (step: number, total: number, x0: readonly Float32Array[]) => void;
}

/**
 * Runs the sampler over all levels jointly for ONE sample and returns the final x0 estimate of every
 * level (docs/model-bundle.md: the x0 of the last model call). Guidance batches the conditional and
 * unconditional rows into one forward pass.
 */
export async function denoise(spec: DenoiseSpec, hooks: DenoiseHooks): Promise<Float32Array[]> {
  const rng = new NoiseRng(spec.seed);
  const sizes = spec.resolutions.map((r, i) => spec.channels * (spec.frames?.[i] ?? 1) * r * r);
  // Initial noise of every level in manifest order, NCHW (NCFHW for clips): the shared RNG contract.
  let z = sizes.map((n) => rng.fillNormal(new Float32Array(n)));
  const eps = z;
  const sampler = createSampler(spec.sampler, {
    schedule: spec.schedule,
    prediction: spec.prediction,
    x0: spec.x0,
    batch: 1,
    rng,
  });
  sampler.setTimesteps(spec.steps);
  const timesteps = startFrom(sampler.timesteps, spec.init?.strength);
  if (spec.init) z = noised(spec.init.levels, z, spec.schedule.at(timesteps[0] as number));

  const guided = spec.guidance !== 1;
  const batch = guided ? 2 : 1;
  const texts = guided ? [spec.cond, spec.uncond] : [spec.cond];
  const tokens = BigInt64Array.from(texts.flatMap((e) => Array.from(e.tokens, BigInt)));
  const ngrams = BigInt64Array.from(texts.flatMap((e) => Array.from(e.ngrams, BigInt)));

  const total = timesteps.length;
  let x0: Float32Array[] = [];
  for (const [index, t] of timesteps.entries()) {
    throwIfAborted(hooks.signal, index, total);
    const levels = guided ? z.map((level) => concat(level, level)) : z;
    const outputs = await hooks.forward({
      batch,
      levels,
      t: new Float32Array(batch).fill(t),
      tokens,
      ngrams,
    });
    throwIfAborted(hooks.signal, index, total);
    const guidedOutputs = guided
      ? outputs.map((out, l) => combineGuidance(out, sizes[l] as number, spec.guidance))
      : outputs;
    const result = sampler.step(guidedOutputs, t, z);
    z = result.prevSample;
    x0 = result.predOriginalSample;
    const mask = spec.init?.mask;
    if (spec.init && mask) {
      const next = timesteps[index + 1];
      if (next !== undefined) z = blend(z, noised(spec.init.levels, eps, spec.schedule.at(next)), mask);
      x0 = blend(x0, spec.init.levels, mask);
    }
    hooks.onStep?.(index + 1, total, x0);
  }
  return x0;
}

/** The timesteps from the one nearest `strength` on (t runs from 1 to 1/N); at least one step. */
function startFrom(timesteps: readonly number[], strength: number | undefined): readonly number[] {
  if (strength === undefined) return timesteps;
  const skip = Math.min(timesteps.length - 1, Math.round((1 - strength) * timesteps.length));
  return timesteps.slice(skip);
}

/** z_t = α_t·x + σ_t·ε per level, with ε the sample's own initial noise (so seeds still vary it). */
function noised(
  x: readonly Float32Array[],
  eps: Float32Array[],
  noise: ReadonlyArray<{ alpha: number; sigma: number }>,
): Float32Array[] {
  return eps.map((e, level) => {
    const { alpha, sigma } = noise[level] as { alpha: number; sigma: number };
    const input = x[level] as Float32Array;
    const out = new Float32Array(e.length);
    for (let i = 0; i < e.length; i++) out[i] = alpha * (input[i] as number) + sigma * (e[i] as number);
    return out;
  });
}

/** mask·drawn + (1 − mask)·kept per level; the [r, r] mask applies to every channel. */
export function blend(
  drawn: readonly Float32Array[],
  kept: readonly Float32Array[],
  mask: readonly Float32Array[],
): Float32Array[] {
  return drawn.map((d, level) => {
    const m = mask[level] as Float32Array;
    const k = kept[level] as Float32Array;
    const out = new Float32Array(d.length);
    for (let i = 0; i < d.length; i++) {
      const w = m[i % m.length] as number;
      out[i] = w * (d[i] as number) + (1 - w) * (k[i] as number);
    }
    return out;
  });
}

/** uncond + w (cond - uncond), with rows [cond, uncond] of `size` values each. */
function combineGuidance(output: Float32Array, size: number, w: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const c = output[i] as number;
    const u = output[size + i] as number;
    out[i] = u + w * (c - u);
  }
  return out;
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function throwIfAborted(signal: AbortSignal | undefined, done: number, total: number): void {
  if (signal?.aborted) {
    throw new MatryoshkaError('ABORTED', `Generation aborted after ${done} of ${total} steps`, {
      cause: signal.reason,
      details: { stepsDone: done, total },
    });
  }
}
