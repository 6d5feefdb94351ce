import { MatryoshkaError } from '../errors.js';
import { pool, readSquare } from './init-image.js';

/**
 * The inpainting mask as every level sees it: one plane [r, r] per level, outermost first, 1 where
 * the picture is repainted and 0 where it is kept, cropped and resized exactly as the input picture
 * (centre square, Lanczos) and average-pooled to the inner levels, so mask edges are soft there.
 *
 * Two conventions, told apart by the file itself: a mask with transparency repaints where it is
 * transparent (OpenAI's and the AI SDK's editing masks); an opaque one repaints where it is white
 * (diffusers, Photoshop selections). Grey is a partial repaint.
 */
export async function maskLevels(bytes: Uint8Array, resolutions: readonly number[]): Promise<Float32Array[]> {
  const outer = resolutions[0] as number;
  const rgba = await readSquare(
    bytes,
    outer,
    'rgba',
    'mask',
    'give a PNG or WebP: white or transparent where to repaint, black where to keep',
  );
  const plane = outer * outer;
  let transparent = false;
  for (let p = 0; p < plane && !transparent; p++) transparent = (rgba[p * 4 + 3] as number) < 255;
  const top = new Float32Array(plane);
  for (let p = 0; p < plane; p++) {
    const [r, g, b, a] = [0, 1, 2, 3].map((k) => rgba[p * 4 + k] as number) as [
      number,
      number,
      number,
      number,
    ];
    top[p] = transparent ? 1 - a / 255 : (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  }
  let repainted = 0;
  for (let p = 0; p < plane; p++) repainted += top[p] as number;
  if (repainted < 0.5) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      'mask: marks nothing to repaint; paint the area to change white (or transparent) and the rest black',
      { details: { issues: ['mask: nothing to repaint'] } },
    );
  }
  return resolutions.map((r) => pool(top, 1, outer, r));
}
