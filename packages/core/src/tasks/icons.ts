import { randomBytes } from 'node:crypto';
import type { BundleRef } from '../bundle.js';
import { encodeIco } from '../encode/ico.js';
import { encodeImage } from '../encode/image.js';
import { MatryoshkaError, toMatryoshkaError } from '../errors.js';
import type { EncodedFile, SampleEncoder } from '../generate-samples.js';
import { loadSharp } from '../load-sharp.js';
import { matteWhite } from '../matte.js';
import { imageMetadata } from '../metadata.js';
import { toRgb8 } from '../pixels.js';
import type { NormalizedIconsRequest, ParsedIconsRequest } from '../schema.js';

/** Sizes a site or app asks for beyond the levels: web-manifest icons and a large master. */
const EXTRA_SIZES = [128, 192, 256, 512];
const FAVICON_SIZES = [16, 32, 48];
const TOUCH_ICON_SIZE = 180;
const SHEET_CELL = 128;

export function normalizeIconsRequest(
  parsed: ParsedIconsRequest,
  modelId: string,
  { manifest }: BundleRef,
): NormalizedIconsRequest {
  if (manifest.task !== 'image') {
    throw new MatryoshkaError(
      'MODEL_UNSUPPORTED',
      `Model "${modelId}" is a ${manifest.task} model; icon sets are drawn by image models`,
      { details: { model: modelId, task: manifest.task } },
    );
  }
  const native = manifest.levels[0]?.resolution as number;
  return {
    kind: 'icons',
    prompt: parsed.prompt,
    negativePrompt: parsed.negativePrompt ?? '',
    model: modelId,
    width: native,
    height: native,
    steps: parsed.steps ?? manifest.sampling.steps,
    guidance: parsed.guidance ?? manifest.sampling.guidance,
    seed: parsed.seed ?? randomBytes(4).readUInt32LE(0),
    sampler: parsed.sampler ?? manifest.sampling.sampler,
    count: parsed.count,
    format: 'png',
    preview: parsed.preview,
    background: parsed.background,
  };
}

interface Drawing {
  side: number;
  /** RGB on the model's white, or RGBA cut out of it. */
  pixels: Uint8Array;
  channels: 3 | 4;
}

/**
 * One icon set per sample: each nested level's own drawing at its own side ("level"), then the
 * sizes no level draws, resized from the nearest level above (or the outermost), marked "resized".
 */
export function iconsEncoder(request: NormalizedIconsRequest): SampleEncoder {
  return async (levels, seed, { channels, resolutions }) => {
    const transparent = request.background === 'transparent';
    const drawings: Drawing[] = resolutions.map((side, i) => {
      const rgb = toRgb8(levels[i] as Float32Array, channels, side, side);
      return transparent
        ? { side, pixels: matteWhite(rgb, side, side), channels: 4 }
        : { side, pixels: rgb, channels: 3 };
    });
    const png = async (drawing: Drawing, size: number) =>
      (
        await encodeImage(
          drawing.pixels,
          drawing.side,
          drawing.side,
          {
            format: 'png',
            width: size,
            height: size,
            metadata: imageMetadata({ ...request, kind: 'image', width: size, height: size }, seed),
          },
          drawing.channels,
        )
      ).bytes;
    const file = (
      name: string,
      bytes: Uint8Array,
      size: number,
      drawing: Drawing,
      mimeType = 'image/png',
    ) => ({
      bytes,
      mimeType,
      width: size,
      height: size,
      seed,
      format: name.slice(name.lastIndexOf('.') + 1),
      name,
      source: size === drawing.side ? ('level' as const) : ('resized' as const),
      drawnAt: drawing.side,
    });
    // A size no level draws comes from the smallest level above it, else the outermost.
    const sourceFor = (size: number) =>
      [...drawings].sort((a, b) => a.side - b.side).find((d) => d.side >= size) ?? (drawings[0] as Drawing);

    const files: EncodedFile[] = [];
    for (const drawing of [...drawings].reverse()) {
      files.push(file(`icon-${drawing.side}.png`, await png(drawing, drawing.side), drawing.side, drawing));
    }
    for (const size of EXTRA_SIZES.filter((s) => !resolutions.includes(s))) {
      const drawing = sourceFor(size);
      files.push(file(`icon-${size}.png`, await png(drawing, size), size, drawing));
    }
    const favicon = await Promise.all(
      FAVICON_SIZES.map(async (size) => ({
        size,
        drawing: sourceFor(size),
        png: await png(sourceFor(size), size),
      })),
    );
    const ico = file(
      'favicon.ico',
      encodeIco(favicon),
      Math.max(...FAVICON_SIZES),
      drawings[0] as Drawing,
      'image/x-icon',
    );
    ico.source = favicon.every((f) => f.drawing.side === f.size) ? 'level' : 'resized';
    files.push(ico);
    // iOS puts a transparent touch icon on black: it always gets the model's white background.
    const outer = drawings[0] as Drawing;
    const opaqueOuter: Drawing = {
      side: outer.side,
      pixels: toRgb8(levels[0] as Float32Array, channels, outer.side, outer.side),
      channels: 3,
    };
    files.push(file('apple-touch-icon.png', await png(opaqueOuter, TOUCH_ICON_SIZE), TOUCH_ICON_SIZE, outer));
    files.push(webManifest(files, seed));
    files.push(await sheet(files, seed));
    return files;
  };
}

