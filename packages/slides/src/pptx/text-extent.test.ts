import { describe, expect, it } from 'vitest';
import type { Shape } from './shapes.js';
import { renderedTextBox, textFits, textHeight, textLook } from './text-extent.js';

const inch = 914_400;
const SLIDE = { width: 12_192_000, height: 6_858_000 };
const shape = (paragraphs: string[], fontSize?: number, textBody?: Shape['textBody']): Shape =>
  ({
    node: {},
    tag: 'p:sp',
    paragraphs,
    hasPicture: false,
    hasGraphic: false,
    ...(fontSize ? { fontSize } : {}),
    ...(textBody ? { textBody } : {}),
  }) as Shape;

describe('text extent', () => {
  const long = Array.from(
    { length: 10 },
    (_, i) => `Point ${i}: a sentence long enough to wrap once or twice here`,
  );
  const frame = { x: inch, y: inch, width: 6 * inch, height: inch };

  it('grows with the text and shrinks with the width', () => {
    const one = textHeight(shape(['Short']), 6 * inch) ?? 0;
    const ten = textHeight(shape(long), 6 * inch) ?? 0;
    expect(ten).toBeGreaterThan(9 * one);
    expect(textHeight(shape(long), 3 * inch) ?? 0).toBeGreaterThan(ten);
    expect(textHeight(shape(long), 0.1 * inch)).toBeUndefined();
  });

  it('a top-anchored frame that overflows is drawn below it, down to the slide edge at most', () => {
    const box = renderedTextBox(shape(long, 24), frame, SLIDE);
    expect(box.y).toBe(frame.y);
    expect(box.height).toBeGreaterThan(3 * frame.height);
    expect(box.y + box.height).toBeLessThanOrEqual(SLIDE.height);
  });

  it('bottom-anchored text overflows upward, centred text both ways', () => {
    const low = { ...frame, y: 4 * inch };
    const up = renderedTextBox(shape(long, 20, { anchor: 'b' }), low, SLIDE);
    expect(up.y + up.height).toBe(low.y + low.height);
    expect(up.y).toBeLessThan(low.y);
    const both = renderedTextBox(shape(long, 20, { anchor: 'ctr' }), low, SLIDE);
    expect(both.y).toBeLessThan(low.y);
    expect(both.y + both.height).toBeGreaterThan(low.y + low.height);
  });

  it('text PowerPoint shrinks to fit stays in its frame; short text takes only its part of it', () => {
    expect(renderedTextBox(shape(long, 24, { autofit: 'shrink' }), frame, SLIDE)).toEqual(frame);
    const tall = { ...frame, height: 5 * inch };
    const top = renderedTextBox(shape(['A short point']), tall, SLIDE);
    expect(top.y).toBe(tall.y);
    expect(top.height).toBeLessThan(tall.height / 4);
    const bottom = renderedTextBox(shape(['A short point'], 18, { anchor: 'b' }), tall, SLIDE);
    expect(bottom.y + bottom.height).toBe(tall.y + tall.height);
  });

  it('a frame drawn itself (fill or outline) is seen whole', () => {
    const tall = { ...frame, height: 5 * inch };
    const look = { ...textLook(shape(['A short point'])), frameDrawn: true };
    expect(renderedTextBox(shape(['A short point']), tall, SLIDE, look)).toEqual(tall);
  });

  it('textFits says no when in doubt', () => {
    expect(textFits(shape(['Short'], 18), { ...frame, height: 2 * inch })).toBe(true);
    expect(textFits(shape(long, 24), frame)).toBe(false);
    expect(textFits(shape(['Short'], 18), { ...frame, width: 0.5 * inch })).toBe(false);
  });
});
