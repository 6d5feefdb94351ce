import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findFreeArea } from './free-area.js';
import { type Box, bottom, overlaps, right } from './geometry.js';

const SLIDE = { width: 12_192_000, height: 6_858_000 };
const inch = 914_400;

describe('findFreeArea', () => {
  it('puts the picture in the right part of a slide whose text sits on the left', () => {
    const title = { x: 0.6 * inch, y: 0.4 * inch, width: 7 * inch, height: 1 * inch };
    const body = { x: 0.6 * inch, y: 1.6 * inch, width: 7 * inch, height: 4.8 * inch };
    const frame = findFreeArea(SLIDE, [title, body]) as Box;
    expect(frame.x).toBeGreaterThan(right(body));
    expect(right(frame)).toBeLessThanOrEqual(SLIDE.width);
    expect(frame.width).toBeGreaterThan(3 * inch);
  });

  it('finds nothing when text covers the slide', () => {
    const text = { x: 0, y: 0, width: SLIDE.width, height: SLIDE.height };
    expect(findFreeArea(SLIDE, [text])).toBeUndefined();
  });

  it('prefers the right of two equal free columns', () => {
    const middle = { x: 5.5 * inch, y: 0, width: 2.3 * inch, height: SLIDE.height };
    const frame = findFreeArea(SLIDE, [middle]) as Box;
    expect(frame.x).toBeGreaterThan(right(middle));
  });

  it('never overlaps an obstacle, stays on the slide and keeps a sane aspect (property)', () => {
    const box = fc
      .record({
        x: fc.integer({ min: 0, max: SLIDE.width - 1 }),
        y: fc.integer({ min: 0, max: SLIDE.height - 1 }),
        width: fc.integer({ min: 1, max: SLIDE.width }),
        height: fc.integer({ min: 1, max: SLIDE.height }),
      })
      .map((b) => ({
        ...b,
        width: Math.min(b.width, SLIDE.width - b.x),
        height: Math.min(b.height, SLIDE.height - b.y),
      }));
    fc.assert(
      fc.property(fc.array(box, { maxLength: 8 }), (obstacles) => {
        const frame = findFreeArea(SLIDE, obstacles);
        if (frame === undefined) return;
        expect(obstacles.some((o) => overlaps(o, frame))).toBe(false);
        expect(frame.x).toBeGreaterThanOrEqual(0);
        expect(frame.y).toBeGreaterThanOrEqual(0);
        expect(right(frame)).toBeLessThanOrEqual(SLIDE.width);
        expect(bottom(frame)).toBeLessThanOrEqual(SLIDE.height);
        const aspect = frame.width / frame.height;
        expect(aspect).toBeLessThanOrEqual(4 / 3 + 0.01);
        expect(aspect).toBeGreaterThanOrEqual(3 / 4 - 0.01);
      }),
      { numRuns: 150 },
    );
  });
});
