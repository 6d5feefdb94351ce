import { describe, expect, it } from 'vitest';
import { imageLinkAt } from './image-link-at.js';

describe('imageLinkAt', () => {
  const line = 'See ![a red apple](images/apple-1.png) and ![pear](<my images/pear 2.png> "title").';

  it('finds the Markdown image under the cursor with its columns', () => {
    const match = imageLinkAt(line, 10);
    expect(match?.target).toBe('images/apple-1.png');
    expect(match?.alt).toBe('a red apple');
    expect(line.slice(match?.start, match?.end)).toBe('![a red apple](images/apple-1.png)');
  });

  it('reads <…> destinations and titles', () => {
    expect(imageLinkAt(line, line.indexOf('pear'))?.target).toBe('my images/pear 2.png');
  });

  it('finds HTML <img> tags and decodes the URL', () => {
    const html = '<p><img alt="say &quot;hi&quot;" src="img/a%20b.png"></p>';
    expect(imageLinkAt(html, 8)).toMatchObject({ target: 'img/a b.png', alt: 'say "hi"' });
    expect(imageLinkAt('![a \\[b\\]](x.png)', 2)?.alt).toBe('a [b]');
  });

  it('returns undefined away from any image', () => {
    expect(imageLinkAt(line, 1)).toBeUndefined();
    expect(imageLinkAt('[not an image](a.png)', 3)).toBeUndefined();
  });
});
