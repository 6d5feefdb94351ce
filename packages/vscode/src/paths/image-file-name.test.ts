import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imageFileName, promptSlug } from './image-file-name.js';

describe('promptSlug', () => {
  it('keeps words, lower-cased and joined by dashes', () => {
    expect(promptSlug('A red Apple, on a TABLE!')).toBe('a-red-apple-on-a-table');
  });

  it('folds accents and drops what no file system likes', () => {
    expect(promptSlug('Crème brûlée / <script> "x"')).toBe('creme-brulee-script-x');
  });

  it('names prompts without any letters "image"', () => {
    expect(promptSlug('🍎🍏')).toBe('image');
    expect(promptSlug('???')).toBe('image');
  });

  it('cuts long prompts at a word boundary', () => {
    const slug = promptSlug(
      'an extremely detailed watercolor painting of a lighthouse at sunset with seagulls',
    );
    expect(slug.length).toBeLessThanOrEqual(48);
    expect(slug.endsWith('-')).toBe(false);
    expect('an-extremely-detailed-watercolor-painting-of-a-lighthouse'.startsWith(slug)).toBe(true);
  });

  it('always yields a safe, non-empty name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (prompt) => {
        const slug = promptSlug(prompt);
        expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(48);
      }),
    );
  });
});

describe('imageFileName', () => {
  it('ends with the seed and the extension', () => {
    expect(imageFileName('a red apple', 42, 'png')).toBe('a-red-apple-42.png');
    expect(imageFileName('a red apple', 42, '.webp')).toBe('a-red-apple-42.webp');
  });
});
