import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { relativeLinkPath } from './relative-link-path.js';

describe('relativeLinkPath', () => {
  it('is relative to the document folder', () => {
    expect(relativeLinkPath('/ws/docs/intro.md', '/ws/docs/images/a.png', path.posix)).toBe('images/a.png');
    expect(relativeLinkPath('/ws/docs/intro.md', '/ws/assets/a.png', path.posix)).toBe('../assets/a.png');
    expect(relativeLinkPath('/ws/intro.md', '/ws/a.png', path.posix)).toBe('a.png');
  });

  it('uses forward slashes for Windows paths', () => {
    expect(relativeLinkPath('C:\\ws\\docs\\intro.md', 'C:\\ws\\docs\\images\\a.png', path.win32)).toBe(
      'images/a.png',
    );
    expect(relativeLinkPath('C:\\ws\\docs\\intro.md', 'C:\\ws\\img\\a.png', path.win32)).toBe('../img/a.png');
  });
});
