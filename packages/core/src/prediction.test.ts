import { describe, expect, it } from 'vitest';
import { applyX0Policy, predictX0, quantile } from './prediction.js';
import { alphaSigma } from './schedule.js';

describe('x0 estimates', () => {
  const noise = { logsnr: 0.7, ...alphaSigma(0.7) };
  const x = Float32Array.from([0.5, -0.25, 0.9]);
  const eps = Float32Array.from([1.2, -0.3, 0.05]);
  const z = x.map((xi, i) => noise.alpha * xi + noise.sigma * (eps[i] as number));

  it('recovers x0 from v, eps and x0 predictions alike', () => {
    const v = x.map((xi, i) => noise.alpha * (eps[i] as number) - noise.sigma * xi);
    for (const [type, output] of [
      ['v', v],
      ['eps', eps],
      ['x0', x],
    ] as const) {
      const x0 = predictX0(output, z, noise, type);
      x0.forEach((value, i) => {
        expect(value).toBeCloseTo(x[i] as number, 6);
      });
    }
  });
});

describe('x0 policy', () => {
  it('interpolates quantiles linearly between order statistics (numpy default)', () => {
    const values = Float32Array.from([5, 1, 4, 2, 3]);
    expect(quantile(values, 0.5)).toBe(3);
    expect(quantile(values, 0.9)).toBeCloseTo(4.6, 6);
    expect(quantile(values, 1)).toBe(5);
    expect(quantile(values, 0)).toBe(1);
  });

  it('clips to [-1, 1]', () => {
    const x0 = Float32Array.from([-3, -0.5, 0.5, 3]);
    applyX0Policy(x0, 1, { clip: true, dynamicThreshold: null });
    expect(Array.from(x0)).toEqual([-1, -0.5, 0.5, 1]);
  });

  it('thresholds dynamically per sample: s = clamp(quantile(|x0|), 1, max), then clamp(x0, ±s) / s', () => {
    // Sample 0 stays inside [-1, 1] (s = 1: unchanged); sample 1 has |x0| up to 3 with quantile 2.5.
    const x0 = Float32Array.from([0.2, -0.4, 0.6, -0.8, 1, 2, 3, -3]);
    applyX0Policy(x0, 2, { clip: true, dynamicThreshold: { percentile: 0.5, max: 1.5 } });
    expect(Array.from(x0.subarray(0, 4))).toEqual(Array.from(Float32Array.from([0.2, -0.4, 0.6, -0.8])));
    // Quantile 2.5 is capped at max 1.5: clamp to ±1.5 then divide by 1.5.
    expect(Array.from(x0.subarray(4))).toEqual(Array.from(Float32Array.from([1 / 1.5, 1, 1, -1])));
  });
});
