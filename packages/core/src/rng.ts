/**
 * The noise generator every implementation of the bundle format shares (docs/model-bundle.md,
 * "Determinism"): xoshiro128** seeded through splitmix32, normals by Box–Muller. Plain 32-bit integer
 * arithmetic, so Python and TypeScript produce the same stream bit for bit.
 */

/** Returns successive splitmix32 outputs (uint32) from `seed`. */
export function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
const TWO_POW_24 = 16777216;

export class NoiseRng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  // Box–Muller yields normals in pairs; the second is kept for the next draw so the stream never skips.
  private spare: number | undefined;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be a uint32, got ${seed}`);
    }
    const init = splitmix32(seed);
    this.s0 = init();
    this.s1 = init();
    this.s2 = init();
    this.s3 = init();
  }

  /** xoshiro128**: the next uint32. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in the open interval (0, 1): never 0, so log(u) is always finite. */
  uniform(): number {
    return ((this.nextUint32() >>> 8) + 0.5) / TWO_POW_24;
  }

  /** A standard normal in float64 (callers store it as float32). */
  normal(): number {
    if (this.spare !== undefined) {
      const value = this.spare;
      this.spare = undefined;
      return value;
    }
    const u1 = this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * u2;
    this.spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  }

  /** Fills `out` with standard normals in index order (NCHW when `out` is a tensor). */
  fillNormal(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }
}
