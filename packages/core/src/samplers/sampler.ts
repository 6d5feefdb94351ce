import { applyX0Policy, type PredictionType, predictX0, type X0Policy } from '../prediction.js';
import type { NoiseRng } from '../rng.js';
import type { LevelNoise, NestedSchedule } from '../schedule.js';

/** Everything a sampler needs to know about the model it drives. */
export interface SamplerConfig {
  schedule: NestedSchedule;
  prediction: PredictionType;
  x0: X0Policy;
  /** Samples per level tensor; each level array holds batch * C * r * r values. */
  batch: number;
  /** Source of fresh noise for stochastic samplers (DDPM). */
  rng?: NoiseRng;
}

export interface SamplerStep {
  /** z at the next (smaller) time, one array per level. */
  prevSample: Float32Array[];
  /** The clipped/thresholded x0 estimate that drove this step, one array per level. */
  predOriginalSample: Float32Array[];
}

/**
 * A diffusers-style scheduler over all nested levels at once: the caller owns the loop,
 * `for (const t of sampler.timesteps) sample = sampler.step(model(sample, t), t, sample).prevSample`.
 */
export interface Sampler {
  readonly name: string;
  /** The times at which the model is called, from 1 down to 1/N. */
  readonly timesteps: readonly number[];
  setTimesteps(steps: number): void;
  step(modelOutput: Float32Array[], t: number, sample: Float32Array[]): SamplerStep;
}

/** The grid t_i = 1 - i/N shared by every sampler; holds the bookkeeping common to all of them. */
export abstract class GridSampler implements Sampler {
  abstract readonly name: string;
  private grid: number[] = [];

  constructor(protected readonly config: SamplerConfig) {}

  get timesteps(): readonly number[] {
    return this.grid.slice(0, -1);
  }

  setTimesteps(steps: number): void {
    if (!Number.isInteger(steps) || steps < 1)
      throw new RangeError(`steps must be an integer ≥ 1, got ${steps}`);
    this.grid = Array.from({ length: steps + 1 }, (_, i) => 1 - i / steps);
    this.reset();
  }

  step(modelOutput: Float32Array[], t: number, sample: Float32Array[]): SamplerStep {
    const index = this.grid.indexOf(t);
    if (index < 0 || index >= this.grid.length - 1) {
      throw new RangeError(`t=${t} is not one of this sampler's timesteps (call setTimesteps first)`);
    }
    const s = this.grid[index + 1] as number;
    const noiseT = this.config.schedule.at(t);
    const noiseS = this.config.schedule.at(s);
    const x0 = modelOutput.map((output, level) => {
      const estimate = predictX0(
        output,
        sample[level] as Float32Array,
        noiseT[level] as LevelNoise,
        this.config.prediction,
      );
      applyX0Policy(estimate, this.config.batch, this.config.x0);
      return estimate;
    });
    const prevSample = this.update({ index, steps: this.grid.length - 1, t, s, noiseT, noiseS, x0, sample });
    return { prevSample, predOriginalSample: x0 };
  }

  protected reset(): void {}

  protected abstract update(ctx: StepContext): Float32Array[];
}

export interface StepContext {
  /** 0-based index of this step; steps is N. */
  index: number;
  steps: number;
  t: number;
  s: number;
  noiseT: LevelNoise[];
  noiseS: LevelNoise[];
  x0: Float32Array[];
  sample: Float32Array[];
}
