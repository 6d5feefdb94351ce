import type { LevelNoise } from './schedule.js';

export type PredictionType = 'v' | 'eps' | 'x0';

export interface DynamicThreshold {
  percentile: number;
  max: number;
}

export interface X0Policy {
  clip: boolean;
  dynamicThreshold: DynamicThreshold | null;
}

/** Converts one level's model output into an x0 estimate, with that level's alpha and sigma. */
export function predictX0(
  output: Float32Array,
  z: Float32Array,
  noise: LevelNoise,
  prediction: PredictionType,
): Float32Array {
  const { alpha, sigma } = noise;
  const x0 = new Float32Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const zi = z[i] as number;
    const oi = output[i] as number;
    if (prediction === 'v') x0[i] = alpha * zi - sigma * oi;
    else if (prediction === 'eps') x0[i] = (zi - sigma * oi) / alpha;
    else x0[i] = oi;
  }
  return x0;
}

/** Applies the bundle's x0 policy in place: Imagen dynamic thresholding per sample, else a plain clamp. */
export function applyX0Policy(x0: Float32Array, batch: number, policy: X0Policy): void {
  if (policy.dynamicThreshold) {
    const per = x0.length / batch;
    for (let b = 0; b < batch; b++) {
      const sample = x0.subarray(b * per, (b + 1) * per);
      const s = Math.min(
        Math.max(1, quantile(sample.map(Math.abs), policy.dynamicThreshold.percentile)),
        policy.dynamicThreshold.max,
      );
      for (let i = 0; i < sample.length; i++) sample[i] = clamp(sample[i] as number, -s, s) / s;
    }
  } else if (policy.clip) {
    for (let i = 0; i < x0.length; i++) x0[i] = clamp(x0[i] as number, -1, 1);
  }
}

/** Linear interpolation between order statistics, as numpy.quantile and torch.quantile do by default. */
export function quantile(values: Float32Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  const position = p * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (position - lo);
}

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : Math.min(x, hi));
