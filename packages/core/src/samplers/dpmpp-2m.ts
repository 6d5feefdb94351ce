import type { LevelNoise } from '../schedule.js';
import { GridSampler, type StepContext } from './sampler.js';

/**
 * DPM-Solver++(2M), data-prediction form, in λ = logsnr / 2. The per-level shift is a constant in
 * log-SNR, so every level shares the same step size h and ratio r.
 */
export class DpmPp2mSampler extends GridSampler {
  readonly name = 'dpmpp-2m';
  private previousX0: Float32Array[] | undefined;
  private previousH: number | undefined;

  protected override reset(): void {
    this.previousX0 = undefined;
    this.previousH = undefined;
  }

  protected update({ index, steps, x0, sample, noiseT, noiseS }: StepContext): Float32Array[] {
    const lambda = (n: LevelNoise) => n.logsnr / 2;
    const h = lambda(noiseS[0] as LevelNoise) - lambda(noiseT[0] as LevelNoise);
    const firstOrder = index === 0 || index === steps - 1 || this.previousX0 === undefined;
    const r = firstOrder ? 1 : (this.previousH as number) / h;
    const wNow = firstOrder ? 1 : 1 + 1 / (2 * r);
    const wPrev = firstOrder ? 0 : -1 / (2 * r);
    const prev = this.previousX0;
    const out = sample.map((z, level) => {
      const nt = noiseT[level] as LevelNoise;
      const ns = noiseS[level] as LevelNoise;
      const cz = ns.sigma / nt.sigma;
      const cd = -ns.alpha * Math.expm1(-h);
      const x = x0[level] as Float32Array;
      const xp = prev?.[level];
      const next = new Float32Array(z.length);
      for (let i = 0; i < z.length; i++) {
        const d = wNow * (x[i] as number) + (xp ? wPrev * (xp[i] as number) : 0);
        next[i] = cz * (z[i] as number) + cd * d;
      }
      return next;
    });
    this.previousX0 = x0;
    this.previousH = h;
    return out;
  }
}
