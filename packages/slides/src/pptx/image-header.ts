/** Pixel size read from the first bytes of a PNG, JPEG, GIF or BMP, without decoding it. */
export interface ImageSize {
  width: number;
  height: number;
}

/** How many leading bytes imageSize() needs at most (JPEG frames can follow a large EXIF block). */
export const IMAGE_HEADER_BYTES = 256 * 1024;

export function imageSize(head: Uint8Array): ImageSize | undefined {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const at = (i: number) => head[i] ?? 0;
  if (head.length >= 24 && view.getUint32(0) === 0x89504e47 && view.getUint32(12) === 0x49484452) {
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (head.length >= 10 && at(0) === 0x47 && at(1) === 0x49 && at(2) === 0x46) {
    return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  }
  if (head.length >= 26 && at(0) === 0x42 && at(1) === 0x4d) {
    return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) };
  }
  if (head.length >= 4 && at(0) === 0xff && at(1) === 0xd8) return jpegSize(view);
  return undefined;
}

function jpegSize(view: DataView): ImageSize | undefined {
  let i = 2;
  while (i + 9 < view.byteLength) {
    if (view.getUint8(i) !== 0xff) return undefined;
    const marker = view.getUint8(i + 1);
    if (marker === 0xff) {
      i++;
      continue;
    }
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    i += 2 + view.getUint16(i + 2);
  }
  return undefined;
}
