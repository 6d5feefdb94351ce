import { describe, expect, it } from 'vitest';
import { onOwnLine } from './own-line.js';

describe('onOwnLine', () => {
  const link = '![a red heart](images/a-red-heart.png)';

  it('leaves an empty line as it is', () => {
    expect(onOwnLine(link, '', '')).toBe(link);
    expect(onOwnLine(link, '   ', '')).toBe(link);
  });

  it('breaks the line before the link when text precedes it', () => {
    expect(onOwnLine(link, 'The model draws', '')).toBe(`\n${link}`);
  });

  it('breaks it after the link when text follows, and both when the cursor is mid-line', () => {
    expect(onOwnLine(link, '', 'More text.')).toBe(`${link}\n`);
    expect(onOwnLine(link, 'One', 'two', '\r\n')).toBe(`\r\n${link}\r\n`);
  });
});
