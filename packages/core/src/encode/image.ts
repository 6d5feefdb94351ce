import type { Sharp } from 'sharp';
import type { ImageFormat } from '../constants.js';
import { toMatryoshkaError } from '../errors.js';
import { loadSharp } from '../load-sharp.js';
import { insertPngText } from '../png/chunks.js';
import { encodeRgbPngCompact } from '../png/compact.js';
import { MIME_TYPES } from '../schema.js';

export interface EncodeOptions {
  format: ImageFormat;
  /** Output size; differs from the native size only when the caller asked for another one. */
  width: number;
  height: number;
  /** Written as PNG text chunks; other formats carry `parameters` (ASCII JSON) as EXIF ImageDescription. */
  metadata: Record<string, string>;
}

export interface EncodedImage {
  bytes: Uint8Array;
  mimeType: string;
}

/**
 * Encodes 8-bit RGB (or RGBA, `channels` 4): a PNG at the native size with the built-in writer, anything else with sharp. Settings are fixed and nothing time-dependent is written, so the same
 * pixels always give the same bytes.
 */
export async function encodeImage(
  rgb: Uint8Array,
  nativeWidth: number,
  nativeHeight: number,
  options: EncodeOptions,
  channels: 3 | 4 = 3,
): Promise<EncodedImage> {
  try {
    const native = options.width === nativeWidth && options.height === nativeHeight;
    if (options.format === 'png' && native && channels === 3) {
      // The common case needs no libvips at all (png-compact.ts: same size files, no 135 ms load).
      return {
        bytes: insertPngText(encodeRgbPngCompact(rgb, nativeWidth, nativeHeight), options.metadata),
        mimeType: MIME_TYPES.png,
      };
    }
    const sharp = await loadSharp();
    let pipeline = sharp(rgb, { raw: { width: nativeWidth, height: nativeHeight, channels } });
    if (options.width !== nativeWidth || options.height !== nativeHeight) {
      pipeline = pipeline.resize(options.width, options.height, { fit: 'cover', kernel: 'lanczos3' });
    }
    const description = options.metadata.parameters;
    const withExif = (p: Sharp) => withDescription(p, description);
    let bytes: Uint8Array;
    switch (options.format) {
      case 'png': {
        const png = await pipeline.png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer();
        bytes = insertPngText(new Uint8Array(png), options.metadata);
        break;
      }
      case 'webp':
        bytes = new Uint8Array(await withExif(pipeline.webp({ quality: 92, effort: 4 })).toBuffer());
        break;
      case 'jpeg':
        bytes = new Uint8Array(
          await withExif(pipeline.jpeg({ quality: 92, chromaSubsampling: '4:4:4' })).toBuffer(),
        );
        break;
      case 'avif':
        bytes = new Uint8Array(await withExif(pipeline.avif({ quality: 70, effort: 4 })).toBuffer());
        break;
    }
    return { bytes, mimeType: MIME_TYPES[options.format] };
  } catch (error) {
    throw toMatryoshkaError(error, 'RUNTIME_ERROR', `Encoding the ${options.format} image failed`);
  }
}

/** The replayable settings in EXIF ImageDescription, where WebP, JPEG and AVIF readers show them. */
export function withDescription(pipeline: Sharp, description: string | undefined): Sharp {
  return description === undefined
    ? pipeline
    : pipeline.withExif({ IFD0: { ImageDescription: description, Software: 'Matryoshka' } });
}
