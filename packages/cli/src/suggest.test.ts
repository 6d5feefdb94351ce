import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './suggest.js';

describe('editDistance', () => {
  it('matches known distances', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('steps', 'steps')).toBe(0);
    expect(editDistance('stpes', 'steps')).toBe(1);
    expect(editDistance('ddmi', 'ddim')).toBe(1);
  });

  it('is symmetric, zero only for equal strings, and bounded by the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });
});

describe('closestMatch', () => {
  it('suggests near misses only', () => {
    expect(closestMatch('genrate', ['generate', 'models'])).toBe('generate');
    expect(closestMatch('model', ['generate', 'models'])).toBe('models');
    expect(closestMatch('xyz', ['generate', 'models'])).toBeUndefined();
  });
});
