import type { NoiseRng } from '../rng.js';
import type { LevelNoise } from '../schedule.js';
import { GridSampler, type SamplerConfig, type StepContext } from './sampler.js';

/** Ancestral sampling from the Gaussian posterior q(z_s | z_t, x0), fresh noise every step. */
export class DdpmSampler extends GridSampler {
  readonly name = 'ddpm';
  private readonly rng: NoiseRng;

  constructor(config: SamplerConfig) {
    super(config);
    if (!config.rng) throw new Error('the ddpm sampler needs an rng for its per-step noise');
    this.rng = config.rng;
  }

  protected update({ x0, sample, noiseT, noiseS }: StepContext): Float32Array[] {
    // Noise for all levels is drawn in manifest order, NCHW, as the shared RNG contract requires.
    return sample.map((z, level) => {
      const nt = noiseT[level] as LevelNoise;
      const ns = noiseS[level] as LevelNoise;
      // 1 - SNR_t/SNR_s = sigma_ts^2 / sigma_t^2, via expm1 so close steps do not cancel.
      const keep = -Math.expm1(nt.logsnr - ns.logsnr);
      const cz = (Math.exp(nt.logsnr - ns.logsnr) * ns.alpha) / nt.alpha;
      const cx = ns.alpha * keep;
      const std = ns.sigma * Math.sqrt(keep);
      const x = x0[level] as Float32Array;
      const out = new Float32Array(z.length);
      for (let i = 0; i < z.length; i++) {
        out[i] = cz * (z[i] as number) + cx * (x[i] as number) + std * this.rng.normal();
      }
      return out;
    });
  }
}
