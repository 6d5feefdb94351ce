import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkTargetFile } from './link-target-file.js';

describe('linkTargetFile', () => {
  const doc = path.join('/work', 'notes', 'README.md');

  it('resolves a relative target against the document folder', () => {
    expect(linkTargetFile(doc, 'images/apple.png')).toBe(path.join('/work', 'notes', 'images', 'apple.png'));
    expect(linkTargetFile(doc, '../art/pear 2.png')).toBe(path.join('/work', 'art', 'pear 2.png'));
  });

  it('keeps an absolute path and refuses URLs and empty targets', () => {
    expect(linkTargetFile(doc, '/tmp/x.png')).toBe(path.resolve('/tmp/x.png'));
    for (const url of ['https://example.com/a.png', 'data:image/png;base64,AAAA', 'file:///tmp/a.png', ' ']) {
      expect(linkTargetFile(doc, url)).toBeUndefined();
    }
  });
});
