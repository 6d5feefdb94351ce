import { ImageRequestSchema } from '@matryoshka/core';
import { describe, expect, it } from 'vitest';
import { newSeed, requestFromSettings } from './request-from-settings.js';
import { DEFAULT_SETTINGS } from './settings.js';

describe('requestFromSettings', () => {
  it('leaves model defaults to the engine when settings are at their defaults', () => {
    expect(requestFromSettings('a red apple', DEFAULT_SETTINGS)).toEqual({
      kind: 'image',
      prompt: 'a red apple',
      format: 'png',
      background: 'transparent',
    });
  });

  it('maps every setting onto the request, which the engine schema accepts', () => {
    const request = requestFromSettings(
      'a pear',
      { ...DEFAULT_SETTINGS, model: 'emoji-64', size: 128, steps: 12, guidance: 3.5, sampler: 'ddim' },
      { seed: 9, negativePrompt: 'blurry' },
    );
    expect(request).toEqual({
      kind: 'image',
      prompt: 'a pear',
      format: 'png',
      background: 'transparent',
      model: 'emoji-64',
      width: 128,
      height: 128,
      steps: 12,
      guidance: 3.5,
      sampler: 'ddim',
      seed: 9,
      negativePrompt: 'blurry',
    });
    expect(ImageRequestSchema.safeParse(request).success).toBe(true);
  });

  it('ignores a sampler the engine does not know', () => {
    expect(requestFromSettings('x', { ...DEFAULT_SETTINGS, sampler: 'euler' }).sampler).toBeUndefined();
  });
});

describe('newSeed', () => {
  it('draws uint32 seeds and never repeats the previous one', () => {
    const values = [0.5, 0.5, 0.25];
    const random = () => values.shift() ?? 0;
    expect(newSeed(0x80000000, random)).toBe(0x40000000);
    for (let i = 0; i < 1000; i++) {
      const seed = newSeed();
      expect(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff).toBe(true);
    }
  });
});
