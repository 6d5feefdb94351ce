import { describe, expect, it } from 'vitest';
import { fitPicture, MAX_ENLARGEMENT } from './fit-picture.js';

const SLIDE = { width: 12_192_000, height: 6_858_000 };
const inside = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;

describe('fitPicture', () => {
  it('keeps the picture square in a wide box, centred, nothing cropped', () => {
    const box = { x: 6_000_000, y: 1_000_000, width: 3_000_000, height: 2_000_000 };
    const frame = fitPicture(box, { width: 256, height: 256 }, SLIDE);
    expect(frame.width).toBe(frame.height);
    expect(frame.height).toBe(2_000_000);
    expect(inside(frame, box)).toBe(true);
    expect(frame.x - box.x).toBe(box.x + box.width - (frame.x + frame.width));
  });

  it('never enlarges a picture past twice its pixels on a full-screen 1080-line slide', () => {
    const big = { x: 500_000, y: 500_000, width: 6_000_000, height: 5_800_000 };
    const frame = fitPicture(big, { width: 256, height: 256 }, SLIDE);
    const screenPixels = (frame.height / SLIDE.height) * 1080;
    expect(screenPixels).toBeCloseTo(256 * MAX_ENLARGEMENT, 0);
    expect(inside(frame, big)).toBe(true);
    // A picture with more pixels may be shown larger.
    expect(fitPicture(big, { width: 512, height: 512 }, SLIDE).height).toBeGreaterThan(frame.height);
  });
});
