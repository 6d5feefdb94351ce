import { describe, expect, it } from 'vitest';
import { withRunOptions } from './run-options.js';

describe('withRunOptions', () => {
  const base = { kind: 'image' as const, prompt: 'a tulip', format: 'png' as const, width: 256, height: 256 };

  it('sets count, size and negative prompt for this run only', () => {
    const out = withRunOptions(base, { count: 4, size: 512, negativePrompt: '  text, blur ' });
    expect(out).toMatchObject({ count: 4, width: 512, height: 512, negativePrompt: 'text, blur' });
    expect(base).toEqual({ kind: 'image', prompt: 'a tulip', format: 'png', width: 256, height: 256 });
  });

  it('size 0 means the native resolution, so the settings’ size is dropped', () => {
    const out = withRunOptions(base, { size: 0 });
    expect(out.width).toBeUndefined();
    expect(out.height).toBeUndefined();
  });

  it('leaves the request as it is when nothing is chosen', () => {
    expect(withRunOptions(base, { count: 1, negativePrompt: ' ' })).toEqual(base);
  });
});
