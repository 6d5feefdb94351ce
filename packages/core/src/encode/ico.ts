/**
 * A Windows icon (.ico) holding PNG images, the form every browser and Windows since Vista reads:
 * a 6-byte header, one 16-byte entry per image, then the PNG files as they are.
 */
export function encodeIco(images: ReadonlyArray<{ size: number; png: Uint8Array }>): Uint8Array {
  const headerBytes = 6 + 16 * images.length;
  const out = new Uint8Array(headerBytes + images.reduce((n, i) => n + i.png.length, 0));
  const view = new DataView(out.buffer);
  view.setUint16(2, 1, true); // type 1: icon
  view.setUint16(4, images.length, true);
  let offset = headerBytes;
  images.forEach(({ size, png }, k) => {
    const entry = 6 + 16 * k;
    out[entry] = size >= 256 ? 0 : size; // 0 means 256
    out[entry + 1] = size >= 256 ? 0 : size;
    view.setUint16(entry + 4, 1, true); // colour planes
    view.setUint16(entry + 6, 32, true); // bits per pixel
    view.setUint32(entry + 8, png.length, true);
    view.setUint32(entry + 12, offset, true);
    out.set(png, offset);
    offset += png.length;
  });
  return out;
}
