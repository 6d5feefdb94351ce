import sharp from 'sharp';

export interface Thumbnail {
  data: Uint8Array;
  mimeType: string;
  width: number;
  height: number;
}

/**
 * A small still for inline display: the first frame, fitted inside `maxSize`² and never enlarged
 * (an upscaled 64 px image would cost bytes and show nothing new). A picture that already fits and
 * is already in the wanted format is passed through untouched.
 */
export async function makeThumbnail(
  image: { bytes: Uint8Array; mimeType: string; width: number; height: number },
  maxSize: number,
  format: 'png' | 'webp',
): Promise<Thumbnail> {
  const mimeType = `image/${format}`;
  const animated = image.mimeType === 'image/gif' || (await pageCount(image.bytes)) > 1;
  if (!animated && image.mimeType === mimeType && Math.max(image.width, image.height) <= maxSize) {
    return { data: image.bytes, mimeType, width: image.width, height: image.height };
  }
  const pipeline = sharp(image.bytes, { pages: 1 }).resize({
    width: maxSize,
    height: maxSize,
    fit: 'inside',
    withoutEnlargement: true,
  });
  const encoded = format === 'png' ? pipeline.png({ compressionLevel: 9 }) : pipeline.webp({ quality: 80 });
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), mimeType, width: info.width, height: info.height };
}

async function pageCount(bytes: Uint8Array): Promise<number> {
  try {
    // Without `pages: -1` sharp opens only the first frame and reports no page count.
    return (await sharp(bytes, { pages: -1 }).metadata()).pages ?? 1;
  } catch {
    return 1;
  }
}
