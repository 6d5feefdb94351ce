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
  const rgb = await readSquare(
    bytes,
    outer,
    'rgb-on-white',
    'image',
    'give the bytes of a PNG, WebP, JPEG, AVIF or GIF file',
  );
  const plane = outer * outer;
  const top = new Float32Array(channels * plane);
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < channels; c++)
      top[c * plane + p] = (rgb[p * 3 + Math.min(c, 2)] as number) / 127.5 - 1;
  }
  return resolutions.map((r) => pool(top, channels, outer, r));
}

/**
 * A request's input picture (or its mask) as raw pixels: centre-cropped to a square and resized to
 * `side` with Lanczos, the same crop for both so a mask lines up with its picture. 'rgb-on-white'
 * flattens transparency onto white; 'rgba' keeps it. An unreadable picture is INVALID_REQUEST.
 */
export async function readSquare(
  bytes: Uint8Array,
  side: number,
  pixels: 'rgb-on-white' | 'rgba',
  field: 'image' | 'mask',
  hint: string,
): Promise<Buffer> {
  try {
    const sharp = await loadSharp();
    const picture = sharp(bytes, { pages: 1 });
    const square = (pixels === 'rgba' ? picture : picture.flatten({ background: '#ffffff' })).resize(
      side,
      side,
      {
        fit: 'cover',
        kernel: 'lanczos3',
      },
    );
    return await (pixels === 'rgba' ? square.ensureAlpha() : square.removeAlpha()).raw().toBuffer();
  } catch (error) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      `${field}: could not read the picture (${(error as Error).message}); ${hint}`,
      { cause: error, details: { issues: [`${field}: not a readable picture`] } },
    );
  }
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
