// Minimal .npy (format v1.0) writer: numpy.load(..., mmap_mode='r') must open the file as-is,
// so the header is padded so that the data starts on a 64-byte boundary, as numpy itself does.
import { closeSync, openSync, writeSync } from 'node:fs';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00]);

/** @param {number[]} shape @param {string} descr */
export function npyHeader(shape, descr = '|u1') {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  const unpadded = MAGIC.length + 2 + dict.length + 1;
  const padding = (64 - (unpadded % 64)) % 64;
  const text = `${dict}${' '.repeat(padding)}\n`;
  if (text.length > 0xffff) throw new Error('npy header too long for format v1.0');
  const len = Buffer.alloc(2);
  len.writeUInt16LE(text.length);
  return Buffer.concat([MAGIC, len, Buffer.from(text, 'latin1')]);
}

/**
 * Streams uint8 rows into an .npy file whose first dimension is only known at the end:
 * the header is written last, over a placeholder of the same size.
 */
export class NpyUint8Writer {
  /** @param {string} path @param {number[]} rowShape */
  constructor(path, rowShape) {
    this.path = path;
    this.rowShape = rowShape;
    this.rowBytes = rowShape.reduce((a, b) => a * b, 1);
    this.rows = 0;
    // Reserve room for the largest header a 10-digit row count could need.
    this.headerBytes = npyHeader([9_999_999_999, ...rowShape]).length;
    this.fd = openSync(path, 'w');
    writeSync(this.fd, Buffer.alloc(this.headerBytes), 0, this.headerBytes, 0);
  }

  /** @param {Uint8Array} row */
  append(row) {
    if (row.length !== this.rowBytes) {
      throw new Error(`row has ${row.length} bytes, expected ${this.rowBytes}`);
    }
    writeSync(this.fd, row, 0, row.length, this.headerBytes + this.rows * this.rowBytes);
    this.rows += 1;
  }

  close() {
    const header = npyHeader([this.rows, ...this.rowShape]);
    // The real header may be shorter than the reserved one; numpy reads the header length from
    // the file, so pad the dict with spaces up to the reserved size instead of moving the data.
    const fixed = padHeaderTo(header, this.headerBytes);
    writeSync(this.fd, fixed, 0, fixed.length, 0);
    closeSync(this.fd);
    return this.rows;
  }
}

/** @param {Buffer} header @param {number} size */
function padHeaderTo(header, size) {
  if (header.length === size) return header;
  const text = header.subarray(10).toString('latin1').trimEnd();
  const padded = `${text}${' '.repeat(size - 10 - text.length - 1)}\n`;
  const len = Buffer.alloc(2);
  len.writeUInt16LE(padded.length);
  return Buffer.concat([MAGIC, len, Buffer.from(padded, 'latin1')]);
}

/** Parses a v1.0 header (used by the tests and by --verify). @param {Buffer} buf */
export function readNpyHeader(buf) {
  if (!buf.subarray(0, 6).equals(MAGIC.subarray(0, 6))) throw new Error('not an .npy file');
  const major = buf[6];
  if (major !== 1) throw new Error(`unsupported .npy version ${major}`);
  const len = buf.readUInt16LE(8);
  const text = buf.subarray(10, 10 + len).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1] === 'True';
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1] ?? '';
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  return { descr, fortranOrder: fortran, shape, dataOffset: 10 + len };
}
