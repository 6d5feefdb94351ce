import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverCrop } from './cover-crop.js';

describe('coverCrop', () => {
  it('crops nothing when the aspects match', () => {
    expect(coverCrop({ width: 64, height: 64 }, { width: 500, height: 500 })).toEqual({
      l: 0,
      t: 0,
      r: 0,
      b: 0,
    });
  });

  it('always leaves part of the picture visible', () => {
    const crop = coverCrop({ width: 1, height: 1 }, { width: 1_000_000, height: 1 });
    expect(crop.t).toBeLessThan(50_000);
  });

  it('trims a square picture top and bottom for a 2:1 frame', () => {
    expect(coverCrop({ width: 64, height: 64 }, { width: 200, height: 100 })).toEqual({
      l: 0,
      t: 25_000,
      r: 0,
      b: 25_000,
    });
  });

  it('leaves a visible part with exactly the frame aspect, centred (property)', () => {
    const side = fc.integer({ min: 1, max: 10_000 });
    fc.assert(
      fc.property(side, side, side, side, (iw, ih, fw, fh) => {
        const mismatch = Math.max(iw / ih / (fw / fh), fw / fh / (iw / ih));
        fc.pre(mismatch < 1000);
        const crop = coverCrop({ width: iw, height: ih }, { width: fw, height: fh });
        expect(crop.l).toBe(crop.r);
        expect(crop.t).toBe(crop.b);
        expect(Math.min(crop.l, crop.t)).toBe(0);
        const visibleAspect = (iw * (1 - (2 * crop.l) / 100_000)) / (ih * (1 - (2 * crop.t) / 100_000));
        // Insets are whole thousandths of a percent (±0.5e-5 each side), so the visible fraction is exact
        // to 1e-5 absolute: relatively less exact the thinner the sliver that stays visible.
        expect(Math.abs(visibleAspect / (fw / fh) - 1)).toBeLessThan(1e-9 + 1.01e-5 * mismatch);
      }),
    );
  });
});
