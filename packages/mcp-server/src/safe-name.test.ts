import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeFileName, safeStem, withoutImageExtension } from './safe-name.js';

describe('safeStem', () => {
  it.each([
    ['../../etc/passwd', 'etc-passwd'],
    ['..\\..\\windows\\system32', 'windows-system32'],
    ['/abs/path/cat', 'abs-path-cat'],
    ['.hidden', 'hidden'],
    ['a red apple!', 'a-red-apple'],
    ['CON', '_CON'],
    ['lpt1.txt', '_lpt1.txt'],
    ['émoji 🍎 café', 'émoji-café'],
    ['...', 'image'],
    ['', 'image'],
    ['a\u0000b', 'a-b'],
  ])('%j → %j', (input, expected) => {
    expect(safeStem(input)).toBe(expected);
  });

  it('never yields separators, parent references or a leading dot, and stays short', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (input) => {
        const stem = safeStem(input);
        expect(stem).not.toMatch(/[/\\\0]/);
        expect(stem).not.toContain('..');
        expect(stem.startsWith('.')).toBe(false);
        expect([...stem].length).toBeLessThanOrEqual(81);
        expect(stem.length).toBeGreaterThan(0);
        expect(safeStem(stem)).toBe(stem);
      }),
    );
  });
});

describe('names', () => {
  it('drops an image extension the caller typed', () => {
    expect(withoutImageExtension('cat.PNG')).toBe('cat');
    expect(withoutImageExtension('cat.tar')).toBe('cat.tar');
  });

  it('accepts only names the store could have written', () => {
    expect(isSafeFileName('apple-42.png')).toBe(true);
    expect(isSafeFileName('../apple.png')).toBe(false);
    expect(isSafeFileName('.apple.png')).toBe(false);
    expect(isSafeFileName('apple')).toBe(false);
    expect(isSafeFileName('a/b.png')).toBe(false);
    expect(isSafeFileName('notes.txt')).toBe(false);
    expect(isSafeFileName('photo.jpg')).toBe(true);
  });
});
