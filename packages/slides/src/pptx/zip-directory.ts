import { MatryoshkaError } from '@matryoshka/core';

/** One entry of a zip's central directory, as the archive declares it (not yet trusted). */
export interface ZipDirectoryEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
// The end record is 22 bytes plus a comment of at most 65535.
const MAX_EOCD_SEARCH = 22 + 0xffff;

const corrupt = (message: string) => new MatryoshkaError('INVALID_REQUEST', message);

const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENCRYPTED_STREAM = Buffer.from('EncryptedPackage', 'utf16le');

/** Office wraps a password-protected .pptx in an OLE compound file: say that, not "not a zip". */
function notZipMessage(bytes: Uint8Array, label: string): string {
  const compound = CFB_SIGNATURE.every((b, i) => bytes[i] === b);
  if (compound && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(ENCRYPTED_STREAM)) {
    return `${label} is password-protected (an encrypted Office file); remove the password in PowerPoint (File > Info > Protect Presentation) and try again`;
  }
  if (compound) return `${label} is a legacy PowerPoint 97–2003 file; save it as .pptx and try again`;
  return `${label} is not a zip archive (a .pptx must be an Office Open XML package)`;
}

/**
 * Reads the central directory ourselves, before any decompression, because JSZip exposes neither
 * the declared sizes nor a way to refuse an archive before it inflates entries: a zip bomb has to
 * be caught from these numbers first.
 */
export function readZipDirectory(bytes: Uint8Array, label: string): ZipDirectoryEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notZip = () => corrupt(notZipMessage(bytes, label));
  if (bytes.length < 22) throw notZip();

  let eocd = -1;
  const stop = Math.max(0, bytes.length - MAX_EOCD_SEARCH);
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notZip();

  let count = view.getUint16(eocd + 10, true);
  let directorySize = view.getUint32(eocd + 12, true);
  let directoryOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR_SIGNATURE) throw notZip();
    const record = Number(view.getBigUint64(locator + 8, true));
    if (record + 56 > bytes.length || view.getUint32(record, true) !== ZIP64_EOCD_SIGNATURE) throw notZip();
    count = Number(view.getBigUint64(record + 32, true));
    directorySize = Number(view.getBigUint64(record + 40, true));
    directoryOffset = Number(view.getBigUint64(record + 48, true));
  }
  if (directoryOffset + directorySize > bytes.length) {
    throw corrupt(`${label} is truncated: its zip directory points past the end of the file`);
  }

  const entries: ZipDirectoryEntry[] = [];
  const decoder = new TextDecoder();
  let at = directoryOffset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw corrupt(`${label} has a damaged zip directory (entry ${n + 1} of ${count})`);
    }
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let uncompressedSize = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    // ZIP64 keeps the real sizes in extra field 0x0001, uncompressed first, each only if saturated.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const size = view.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        if (uncompressedSize === 0xffffffff && field + 8 <= extraEnd) {
          uncompressedSize = Number(view.getBigUint64(field, true));
          field += 8;
        }
        if (compressedSize === 0xffffffff && field + 8 <= extraEnd) {
          compressedSize = Number(view.getBigUint64(field, true));
        }
      }
      extra += 4 + size;
    }
    entries.push({ name, method, compressedSize, uncompressedSize });
    at = extraEnd + commentLength;
  }
  return entries;
}
