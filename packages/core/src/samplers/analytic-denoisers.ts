import type { LevelNoise } from '../schedule.js';

/**
 * Exact denoisers for data distributions whose diffusion has a closed form. They stand in for a
 * trained network in sampler tests, so a sampler's error is its own discretisation error alone.
 */

/** Data = one fixed picture x*: the exact v-prediction is (alpha z - x*) / sigma. */
export function pointMassV(target: Float32Array, z: Float32Array, noise: LevelNoise): Float32Array {
  const v = new Float32Array(z.length);
  for (let i = 0; i < z.length; i++)
    v[i] = (noise.alpha * (z[i] as number) - (target[i] as number)) / noise.sigma;
  return v;
}

/** Each pixel independently N(mean, std^2): E[x0 | z] is linear in z. */
export function gaussianX0(mean: number, std: number, z: Float32Array, noise: LevelNoise): Float32Array {
  const { alpha, sigma } = noise;
  const gain = (alpha * std * std) / (alpha * alpha * std * std + sigma * sigma);
  return z.map((zi) => mean + gain * (zi - alpha * mean));
}

/**
 * The probability-flow ODE for Gaussian data keeps each pixel's standard score, so the exact
 * solution from z at time t to time s is an affine map.
 */
export function gaussianOdeSolution(
  mean: number,
  std: number,
  z: Float32Array,
  from: LevelNoise,
  to: LevelNoise,
): Float64Array {
  const spread = (n: LevelNoise) => Math.sqrt(n.alpha * n.alpha * std * std + n.sigma * n.sigma);
  const ratio = spread(to) / spread(from);
  return Float64Array.from(z, (zi) => to.alpha * mean + ratio * (zi - from.alpha * mean));
}
