import { describe, expect, it } from 'vitest';
import { buildPrompt, seedFor } from './prompt.js';

describe('buildPrompt', () => {
  it('joins title, first points and style', () => {
    expect(
      buildPrompt('Summer: watering', ['Water deeply.', 'Mulch beds', 'Third point'], 'flat emoji style'),
    ).toBe('Summer: watering, Water deeply, Mulch beds, flat emoji style');
  });

  it('keeps the subject short so the style is never cut off by the tokenizer', () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const prompt = buildPrompt(long, [long], 'pixel art') as string;
    expect(prompt.endsWith(', pixel art')).toBe(true);
    expect(prompt.split(' ').length).toBeLessThanOrEqual(16);
  });

  it('has nothing to say for a slide without text', () => {
    expect(buildPrompt(undefined, [], 'style')).toBeUndefined();
    expect(buildPrompt('  ', ['\t'], undefined)).toBeUndefined();
  });
});

describe('seedFor', () => {
  it('is stable for a prompt and slide and differs between slides', () => {
    expect(seedFor('a red apple', 3)).toBe(seedFor('a red apple', 3));
    expect(seedFor('a red apple', 3)).not.toBe(seedFor('a red apple', 4));
    expect(seedFor('x', 1)).toBeGreaterThanOrEqual(0);
    expect(seedFor('x', 1)).toBeLessThanOrEqual(0xffffffff);
  });
});
