import { describe, expect, it } from 'vitest';
import { recordFromPngText, recordToJson } from './generation-record.js';

describe('recordFromPngText', () => {
  it('reads the extension’s own JSON record back', () => {
    const record = {
      prompt: 'a red apple',
      model: 'emoji-64',
      seed: 7,
      width: 64,
      height: 64,
      steps: 20,
      guidance: 5,
      sampler: 'ddim',
    };
    expect(recordFromPngText({ matryoshka: recordToJson(record) })).toEqual(record);
  });

  it('ignores wrongly typed fields of the record', () => {
    expect(recordFromPngText({ matryoshka: '{"prompt":"x","seed":"7","steps":null}' })).toEqual({
      prompt: 'x',
    });
  });

  it('reads what @matryoshka/core writes: JSON parameters, else matryoshka:* keys', () => {
    const parameters = JSON.stringify({
      prompt: 'a pear',
      negativePrompt: '',
      model: 'emoji-64',
      seed: 3,
      steps: 20,
    });
    expect(recordFromPngText({ parameters, 'matryoshka:prompt': 'ignored' })).toEqual({
      prompt: 'a pear',
      model: 'emoji-64',
      seed: 3,
      steps: 20,
    });
    expect(recordFromPngText({ 'matryoshka:prompt': 'a fig', 'matryoshka:seed': '4' })).toEqual({
      prompt: 'a fig',
      seed: 4,
    });
  });

  it('falls back to plain prompt/seed keys, case-insensitively', () => {
    expect(recordFromPngText({ Prompt: 'a pear', Seed: '12', Model: 'm' })).toEqual({
      prompt: 'a pear',
      seed: 12,
      model: 'm',
    });
  });

  it('takes the first line of a web-UI "parameters" text', () => {
    expect(recordFromPngText({ parameters: 'a cat\nNegative prompt: dog\nSteps: 20' })).toEqual({
      prompt: 'a cat',
    });
  });

  it('uses Description or Title when nothing else says what the picture is', () => {
    expect(recordFromPngText({ Description: 'a boat' })?.prompt).toBe('a boat');
    expect(recordFromPngText({ Software: 'GIMP' })).toBeUndefined();
    expect(recordFromPngText({ matryoshka: 'not json' })).toBeUndefined();
  });
});
