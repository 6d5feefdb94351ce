import { describe, expect, it } from 'vitest';
import { parseSlideSelection } from './slide-selection.js';

describe('parseSlideSelection', () => {
  it('reads numbers and ranges', () => {
    expect([...parseSlideSelection('1, 3-5,9')]).toEqual([1, 3, 4, 5, 9]);
  });

  it('refuses what is not a list of slides', () => {
    expect(() => parseSlideSelection('0')).toThrow(/slides count from 1/);
    expect(() => parseSlideSelection('5-3')).toThrow(/not a valid range/);
    expect(() => parseSlideSelection('two')).toThrow(/not a slide number or range/);
    expect(() => parseSlideSelection('1,,2')).toThrow(/not a slide number or range/);
  });
});
