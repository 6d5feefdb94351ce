/**
 * One sample's [C, H, W] values in [-1, 1] → interleaved 8-bit RGB, `floor((x + 1) * 127.5 + 0.5)`
 * clamped (docs/model-bundle.md). sharp reads Float32 raw input as 16-bit, so bytes are made here.
 */
export function toRgb8(planar: Float32Array, channels: number, width: number, height: number): Uint8Array {
  const plane = width * height;
  const out = new Uint8Array(plane * 3);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) {
      const x = planar[Math.min(c, channels - 1) * plane + p] as number;
      const v = Math.floor((x + 1) * 127.5 + 0.5);
      out[p * 3 + c] = v < 0 ? 0 : Math.min(v, 255);
    }
  }
  return out;
}

/** Frame f of an NCFHW level as a planar [C, H, W] array. */
export function frameOf(
  level: Float32Array,
  channels: number,
  frames: number,
  f: number,
  plane: number,
): Float32Array {
  const out = new Float32Array(channels * plane);
  for (let c = 0; c < channels; c++) {
    out.set(level.subarray((c * frames + f) * plane, (c * frames + f + 1) * plane), c * plane);
  }
  return out;
}
