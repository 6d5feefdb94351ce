import { describe, expect, it } from 'vitest';
import { isDeck } from './is-deck.js';

const files: Record<string, string> = {
  '/w/talk.md': '---\nmarp: true\n---\n\n# Hello\n',
  '/w/slidev.md': '---\ntheme: seriph\n---\n\n# Hello\n',
  '/w/directives.markdown': '<!-- paginate: true -->\n\n# Hello\n',
  '/w/README.md': '# Project\n\nSome text.\n\n---\n\nMore.\n',
};
const read = async (path: string) => {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  return text;
};

describe('isDeck', () => {
  it('offers PowerPoint files and Marp or Slidev Markdown, not plain Markdown', async () => {
    expect(await isDeck('/w/deck.PPTX', read)).toBe(true);
    expect(await isDeck('/w/talk.md', read)).toBe(true);
    expect(await isDeck('/w/slidev.md', read)).toBe(true);
    expect(await isDeck('/w/directives.markdown', read)).toBe(true);
    expect(await isDeck('/w/README.md', read)).toBe(false);
    expect(await isDeck('/w/notes.txt', read)).toBe(false);
  });

  it('does not offer a file it cannot read', async () => {
    expect(await isDeck('/w/gone.md', read)).toBe(false);
  });
});
