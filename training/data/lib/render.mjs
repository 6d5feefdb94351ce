// SVG -> RGB uint8 on white, framed the same way for every source: sets differ in padding
// (Noto leaves ~10%, Fluent almost none), so the drawing is cropped to its visible pixels and
// placed in the centre with a fixed margin. Without this the model would learn each set's
// padding as part of its style.
import sharp from 'sharp';

// One libvips thread: the machine has two cores and a training run is using them.
sharp.concurrency(1);
sharp.cache(false);

const ALPHA_VISIBLE = 8;

/**
 * @param {string} svg an SVG sized at `supersample * res` on its longer side
 * @param {number} res output side in pixels
 * @param {{ marginFraction?: number, trim?: boolean }} [opts]
 * @returns {Promise<Buffer>} res*res*3 bytes, RGB, C order
 */
export async function renderSvg(svg, res, opts = {}) {
  const marginFraction = opts.marginFraction ?? 1 / 16;
  const { data, info } = await sharp(Buffer.from(svg), { density: 72 })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  let box = { left: 0, top: 0, width, height };
  if (opts.trim !== false) {
    const found = visibleBox(data, width, height);
    if (!found) throw new Error('blank render');
    box = found;
  }
  const margin = Math.round(res * marginFraction);
  const inner = res - 2 * margin;
  const out = await sharp(data, { raw: { width, height, channels: 4 } })
    .extract(box)
    .resize(inner, inner, { fit: 'contain', background: { r: 255, g: 255, b: 255, alpha: 0 }, kernel: 'lanczos3' })
    .extend({ top: margin, bottom: margin, left: margin, right: margin, background: { r: 255, g: 255, b: 255, alpha: 0 } })
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (out.info.width !== res || out.info.height !== res || out.info.channels !== 3) {
    throw new Error(`unexpected render size ${out.info.width}x${out.info.height}x${out.info.channels}`);
  }
  return out.data;
}

/** Bounding box of pixels with alpha above a small threshold (anti-aliasing dust ignored). */
function visibleBox(rgba, width, height) {
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    for (let x = 0; x < width; x++) {
      if (rgba[row + x * 4 + 3] > ALPHA_VISIBLE) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (maxX < 0) return null;
  return { left: minX, top: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** Fraction of pixels that are not (near) white: used to reject renders that came out empty. */
export function inkFraction(rgb) {
  let ink = 0;
  const n = rgb.length / 3;
  for (let i = 0; i < rgb.length; i += 3) {
    if (rgb[i] < 245 || rgb[i + 1] < 245 || rgb[i + 2] < 245) ink++;
  }
  return ink / n;
}
