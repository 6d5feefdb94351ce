import { describe, expect, it } from 'vitest';
import { matteWhite } from './matte.js';

const SIZE = 48;

/** A red disc with an antialiased black outline and a white eye, on white: what the models draw. */
function drawing(): Uint8Array {
  const rgb = new Uint8Array(SIZE * SIZE * 3).fill(255);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const d = Math.hypot(x + 0.5 - 24, y + 0.5 - 24);
      const eye = Math.hypot(x + 0.5 - 20, y + 0.5 - 20) < 3;
      // Outline band 14..16 px, antialiased over one pixel on its outer side.
      const outline = Math.max(0, Math.min(1, 17 - d)) * (d >= 14 ? 1 : 0);
      const p = (y * SIZE + x) * 3;
      if (d < 14) rgb.set(eye ? [255, 255, 255] : [220, 30, 30], p);
      else if (outline > 0)
        rgb.set(
          [255, 255, 255].map((c) => Math.round(c * (1 - outline))),
          p,
        );
    }
  }
  return rgb;
}

/** The RGBA picture composited over a solid colour. */
function over(rgba: Uint8Array, bg: [number, number, number]): Uint8Array {
  const out = new Uint8Array((rgba.length / 4) * 3);
  for (let p = 0; p < rgba.length / 4; p++) {
    const a = (rgba[p * 4 + 3] as number) / 255;
    for (let c = 0; c < 3; c++)
      out[p * 3 + c] = Math.round((rgba[p * 4 + c] as number) * a + (bg[c] as number) * (1 - a));
  }
  return out;
}

describe('matteWhite', () => {
  const rgb = drawing();
  const rgba = matteWhite(rgb, SIZE, SIZE);
  const at = (x: number, y: number) => Array.from(rgba.subarray((y * SIZE + x) * 4, (y * SIZE + x) * 4 + 4));

  it('makes the background transparent and keeps the drawing, white eye included, opaque', () => {
    expect(at(1, 1)[3]).toBe(0);
    expect(at(24, 30)).toEqual([220, 30, 30, 255]);
    expect(at(20, 20)).toEqual([255, 255, 255, 255]);
  });

  it('leaves no light fringe on a dark slide: the outline edge composites as dark as the outline', () => {
    const onBlack = over(rgba, [0, 0, 0]);
    let brightest = 0;
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++) {
        const d = Math.hypot(x + 0.5 - 24, y + 0.5 - 24);
        if (d >= 14)
          brightest = Math.max(
            brightest,
            ...Array.from(onBlack.subarray((y * SIZE + x) * 3, (y * SIZE + x) * 3 + 3)),
          );
      }
    // The outline is black: over black, nothing outside the disc should light up.
    expect(brightest).toBeLessThanOrEqual(8);
    // A cut-out that only dropped pure white would leave the antialiased ring grey: the measure tells.
    const naive = new Uint8Array(rgba.length);
    for (let p = 0; p < SIZE * SIZE; p++) {
      const white = rgb[p * 3] === 255 && rgb[p * 3 + 1] === 255 && rgb[p * 3 + 2] === 255;
      naive.set(
        [rgb[p * 3] as number, rgb[p * 3 + 1] as number, rgb[p * 3 + 2] as number, white ? 0 : 255],
        p * 4,
      );
    }
    naive.set([255, 255, 255, 255], (20 * SIZE + 20) * 4);
    const naiveOnBlack = over(naive, [0, 0, 0]);
    let naiveBrightest = 0;
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++)
        if (Math.hypot(x + 0.5 - 24, y + 0.5 - 24) >= 14)
          naiveBrightest = Math.max(naiveBrightest, naiveOnBlack[(y * SIZE + x) * 3] as number);
    expect(naiveBrightest).toBeGreaterThan(100);
  });

  it('keeps colours on a coloured slide: the disc stays red over blue', () => {
    const onBlue = over(rgba, [20, 60, 200]);
    expect(Array.from(onBlue.subarray((30 * SIZE + 24) * 3, (30 * SIZE + 24) * 3 + 3))).toEqual([
      220, 30, 30,
    ]);
    expect(Array.from(onBlue.subarray(0, 3))).toEqual([20, 60, 200]);
  });
});
