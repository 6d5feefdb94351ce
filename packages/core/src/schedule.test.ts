import { describe, expect, it } from 'vitest';
import {
  alphaSigma,
  levelShift,
  logsnrAt,
  logsnrBase,
  NestedSchedule,
  type ScheduleSpec,
  sigmoid,
} from './schedule.js';

const spec: ScheduleSpec = {
  type: 'cosine-logsnr',
  logsnrMin: -15,
  logsnrMax: 15,
  shift: { baseResolution: 16, power: 1 },
};

describe('cosine log-SNR schedule', () => {
  it('spans exactly [logsnrMin, logsnrMax] at t = 1 and t = 0', () => {
    expect(logsnrBase(0, spec)).toBeCloseTo(15, 10);
    expect(logsnrBase(1, spec)).toBeCloseTo(-15, 10);
  });

  it('is the plain cosine schedule in between: SNR = 1 at the midpoint of the angle range', () => {
    // tan(pi/4) = 1 -> logsnr 0; the symmetric truncation puts that angle at t = 1/2.
    expect(logsnrBase(0.5, spec)).toBeCloseTo(0, 10);
    const t = 0.3;
    const tMin = Math.atan(Math.exp(-7.5));
    const tMax = Math.atan(Math.exp(7.5));
    const angle = tMin + t * (tMax - tMin);
    expect(alphaSigma(logsnrBase(t, spec)).alpha).toBeCloseTo(Math.cos(angle), 10);
  });

  it('decreases monotonically in t', () => {
    let previous = Number.POSITIVE_INFINITY;
    for (let i = 0; i <= 100; i++) {
      const value = logsnrBase(i / 100, spec);
      expect(value).toBeLessThan(previous);
      previous = value;
    }
  });

  it('gives a level of resolution r the SNR of the base scaled by (base / r)^power', () => {
    expect(levelShift(16, spec)).toBe(0);
    expect(levelShift(64, spec)).toBeCloseTo(Math.log(4), 12);
    const t = 0.42;
    const snr = (r: number) => Math.exp(logsnrAt(t, r, spec));
    expect(snr(64) / snr(16)).toBeCloseTo(1 / 4, 12);
    const squared = { ...spec, shift: { baseResolution: 16, power: 2 } };
    expect(Math.exp(logsnrAt(t, 32, squared) - logsnrAt(t, 16, squared))).toBeCloseTo(1 / 4, 12);
  });

  it('is variance preserving without cancellation at the extremes', () => {
    for (const l of [-40, -15, -1, 0, 2, 15, 40]) {
      const { alpha, sigma } = alphaSigma(l);
      expect(alpha * alpha + sigma * sigma).toBeCloseTo(1, 12);
      expect(Math.log((alpha * alpha) / (sigma * sigma))).toBeCloseTo(l, 6);
    }
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
  });

  it('evaluates every level of a nested model at one shared t', () => {
    const nested = new NestedSchedule(spec, [64, 32, 16]);
    const [l64, l32, l16] = nested.at(0.7);
    expect(l16?.logsnr).toBeCloseTo(logsnrBase(0.7, spec), 12);
    expect((l32?.logsnr ?? 0) - (l64?.logsnr ?? 0)).toBeCloseTo(Math.log(2), 12);
    expect(l64?.alpha).toBeLessThan(l16?.alpha ?? 0);
  });
});
