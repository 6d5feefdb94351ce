import { inflateSync } from 'node:zlib';
import { crc32 } from './crc32.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * The textual metadata of a PNG (tEXt, zTXt and iTXt chunks) as keyword → text. Stops at IDAT's end
 * or a damaged chunk rather than throwing: a gallery must survive odd files in the workspace.
 */
export function readPngText(bytes: Uint8Array): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isPng(bytes)) return result;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = latin1.decode(bytes.subarray(offset + 4, offset + 8));
    const dataStart = offset + 8;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > bytes.length) break;
    const data = bytes.subarray(dataStart, dataEnd);
    try {
      if (type === 'tEXt') readTEXt(data, result);
      else if (type === 'zTXt') readZTXt(data, result);
      else if (type === 'iTXt') readITXt(data, result);
    } catch {
      // A damaged text chunk is skipped; the others are still useful.
    }
    if (type === 'IEND') break;
    offset = dataEnd + 4;
  }
  return result;
}

function readTEXt(data: Uint8Array, out: Record<string, string>): void {
  const zero = data.indexOf(0);
  if (zero <= 0) return;
  out[latin1.decode(data.subarray(0, zero))] = latin1.decode(data.subarray(zero + 1));
}

function readZTXt(data: Uint8Array, out: Record<string, string>): void {
  const zero = data.indexOf(0);
  if (zero <= 0) return;
  out[latin1.decode(data.subarray(0, zero))] = latin1.decode(inflateSync(data.subarray(zero + 2)));
}

function readITXt(data: Uint8Array, out: Record<string, string>): void {
  const zero = data.indexOf(0);
  if (zero <= 0) return;
  const keyword = latin1.decode(data.subarray(0, zero));
  const compressed = data[zero + 1] === 1;
  const languageEnd = data.indexOf(0, zero + 3);
  const translatedEnd = data.indexOf(0, languageEnd + 1);
  if (languageEnd < 0 || translatedEnd < 0) return;
  const text = data.subarray(translatedEnd + 1);
  out[keyword] = utf8.decode(compressed ? inflateSync(text) : text);
}

/**
 * Returns a copy of `png` with an uncompressed iTXt chunk (UTF-8, so any prompt survives) inserted
 * right after IHDR, where readers that look only at a file's first bytes (the gallery) find it.
 */
export function addPngText(png: Uint8Array, keyword: string, text: string): Uint8Array {
  if (!isPng(png)) throw new Error('not a PNG file');
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) throw new Error(`invalid PNG text keyword: ${keyword}`);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (png.length < 33 || latin1.decode(png.subarray(12, 16)) !== 'IHDR')
    throw new Error('PNG file does not start with IHDR');
  const afterIhdr = 8 + 12 + view.getUint32(8);
  const encoder = new TextEncoder();
  const body = concat([encoder.encode(keyword), new Uint8Array([0, 0, 0, 0, 0]), encoder.encode(text)]);
  const chunk = new Uint8Array(12 + body.length);
  const chunkView = new DataView(chunk.buffer);
  chunkView.setUint32(0, body.length);
  chunk.set(encoder.encode('iTXt'), 4);
  chunk.set(body, 8);
  chunkView.setUint32(8 + body.length, crc32(chunk.subarray(4, 8 + body.length)));
  return concat([png.subarray(0, afterIhdr), chunk, png.subarray(afterIhdr)]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
