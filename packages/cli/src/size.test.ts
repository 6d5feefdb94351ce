import { describe, expect, it } from 'vitest';
import { parseSize } from './size.js';

describe('parseSize', () => {
  it('reads N and WxH', () => {
    expect(parseSize('64')).toEqual({ width: 64, height: 64 });
    expect(parseSize('128x96')).toEqual({ width: 128, height: 96 });
    expect(parseSize('128X96')).toEqual({ width: 128, height: 96 });
    expect(parseSize('32×16')).toEqual({ width: 32, height: 16 });
  });

  it('rejects other shapes with the flag named', () => {
    for (const bad of ['', 'big', '64x', 'x64', '-64', '6.5', '64x64x64']) {
      expect(() => parseSize(bad)).toThrow(/--size: expected N or WxH/);
    }
  });
});
