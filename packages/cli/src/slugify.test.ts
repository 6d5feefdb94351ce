import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slugify } from './slugify.js';

describe('slugify', () => {
  it('makes readable stems', () => {
    expect(slugify('A Red Apple!')).toBe('a-red-apple');
    expect(slugify('  crème brûlée  ')).toBe('creme-brulee');
    expect(slugify('🍎')).toBe('image');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
  });

  it('always gives a short, safe, non-empty name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const slug = slugify(text);
        expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(48);
      }),
    );
  });
});
