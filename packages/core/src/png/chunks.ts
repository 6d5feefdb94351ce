import { inflateSync } from 'node:zlib';
import { MatryoshkaError } from '../errors.js';
import { crc32 } from './crc32.js';

const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

export interface PngChunk {
  type: string;
  data: Uint8Array;
}

/** Serialises one chunk: length, type, data, CRC over type + data. */
export function encodeChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Lenient reading stops at the first truncated chunk instead of throwing (a file's first bytes). */
export interface ReadOptions {
  lenient?: boolean;
}

export function parseChunks(png: Uint8Array, { lenient = false }: ReadOptions = {}): PngChunk[] {
  if (!isPng(png)) {
    if (lenient) return [];
    throw new MatryoshkaError('INVALID_REQUEST', 'not a PNG file (bad signature)');
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: PngChunk[] = [];
  let offset = 8;
  while (offset + 12 <= png.length) {
    const length = view.getUint32(offset);
    const type = latin1.decode(png.subarray(offset + 4, offset + 8));
    if (offset + 12 + length > png.length) {
      if (lenient) break;
      throw new MatryoshkaError('INVALID_REQUEST', `truncated PNG chunk ${type}`);
    }
    chunks.push({ type, data: png.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  return chunks;
}

const isLatin1 = (s: string): boolean => [...s].every((c) => (c.codePointAt(0) ?? 0) < 0x100);

/**
 * A text chunk: tEXt when the value fits Latin-1 (what every PNG reader shows), else iTXt,
 * so prompts with emoji or CJK survive intact.
 */
export function textChunk(keyword: string, value: string): Uint8Array {
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) throw new RangeError(`invalid PNG text keyword: ${keyword}`);
  const key = encoder.encode(keyword);
  if (isLatin1(value)) {
    const data = new Uint8Array(key.length + 1 + value.length);
    data.set(key);
    for (let i = 0; i < value.length; i++) data[key.length + 1 + i] = value.charCodeAt(i);
    return encodeChunk('tEXt', data);
  }
  const text = encoder.encode(value);
  // keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL.
  const data = new Uint8Array(key.length + 5 + text.length);
  data.set(key);
  data.set(text, key.length + 5);
  return encodeChunk('iTXt', data);
}

/** Inserts text chunks right after IHDR, leaving every other byte of the PNG as it was. */
export function insertPngText(png: Uint8Array, entries: Record<string, string>): Uint8Array {
  const [ihdr] = parseChunks(png);
  if (ihdr?.type !== 'IHDR') throw new MatryoshkaError('RUNTIME_ERROR', 'PNG does not start with IHDR');
  const splitAt = 8 + 12 + ihdr.data.length;
  const extra = Object.entries(entries).map(([k, v]) => textChunk(k, v));
  const total = png.length + extra.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  out.set(png.subarray(0, splitAt));
  let offset = splitAt;
  for (const chunk of extra) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  out.set(png.subarray(splitAt), offset);
  return out;
}

/**
 * Reads tEXt, zTXt and iTXt chunks into keyword → text (later duplicates win). Lenient: a non-PNG
 * gives {}, and damaged text chunks are skipped (a gallery must survive odd files).
 */
export function readPngText(png: Uint8Array, options: ReadOptions = {}): Record<string, string> {
  const result: Record<string, string> = {};
  for (const { type, data } of parseChunks(png, options)) {
    if (type !== 'tEXt' && type !== 'iTXt' && type !== 'zTXt') continue;
    try {
      readTextChunk(type, data, result);
    } catch (error) {
      if (!options.lenient) throw error;
    }
  }
  return result;
}

function readTextChunk(type: string, data: Uint8Array, result: Record<string, string>): void {
  const nul = data.indexOf(0);
  if (nul <= 0) return;
  const keyword = latin1.decode(data.subarray(0, nul));
  if (type === 'tEXt') result[keyword] = latin1.decode(data.subarray(nul + 1));
  else if (type === 'zTXt') result[keyword] = latin1.decode(inflateSync(data.subarray(nul + 2)));
  else {
    const compressed = data[nul + 1] === 1;
    const languageEnd = data.indexOf(0, nul + 3);
    const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
    if (translatedEnd < 0) return;
    const body = data.subarray(translatedEnd + 1);
    result[keyword] = utf8.decode(compressed ? inflateSync(body) : body);
  }
}
