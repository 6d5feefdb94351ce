import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';
import { addPngText, isPng, readPngText } from './png-text.js';

async function redSquare(): Promise<Uint8Array> {
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } })
    .png()
    .toBuffer();
  return new Uint8Array(png);
}

describe('crc32', () => {
  it('matches the CRC every PNG file ends with (IEND)', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });
});

describe('PNG text metadata', () => {
  it('round-trips a UTF-8 prompt through a PNG that decoders still accept', async () => {
    const prompt = 'une pomme rouge 🍎 — “quoted”';
    const tagged = addPngText(await redSquare(), 'matryoshka', prompt);
    expect(readPngText(tagged).matryoshka).toBe(prompt);
    const decoded = await sharp(tagged).raw().toBuffer({ resolveWithObject: true });
    expect(decoded.info.width).toBe(4);
    expect([...decoded.data.subarray(0, 3)]).toEqual([255, 0, 0]);
  });

  it('puts the text right after IHDR so the first bytes of the file are enough to read it', async () => {
    const tagged = addPngText(await redSquare(), 'matryoshka', 'a prompt');
    expect(new TextDecoder('latin1').decode(tagged.subarray(37, 41))).toBe('iTXt');
    expect(readPngText(tagged.subarray(0, 80)).matryoshka).toBe('a prompt');
  });

  it('reads tEXt and zTXt chunks written by another encoder', async () => {
    const png = await sharp(await redSquare())
      .withMetadata()
      .png()
      .toBuffer();
    let tagged = addPngText(new Uint8Array(png), 'other', 'x');
    tagged = insertBeforeIend(tagged, chunk('tEXt', latin1('Title\0An apple')));
    tagged = insertBeforeIend(
      tagged,
      chunk('zTXt', concat(latin1('Comment\0\0'), deflateSync(latin1('zipped text')))),
    );
    const text = readPngText(tagged);
    expect(text.Title).toBe('An apple');
    expect(text.Comment).toBe('zipped text');
    expect(text.other).toBe('x');
  });

  it('returns nothing for non-PNG or truncated data instead of throwing', async () => {
    expect(readPngText(new TextEncoder().encode('GIF89a'))).toEqual({});
    const png = addPngText(await redSquare(), 'k', 'v');
    expect(() => readPngText(png.subarray(0, png.length - 30))).not.toThrow();
    expect(isPng(png)).toBe(true);
  });

  it('refuses keywords PNG does not allow', async () => {
    expect(() => addPngText(new Uint8Array(8), 'k', 'v')).toThrow(/not a PNG/);
    await expect(redSquare().then((png) => addPngText(png, '', 'v'))).rejects.toThrow(/keyword/);
  });
});

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(latin1(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function insertBeforeIend(png: Uint8Array, extra: Uint8Array): Uint8Array {
  const at = png.length - 12;
  return concat(png.subarray(0, at), extra, png.subarray(at));
}
