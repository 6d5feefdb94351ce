import { z } from 'zod';

export const ScheduleSpecSchema = z.object({
  type: z.literal('cosine-logsnr'),
  logsnrMin: z.number(),
  logsnrMax: z.number(),
  shift: z.object({ baseResolution: z.number().positive(), power: z.number() }),
});
export type ScheduleSpec = z.output<typeof ScheduleSpecSchema>;

/** The truncated cosine schedule in log-SNR (docs/model-bundle.md, "Noise schedule"). */
export function logsnrBase(t: number, spec: ScheduleSpec): number {
  const tMin = Math.atan(Math.exp(-spec.logsnrMax / 2));
  const tMax = Math.atan(Math.exp(-spec.logsnrMin / 2));
  return -2 * Math.log(Math.tan(tMin + t * (tMax - tMin)));
}

/** MDM's per-level shift: larger levels see less signal at the same t. */
export function levelShift(resolution: number, spec: ScheduleSpec): number {
  return spec.shift.power * Math.log(resolution / spec.shift.baseResolution);
}

export function logsnrAt(t: number, resolution: number, spec: ScheduleSpec): number {
  return logsnrBase(t, spec) - levelShift(resolution, spec);
}

export interface AlphaSigma {
  alpha: number;
  sigma: number;
}

/** Variance preserving: alpha^2 = sigmoid(logsnr), sigma^2 = sigmoid(-logsnr), each computed without cancellation. */
export function alphaSigma(logsnr: number): AlphaSigma {
  return { alpha: Math.sqrt(sigmoid(logsnr)), sigma: Math.sqrt(sigmoid(-logsnr)) };
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** One level's noise state at time t. */
export interface LevelNoise extends AlphaSigma {
  logsnr: number;
}

/** Joint schedule over all levels of a bundle: one t, one (alpha, sigma) per level. */
export class NestedSchedule {
  constructor(
    readonly spec: ScheduleSpec,
    readonly resolutions: readonly number[],
  ) {}

  at(t: number): LevelNoise[] {
    return this.resolutions.map((r) => {
      const logsnr = logsnrAt(t, r, this.spec);
      return { logsnr, ...alphaSigma(logsnr) };
    });
  }
}
