import { describe, expect, it } from 'vitest';
import { readDirective } from './directive.js';

describe('readDirective', () => {
  it('reads a prompt from any line of the notes', () => {
    expect(readDirective('Talk slowly here.\nIllustrate:  a rocket launch \nthen pause')).toEqual({
      kind: 'prompt',
      prompt: 'a rocket launch',
    });
  });

  it('reads a refusal in its usual spellings', () => {
    for (const no of ['no', 'No', 'none', 'skip', 'off', '"no"', '']) {
      expect(readDirective(`illustrate: ${no}`)).toEqual({ kind: 'skip' });
    }
  });

  it('ignores notes without the directive, and the word inside a sentence', () => {
    expect(readDirective('We will illustrate this later: maybe')).toBeUndefined();
    expect(readDirective('')).toBeUndefined();
  });
});
