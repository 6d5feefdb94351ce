import { describe, expect, it } from 'vitest';
import { MatryoshkaError } from './errors.js';
import { parseRequest } from './parse-request.js';

function rejection(input: unknown): MatryoshkaError {
  try {
    parseRequest(input);
  } catch (error) {
    if (MatryoshkaError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('parseRequest', () => {
  it('fills request-level defaults and leaves model-level ones open', () => {
    const parsed = parseRequest({ prompt: 'a red apple' });
    expect(parsed).toEqual({
      kind: 'image',
      prompt: 'a red apple',
      count: 1,
      format: 'png',
      background: 'white',
      preview: false,
    });
  });

  it('accepts every field at its limits', () => {
    const parsed = parseRequest({
      prompt: '',
      negativePrompt: 'blurry',
      model: 'emoji-64',
      width: 2048,
      height: 8,
      steps: 1,
      guidance: 0,
      seed: 4294967295,
      sampler: 'ddpm',
      count: 16,
      format: 'avif',
      preview: true,
    });
    expect(parsed.seed).toBe(4294967295);
  });

  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['prompt', { prompt: 3 }, /^prompt: must be a text .*\(got 3\)$/],
    ['prompt', { prompt: 'x'.repeat(2001) }, /^prompt: is 2001 characters long; the limit is 2000/],
    ['prompt', {}, /^prompt: .*\(got nothing\)$/],
    ['negativePrompt', { prompt: 'a', negativePrompt: false }, /^negativePrompt: must be a text/],
    ['model', { prompt: 'a', model: '../etc' }, /^model: must be a model id/],
    ['width', { prompt: 'a', width: 4 }, /^width: must be an integer from 8 to 2048 \(got 4\)$/],
    ['height', { prompt: 'a', height: 64.5 }, /^height: must be an integer from 8 to 2048 \(got 64.5\)$/],
    ['steps', { prompt: 'a', steps: -3 }, /^steps: must be an integer from 1 to 1000 \(got -3\)$/],
    ['steps', { prompt: 'a', steps: '20' }, /^steps: must be an integer from 1 to 1000 \(got "20"\)$/],
    ['guidance', { prompt: 'a', guidance: 51 }, /^guidance: must be a number from 0 to 50 \(got 51\)$/],
    [
      'guidance',
      { prompt: 'a', guidance: Number.NaN },
      /^guidance: must be a number from 0 to 50 \(got NaN\)$/,
    ],
    [
      'seed',
      { prompt: 'a', seed: 2 ** 32 },
      /^seed: must be an integer from 0 to 4294967295 \(got 4294967296\)$/,
    ],
    [
      'sampler',
      { prompt: 'a', sampler: 'euler' },
      /^sampler: must be one of "ddpm", "ddim", "dpmpp-2m" \(got "euler"\)$/,
    ],
    ['count', { prompt: 'a', count: 0 }, /^count: must be an integer from 1 to 16 \(got 0\)$/],
    [
      'format',
      { prompt: 'a', format: 'gif' },
      /^format: must be one of "png", "webp", "jpeg", "avif" \(got "gif"\)$/,
    ],
    ['preview', { prompt: 'a', preview: 'yes' }, /^preview: must be true or false \(got "yes"\)$/],
    ['kind', { prompt: 'a', kind: 'video' }, /^kind: must be "image", "clip" or "icons" \(got "video"\)$/],
    [
      'frames',
      { prompt: 'a', kind: 'clip', frames: 1 },
      /^frames: must be an integer from 2 to 64 \(got 1\)$/,
    ],
    ['fps', { prompt: 'a', kind: 'clip', fps: 0 }, /^fps: must be an integer from 1 to 60 \(got 0\)$/],
    ['unknown field', { prompt: 'a', step: 4 }, /^step: unknown field \(did you mean "steps"\?\)$/],
  ];

  it.each(bad)('rejects a bad %s with one readable line', (_field, input, message) => {
    const error = rejection(input);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it('names every bad field at once, one per line', () => {
    const error = rejection({ prompt: 'a', steps: 0, guidance: -1, seed: 'x', negative_prompt: 'y' });
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual([
      'guidance',
      'negative_prompt',
      'seed',
      'steps',
    ]);
    expect(lines.find((l) => l.startsWith('negative_prompt'))).toContain('did you mean "negativePrompt"');
    expect(error.details).toEqual({ issues: lines });
  });

  it('rejects a request that is not an object', () => {
    for (const input of [null, 'a red apple', [], 42]) {
      expect(rejection(input).message).toMatch(/^request: must be an object/);
    }
  });

  it('parses a clip request with its own defaults', () => {
    expect(parseRequest({ kind: 'clip', prompt: 'a spinning star' })).toMatchObject({
      kind: 'clip',
      loop: true,
      format: 'webp',
    });
    // Frames and fps come from the clip model unless the request sets them.
    expect(parseRequest({ kind: 'clip', prompt: 'a spinning star' })).not.toHaveProperty('frames');
  });
});

describe('MatryoshkaError', () => {
  it('is recognised across copies of the package through a global symbol', () => {
    const error = new MatryoshkaError('BUSY', 'busy');
    const foreign = Object.assign(new Error('x'), { code: 'BUSY' });
    Object.defineProperty(foreign, Symbol.for('@matryoshka/core/MatryoshkaError'), { value: true });
    expect(MatryoshkaError.isInstance(error)).toBe(true);
    expect(MatryoshkaError.isInstance(foreign)).toBe(true);
    expect(MatryoshkaError.isInstance(new Error('x'))).toBe(false);
    expect(MatryoshkaError.isInstance(null)).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'MatryoshkaError',
      code: 'BUSY',
      message: 'busy',
    });
  });
});
