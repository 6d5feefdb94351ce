import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { toRgb8 } from '../pixels.js';
import { encodeChunk, insertPngText, isPng, parseChunks, readPngText } from './chunks.js';
import { crc32 } from './crc32.js';
import { encodeRgbPng } from './encode.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('PNG chunks', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    // The CRC of an IEND chunk is a constant every PNG ends with.
    expect(crc32(ascii('IEND'))).toBe(0xae426082);
  });

  it('round-trips Latin-1 text as tEXt and other text as iTXt, and sharp still decodes the file', async () => {
    const png = new Uint8Array(
      await sharp({ create: { width: 4, height: 3, channels: 3, background: '#c33' } })
        .png()
        .toBuffer(),
    );
    const entries = {
      'matryoshka:prompt': 'crème brûlée',
      'matryoshka:negative_prompt': '🍎 apple 苹果',
      parameters: '{"seed":1}',
    };
    const tagged = insertPngText(png, entries);
    expect(readPngText(tagged)).toEqual(entries);
    const types = parseChunks(tagged).map((c) => c.type);
    expect(types.slice(0, 4)).toEqual(['IHDR', 'tEXt', 'iTXt', 'tEXt']);
    expect(types.at(-1)).toBe('IEND');
    const meta = await sharp(tagged).metadata();
    expect([meta.width, meta.height]).toEqual([4, 3]);
    // The pixels are untouched.
    expect(Buffer.compare(await sharp(tagged).raw().toBuffer(), await sharp(png).raw().toBuffer())).toBe(0);
  });

  it('reads compressed zTXt and iTXt written by other tools', () => {
    const png = encodeRgbPng(new Uint8Array(3), 1, 1);
    const z = encodeChunk(
      'zTXt',
      Uint8Array.from([...ascii('Comment'), 0, 0, ...deflateSync(ascii('hello'))]),
    );
    const i = encodeChunk(
      'iTXt',
      Uint8Array.from([...ascii('Title'), 0, 1, 0, ...ascii('en'), 0, 0, ...deflateSync(ascii('ünï'))]),
    );
    const withChunks = Uint8Array.from([...png.subarray(0, 33), ...z, ...i, ...png.subarray(33)]);
    expect(readPngText(withChunks)).toEqual({ Comment: 'hello', Title: 'ünï' });
  });

  it('rejects a file that is not a PNG', () => {
    expect(() => readPngText(ascii('GIF89a...'))).toThrow(/not a PNG/);
  });

  it('leniently reads what it can: {} for a non-PNG, the text of a file cut short after it', async () => {
    const png = new Uint8Array(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c33' } })
        .png()
        .toBuffer(),
    );
    expect(readPngText(ascii('GIF89a...'), { lenient: true })).toEqual({});
    const tagged = insertPngText(png, { prompt: 'une pomme 🍎' });
    // The text sits right after IHDR, so a file's first bytes are enough (the VS Code gallery).
    expect(readPngText(tagged.subarray(0, tagged.length - 20), { lenient: true })).toEqual({
      prompt: 'une pomme 🍎',
    });
    expect(() => readPngText(tagged.subarray(0, tagged.length - 20))).toThrow(/truncated/);
    const broken = Uint8Array.from([
      ...png.subarray(0, 33),
      ...encodeChunk('zTXt', ascii('k\0\0garbage')),
      ...png.subarray(33),
    ]);
    expect(readPngText(broken, { lenient: true })).toEqual({});
    expect(isPng(tagged)).toBe(true);
    expect(isPng(ascii('GIF89a...'))).toBe(false);
  });
});

describe('pixels and the preview encoder', () => {
  it('maps [-1, 1] to 0..255 with half-up rounding and clamping', () => {
    // 2 pixels, planar: R = [-1, 0], G = [1, 2], B = [0.4 and 0.6 levels above black].
    const planar = Float32Array.from([-1, 0, 1, 2, 0.4 / 127.5 - 1, 0.6 / 127.5 - 1]);
    expect(Array.from(toRgb8(planar, 3, 2, 1))).toEqual([0, 255, 0, 128, 255, 1]);
    expect(Array.from(toRgb8(Float32Array.from([-3, Number.NaN, 0]), 1, 3, 1))).toEqual([
      0, 0, 0, 0, 0, 0, 128, 128, 128,
    ]);
  });

  it('writes a PNG that sharp decodes to the same pixels', async () => {
    const rgb = Uint8Array.from({ length: 5 * 4 * 3 }, (_, i) => (i * 37) % 256);
    const png = encodeRgbPng(rgb, 5, 4);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([5, 4, 3]);
    expect(Array.from(data)).toEqual(Array.from(rgb));
  });
});
