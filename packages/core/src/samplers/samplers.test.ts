import { describe, expect, it } from 'vitest';
import { NoiseRng } from '../rng.js';
import { type LevelNoise, NestedSchedule, type ScheduleSpec } from '../schedule.js';
import { gaussianOdeSolution, gaussianX0, pointMassV } from './analytic-denoisers.js';
import { createSampler, type SamplerConfig } from './index.js';

const spec: ScheduleSpec = {
  type: 'cosine-logsnr',
  logsnrMin: -15,
  logsnrMax: 15,
  shift: { baseResolution: 16, power: 1 },
};
const resolutions = [64, 32, 16];
const schedule = new NestedSchedule(spec, resolutions);
const noClip = { clip: false, dynamicThreshold: null };
const sizeOf = (r: number) => 3 * r * r;

function noiseLevels(seed: number, sizes: number[] = resolutions.map(sizeOf)): Float32Array[] {
  const rng = new NoiseRng(seed);
  return sizes.map((n) => rng.fillNormal(new Float32Array(n)));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('samplers against a point-mass data distribution (exact denoiser)', () => {
  // A fixed "picture" per level; the exact model always knows x0 = x*.
  const targets = resolutions.map((r, l) =>
    Float32Array.from({ length: sizeOf(r) }, (_, i) => Math.sin(i * 0.37 + l) * 0.8),
  );

  for (const name of ['ddim', 'dpmpp-2m'] as const) {
    it(`${name} follows the exact trajectory z_t = alpha_t x* + sigma_t eps at every step`, () => {
      const eps0 = noiseLevels(7);
      const config: SamplerConfig = { schedule, prediction: 'v', x0: noClip, batch: 1 };
      const sampler = createSampler(name, config);
      sampler.setTimesteps(12);
      expect(sampler.timesteps).toHaveLength(12);
      expect(sampler.timesteps[0]).toBe(1);
      // z_1 itself is on the trajectory: alpha_1 x* + sigma_1 eps.
      let z: Float32Array[] = eps0.map((e, l) => {
        const n = schedule.at(1)[l] as LevelNoise;
        return e.map((ei, i) => n.alpha * (targets[l]?.[i] as number) + n.sigma * ei);
      });
      let worst = 0;
      sampler.timesteps.forEach((t, i) => {
        const output = z.map((zl, l) =>
          pointMassV(targets[l] as Float32Array, zl, schedule.at(t)[l] as LevelNoise),
        );
        const { prevSample, predOriginalSample } = sampler.step(output, t, z);
        const s = i + 1 < sampler.timesteps.length ? (sampler.timesteps[i + 1] as number) : 0;
        prevSample.forEach((zs, l) => {
          const n = schedule.at(s)[l] as LevelNoise;
          const expected = (eps0[l] as Float32Array).map(
            (e, k) => n.alpha * (targets[l]?.[k] as number) + n.sigma * e,
          );
          worst = Math.max(
            worst,
            maxAbsDiff(zs, expected),
            maxAbsDiff(predOriginalSample[l] as Float32Array, targets[l] as Float32Array),
          );
        });
        z = prevSample;
      });
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('ddpm keeps the marginal N(alpha_s x*, sigma_s^2) at every step', () => {
    const rng = new NoiseRng(11);
    const sampler = createSampler('ddpm', { schedule, prediction: 'v', x0: noClip, batch: 1, rng });
    sampler.setTimesteps(8);
    let z: Float32Array[] = noiseLevels(3).map((e, l) => {
      const n = schedule.at(1)[l] as LevelNoise;
      return e.map((ei, i) => n.alpha * (targets[l]?.[i] as number) + n.sigma * ei);
    });
    sampler.timesteps.forEach((t, i) => {
      const output = z.map((zl, l) =>
        pointMassV(targets[l] as Float32Array, zl, schedule.at(t)[l] as LevelNoise),
      );
      z = sampler.step(output, t, z).prevSample;
      const s = i + 1 < sampler.timesteps.length ? (sampler.timesteps[i + 1] as number) : 0;
      // The 64 px level has 12288 pixels: the standardised residual must look like N(0, 1).
      const n = schedule.at(s)[0] as LevelNoise;
      const residual = Array.from(
        z[0] as Float32Array,
        (v, k) => (v - n.alpha * (targets[0]?.[k] as number)) / n.sigma,
      );
      const mean = residual.reduce((a, b) => a + b, 0) / residual.length;
      const variance = residual.reduce((a, b) => a + (b - mean) ** 2, 0) / residual.length;
      expect(Math.abs(mean)).toBeLessThan(0.05);
      expect(Math.abs(variance - 1)).toBeLessThan(0.06);
    });
  });

  it('converts eps and x0 predictions the same way as v', () => {
    for (const prediction of ['eps', 'x0'] as const) {
      const sampler = createSampler('ddim', { schedule, prediction, x0: noClip, batch: 1 });
      sampler.setTimesteps(4);
      const t = sampler.timesteps[2] as number;
      const z = noiseLevels(5);
      const output = z.map((zl, l) => {
        const n = schedule.at(t)[l] as LevelNoise;
        const x = targets[l] as Float32Array;
        return prediction === 'x0' ? x : zl.map((zi, k) => (zi - n.alpha * (x[k] as number)) / n.sigma);
      });
      const { predOriginalSample } = sampler.step(output, t, z);
      predOriginalSample.forEach((x0, l) => {
        expect(maxAbsDiff(x0, targets[l] as Float32Array)).toBeLessThan(1e-5);
      });
    }
  });
});

describe('samplers against Gaussian data (closed-form probability-flow ODE)', () => {
  const params = [
    { mean: 0.3, std: 0.5 },
    { mean: -0.2, std: 0.7 },
  ];
  const two = new NestedSchedule(spec, [32, 16]);
  const sizes = [256, 64];

  /** Error of z at t = 1/2 (on every even grid) against the exact ODE solution from the same z_1. */
  function errorAtHalf(name: 'ddim' | 'dpmpp-2m', steps: number): number {
    const sampler = createSampler(name, { schedule: two, prediction: 'x0', x0: noClip, batch: 1 });
    sampler.setTimesteps(steps);
    const z1 = noiseLevels(21, sizes).map((e, l) => {
      const n = two.at(1)[l] as LevelNoise;
      const p = params[l] as { mean: number; std: number };
      return e.map((ei) => n.alpha * p.mean + Math.sqrt(n.alpha ** 2 * p.std ** 2 + n.sigma ** 2) * ei);
    });
    let z: Float32Array[] = z1;
    for (const t of sampler.timesteps) {
      if (t <= 0.5) break;
      const output = z.map((zl, l) => {
        const p = params[l] as { mean: number; std: number };
        return gaussianX0(p.mean, p.std, zl, two.at(t)[l] as LevelNoise);
      });
      z = sampler.step(output, t, z).prevSample;
    }
    return Math.max(
      ...z.map((zl, l) => {
        const p = params[l] as { mean: number; std: number };
        const exact = gaussianOdeSolution(
          p.mean,
          p.std,
          z1[l] as Float32Array,
          two.at(1)[l] as LevelNoise,
          two.at(0.5)[l] as LevelNoise,
        );
        return maxAbsDiff(zl, exact);
      }),
    );
  }

  it('DDIM converges at first order, DPM-Solver++(2M) at second order', () => {
    const grids = [8, 16, 32, 64];
    const ddim = grids.map((n) => errorAtHalf('ddim', n));
    const dpm = grids.map((n) => errorAtHalf('dpmpp-2m', n));
    const order = (errors: number[]) => Math.log2((errors.at(-2) as number) / (errors.at(-1) as number));
    expect(order(ddim)).toBeGreaterThan(0.8);
    expect(order(ddim)).toBeLessThan(1.3);
    expect(order(dpm)).toBeGreaterThan(1.6);
    expect(dpm.at(-1) as number).toBeLessThan((ddim.at(-1) as number) / 5);
  });
});

describe('sampler protocol', () => {
  it('rejects a t that is not on its grid', () => {
    const sampler = createSampler('ddim', { schedule, prediction: 'v', x0: noClip, batch: 1 });
    sampler.setTimesteps(4);
    const z = noiseLevels(1);
    expect(() => sampler.step(z, 0.3, z)).toThrow(/not one of this sampler's timesteps/);
  });

  it('clips x0 to [-1, 1] when the bundle asks for it', () => {
    const sampler = createSampler('ddim', {
      schedule,
      prediction: 'x0',
      x0: { clip: true, dynamicThreshold: null },
      batch: 1,
    });
    sampler.setTimesteps(2);
    const z = noiseLevels(2);
    const wild = z.map((l) => l.map((v) => v * 5));
    const { predOriginalSample } = sampler.step(wild, 1, z);
    for (const level of predOriginalSample) {
      expect(Math.max(...level)).toBeLessThanOrEqual(1);
      expect(Math.min(...level)).toBeGreaterThanOrEqual(-1);
      expect(Math.max(...level)).toBe(1);
    }
  });
});
