import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { promptStem, suggestedFileName } from './suggested-file-name.js';

describe('promptStem', () => {
  it('makes readable stems, in any script', () => {
    expect(promptStem('A Red Apple!')).toBe('a-red-apple');
    expect(promptStem('  crème brûlée  ')).toBe('creme-brulee');
    expect(promptStem('Crème brûlée / <script> "x"')).toBe('creme-brulee-script-x');
    expect(promptStem('日本の猫')).toBe('日本の猫');
    expect(promptStem('🍎')).toBe('image');
    expect(promptStem('???')).toBe('image');
    expect(promptStem('../../etc/passwd')).toBe('etc-passwd');
    expect(promptStem('CON')).toBe('con-image');
  });

  it('cuts long prompts at a word', () => {
    const stem = promptStem(
      'a very long prompt about a smiling sun wearing dark sunglasses on the beach at noon',
    );
    expect(stem).toBe('a-very-long-prompt-about-a-smiling-sun-wearing');
  });

  it('always gives a short, safe, non-empty name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const stem = promptStem(text);
        expect(stem).toMatch(/^[\p{L}\p{N}]+(-[\p{L}\p{N}]+)*$/u);
        expect([...stem].length).toBeLessThanOrEqual(48);
        expect(stem).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
      }),
    );
  });
});

describe('suggestedFileName', () => {
  it('puts the seed in the name', () => {
    expect(suggestedFileName('A red apple', 42, '.png')).toBe('a-red-apple-42.png');
    expect(suggestedFileName('A red apple', 42, 'webp')).toBe('a-red-apple-42.webp');
  });
});