/** site.webmanifest's `icons` member, listing the set's PNGs from 64 px up. */
function webManifest(files: EncodedFile[], seed: number): EncodedFile {
  const icons = files
    .filter((f) => f.name?.startsWith('icon-') && f.width >= 64)
    .map((f) => ({ src: f.name, sizes: `${f.width}x${f.height}`, type: 'image/png', purpose: 'any' }));
  return {
    bytes: new TextEncoder().encode(`${JSON.stringify({ icons }, null, 2)}\n`),
    mimeType: 'application/manifest+json',
    width: 0,
    height: 0,
    seed,
    format: 'webmanifest',
    name: 'site.webmanifest',
  };
}

/**
 * A contact sheet: every level's drawing and two resized sizes, each shown at 128 px with nearest-
 * neighbour enlargement (so a 16 px drawing shows its 16 px), labelled with where it came from.
 */
async function sheet(files: EncodedFile[], seed: number): Promise<EncodedFile> {
  try {
    const sharp = await loadSharp();
    const shown = files.filter(
      (f) => f.name?.startsWith('icon-') && (f.source === 'level' || f.width <= 256),
    );
    const label = 24;
    const width = shown.length * (SHEET_CELL + 16) + 16;
    const height = SHEET_CELL + 32 + label;
    const cells = await Promise.all(
      shown.map(async (f) =>
        sharp(f.bytes)
          .resize(SHEET_CELL, SHEET_CELL, { kernel: f.width < SHEET_CELL ? 'nearest' : 'lanczos3' })
          .png()
          .toBuffer(),
      ),
    );
    const text = shown
      .map((f, k) => {
        const x = 16 + k * (SHEET_CELL + 16) + SHEET_CELL / 2;
        const what = f.source === 'level' ? 'drawn' : `from ${f.drawnAt}`;
        return `<text x="${x}" y="${SHEET_CELL + 16 + 18}" text-anchor="middle">${f.width} px · ${what}</text>`;
      })
      .join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><style>text{font:13px sans-serif;fill:#333}</style>${text}</svg>`;
    const bytes = await sharp({ create: { width, height, channels: 4, background: '#eceff3' } })
      .composite([
        ...cells.map((input, k) => ({ input, left: 16 + k * (SHEET_CELL + 16), top: 16 })),
        { input: Buffer.from(svg), left: 0, top: 0 },
      ])
      .png({ compressionLevel: 9 })
      .toBuffer();
    return {
      bytes: new Uint8Array(bytes),
      mimeType: 'image/png',
      width,
      height,
      seed,
      format: 'png',
      name: 'sheet.png',
    };
  } catch (error) {
    throw toMatryoshkaError(error, 'RUNTIME_ERROR', 'Drawing the icon sheet failed');
  }
}
