import { MatryoshkaError } from '../errors.js';
import { loadSharp } from '../load-sharp.js';

/**
 * The input picture of an image-to-image request as every level sees it: centre-cropped to a
 * square, flattened onto white (the models draw on white), resized to the outermost level, then
 * average-pooled down to each inner level, as the nested levels of a training picture are made.
 * Planar [C, r, r] values in [-1, 1], outermost first.
 */
export async function initLevels(
  bytes: Uint8Array,
  resolutions: readonly number[],
  channels: number,
): Promise<Float32Array[]> {
  const outer = resolutions[0] as number;
  let rgb: Buffer;
  try {
    const sharp = await loadSharp();
    rgb = await sharp(bytes, { pages: 1 })
      .flatten({ background: '#ffffff' })
      .resize(outer, outer, { fit: 'cover', kernel: 'lanczos3' })
      .removeAlpha()
      .raw()
      .toBuffer();
  } catch (error) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      `image: could not read the picture (${(error as Error).message}); give the bytes of a PNG, WebP, JPEG, AVIF or GIF file`,
      { cause: error, details: { issues: ['image: not a readable picture'] } },
    );
  }
  const plane = outer * outer;
  const top = new Float32Array(channels * plane);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < channels; c++)
      top[c * plane + p] = (rgb[p * 3 + Math.min(c, 2)] as number) / 127.5 - 1;
  }
  return resolutions.map((r) => pool(top, channels, outer, r));
}

/** Average pooling of a planar [C, R, R] array to [C, r, r] (R a multiple of r). */
export function pool(x: Float32Array, channels: number, from: number, to: number): Float32Array {
  if (to === from) return x;
  if (from % to !== 0)
    throw new MatryoshkaError('MODEL_CORRUPT', `level ${to} px does not divide ${from} px`);
  const k = from / to;
  const out = new Float32Array(channels * to * to);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < to; y++) {
      for (let x0 = 0; x0 < to; x0++) {
        let sum = 0;
        for (let dy = 0; dy < k; dy++) {
          for (let dx = 0; dx < k; dx++)
            sum += x[c * from * from + (y * k + dy) * from + x0 * k + dx] as number;
        }
        out[c * to * to + y * to + x0] = sum / (k * k);
      }
    }
  }
  return out;
}
