import { describe, expect, it } from 'vitest';
import { seedFor } from './seed.js';

describe('seedFor', () => {
  it('is stable for a prompt and slide and differs between slides', () => {
    expect(seedFor('a red apple', 3)).toBe(seedFor('a red apple', 3));
    expect(seedFor('a red apple', 3)).not.toBe(seedFor('a red apple', 4));
    expect(seedFor('x', 1)).toBeGreaterThanOrEqual(0);
    expect(seedFor('x', 1)).toBeLessThanOrEqual(0xffffffff);
  });
});
