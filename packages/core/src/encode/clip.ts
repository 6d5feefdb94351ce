import type { ClipFormat } from '../constants.js';
import { toMatryoshkaError } from '../errors.js';
import { loadSharp } from '../load-sharp.js';
import { insertPngText } from '../png/chunks.js';
import { MIME_TYPES } from '../schema.js';
import { withDescription } from './image.js';

export interface ClipEncodeOptions {
  format: ClipFormat;
  fps: number;
  loop: boolean;
  /** Output frame size; differs from the native size only when the caller asked for another one. */
  width: number;
  height: number;
  /** PNG text chunks for png-frames; `parameters` goes into the EXIF ImageDescription of WebP. */
  metadata: Record<string, string>;
}

export interface EncodedClipFile {
  bytes: Uint8Array;
  mimeType: string;
  /** Frames in this file: all of them for an animation, 1 for a PNG frame. */
  frames: number;
  /** png-frames only: which frame this is. */
  frameIndex?: number;
}

/**
 * Encodes 8-bit RGB frames with sharp: an animated WebP or GIF (one file), or one PNG per frame.
 * sharp takes an animation as ONE tall raw image with `pageHeight`, and its `delay` must be an array
 * with one entry per frame (a single number sets only the first frame's delay).
 */
export async function encodeClip(
  frames: readonly Uint8Array[],
  nativeSize: number,
  options: ClipEncodeOptions,
  channels: 3 | 4 = 3,
): Promise<EncodedClipFile[]> {
  try {
    const sharp = await loadSharp();
    const resized = await Promise.all(frames.map((rgb) => resizeFrame(rgb, nativeSize, options, channels)));
    const { width, height, format } = options;
    if (format === 'png-frames') {
      return Promise.all(
        resized.map(async (rgb, frameIndex) => {
          const png = await sharp(rgb, { raw: { width, height, channels } })
            .png({ compressionLevel: 9, adaptiveFiltering: true })
            .toBuffer();
          const metadata = { ...options.metadata, 'matryoshka:frame': `${frameIndex + 1}/${frames.length}` };
          return {
            bytes: insertPngText(new Uint8Array(png), metadata),
            mimeType: MIME_TYPES.png,
            frames: 1,
            frameIndex,
          };
        }),
      );
    }
    const tall = new Uint8Array(width * height * channels * resized.length);
    resized.forEach((rgb, i) => {
      tall.set(rgb, i * rgb.length);
    });
    const delay = frames.map(() => Math.round(1000 / options.fps));
    // loop: 0 repeats forever; 1 plays once.
    const animation = { loop: options.loop ? 0 : 1, delay };
    const pipeline = sharp(tall, {
      raw: { width, height: height * resized.length, channels, pageHeight: height },
    });
    const description = options.metadata.parameters;
    const bytes =
      format === 'gif'
        ? await pipeline.gif({ ...animation, effort: 7, dither: 0.5 }).toBuffer()
        : await withDescription(pipeline, description)
            .webp({ ...animation, quality: 90, effort: 4 })
            .toBuffer();
    return [{ bytes: new Uint8Array(bytes), mimeType: MIME_TYPES[format], frames: frames.length }];
  } catch (error) {
    throw toMatryoshkaError(error, 'RUNTIME_ERROR', `Encoding the ${options.format} clip failed`);
  }
}

async function resizeFrame(
  rgb: Uint8Array,
  nativeSize: number,
  options: ClipEncodeOptions,
  channels: 3 | 4,
): Promise<Uint8Array> {
  if (options.width === nativeSize && options.height === nativeSize) return rgb;
  const sharp = await loadSharp();
  const out = await sharp(rgb, { raw: { width: nativeSize, height: nativeSize, channels } })
    .resize(options.width, options.height, { fit: 'cover', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return new Uint8Array(out);
}
