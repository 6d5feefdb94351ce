import { describe, expect, it } from 'vitest';
import { escapeHtml, galleryHtml } from './gallery-html.js';
import { isGalleryMessage } from './gallery-item.js';

const item = {
  path: '/ws/images/a.png',
  label: 'images/a.png',
  src: 'https://file+.vscode-resource.test/ws/images/a.png',
  modifiedMs: 1,
  record: {
    prompt: 'an apple <script>alert(1)</script> "quoted"',
    seed: 7,
    width: 64,
    height: 64,
    model: 'emoji-64',
  },
};

describe('galleryHtml', () => {
  it('lists each picture with its prompt, seed and path', () => {
    const html = galleryHtml({
      items: [item],
      cspSource: 'https://file+.vscode-resource.test',
      nonce: 'abc',
    });
    expect(html).toContain('src="https://file+.vscode-resource.test/ws/images/a.png"');
    expect(html).toContain('64×64 · seed 7 · emoji-64');
    expect(html).toContain('data-path="/ws/images/a.png"');
  });

  it('escapes prompts so a prompt can never inject markup or script', () => {
    const html = galleryHtml({ items: [item], cspSource: 'x', nonce: 'abc' });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;');
    // Only the page's own script runs, and only with the nonce.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain("script-src 'nonce-abc'");
  });

  it('gives every card its actions, and a highlight handler for "Show in Gallery"', () => {
    const html = galleryHtml({ items: [item], cspSource: 'x', nonce: 'abc' });
    for (const action of ['insert', 'open', 'copyPrompt', 'regenerate', 'variations', 'reveal', 'delete']) {
      expect(html).toContain(`data-action="${action}"`);
    }
    expect(html).toContain("message.type !== 'highlight'");
  });

  it('says how to make the first picture when the workspace has none', () => {
    expect(galleryHtml({ items: [], cspSource: 'x', nonce: 'n' })).toContain('Generate Image');
  });
});

describe('gallery messages', () => {
  it('accepts only well-formed messages from the webview', () => {
    expect(isGalleryMessage({ type: 'insert', path: '/a.png' })).toBe(true);
    expect(isGalleryMessage({ type: 'refresh' })).toBe(true);
    expect(isGalleryMessage({ type: 'insert' })).toBe(false);
    expect(isGalleryMessage({ type: 'delete', path: '/a.png' })).toBe(true);
    expect(isGalleryMessage({ type: 'format', path: '/a.png' })).toBe(false);
    expect(isGalleryMessage({ type: 'delete', path: 3 })).toBe(false);
    expect(isGalleryMessage('insert')).toBe(false);
    expect(escapeHtml(`'&`)).toBe('&#39;&amp;');
  });
});
