import { describe, expect, it } from 'vitest';
import type { SlideModel } from './deck-model.js';
import type { Shape } from './shapes.js';
import { renderedTextBox, textFits, textHeight, textLook } from './text-extent.js';
import { faceOf, textWidth, wrappedLines } from './text-metrics.js';

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

describe('text measured with real font metrics', () => {
  const arial = { face: faceOf('Arial'), bold: false };
  const calibri = { face: faceOf('Calibri'), bold: false };

  it('reads advance widths of the metric-compatible faces', () => {
    // Arial's "a" is 1139/2048 em and Calibri's 981/2048 em (Liberation Sans and Carlito keep them).
    expect(textWidth('a', arial)).toBeCloseTo(1139 / 2048, 3);
    expect(textWidth('a', calibri)).toBeCloseTo(981 / 2048, 3);
    expect(textWidth('WWW', arial)).toBeGreaterThan(2.5 * textWidth('iii', arial));
    expect(textWidth('a', { ...arial, bold: true })).toBeGreaterThanOrEqual(textWidth('a', arial));
    // Characters outside the tables: CJK is square, the rest an average glyph.
    expect(textWidth('漢字', calibri)).toBe(2);
  });

  it('maps typefaces to faces, an unknown one to the widest', () => {
    expect(faceOf('Calibri Light')).toBe('carlito');
    expect(faceOf('Times New Roman')).toBe('liberation-serif');
    expect(faceOf('Some Display Font')).toBe('dejavu-sans');
    expect(faceOf(undefined)).toBe('carlito');
  });

  it('wraps at spaces as PowerPoint does, a long word over several lines', () => {
    const word = textWidth('alpha', arial);
    expect(wrappedLines('alpha beta', word + 0.01, arial)).toBe(2);
    expect(wrappedLines('alpha beta', textWidth('alpha beta', arial) + 0.01, arial)).toBe(1);
    expect(wrappedLines('alphaalphaalpha', word * 1.4, arial)).toBe(3);
    expect(wrappedLines('', 10, arial)).toBe(1);
  });

  it('the same text takes more lines in Arial than in Calibri, and fits less', () => {
    const text = 'Quarterly results are ahead of plan in every region we operate in';
    expect(wrappedLines(text, 14, arial)).toBeGreaterThan(wrappedLines(text, 14, calibri));
    const paragraphs = Array.from({ length: 4 }, () => text);
    const box = { x: 0, y: 0, width: 4.2 * inch, height: 3.6 * inch };
    const look = (typeface: string) => textLook({ ...shape(paragraphs, 18), typeface });
    expect(textFits(shape(paragraphs, 18), box, look('Calibri'))).toBe(true);
    expect(textFits(shape(paragraphs, 18), box, look('Verdana'))).toBe(false);
  });

  it('theme fonts by reference resolve through the slide master', () => {
    const slide = {
      themeFonts: { major: 'Georgia', minor: 'Arial' },
      layoutShapes: [],
      masterShapes: [],
    } as unknown as SlideModel;
    const title = { ...shape(['Title']), placeholder: { type: 'title' } } as Shape;
    expect(textLook(title, slide).font.face).toBe('liberation-serif');
    expect(textLook({ ...shape(['Body']), typeface: '+mn-lt' }, slide).font.face).toBe('liberation-sans');
  });
});
