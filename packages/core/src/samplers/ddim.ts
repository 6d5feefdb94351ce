import type { LevelNoise } from '../schedule.js';
import { GridSampler, type StepContext } from './sampler.js';

/** Deterministic DDIM (η = 0): keeps the implied noise and moves x0 to the next noise level. */
export class DdimSampler extends GridSampler {
  readonly name = 'ddim';

  protected update({ x0, sample, noiseT, noiseS }: StepContext): Float32Array[] {
    return sample.map((z, level) => {
      const { alpha: at, sigma: st } = noiseT[level] as LevelNoise;
      const { alpha: as, sigma: ss } = noiseS[level] as LevelNoise;
      const x = x0[level] as Float32Array;
      const out = new Float32Array(z.length);
      // eps is recomputed from the clipped x0, so clipping steers both terms (docs/model-bundle.md).
      for (let i = 0; i < z.length; i++) {
        const xi = x[i] as number;
        out[i] = as * xi + (ss * ((z[i] as number) - at * xi)) / st;
      }
      return out;
    });
  }
}
