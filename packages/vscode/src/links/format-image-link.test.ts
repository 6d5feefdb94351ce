import { describe, expect, it } from 'vitest';
import { formatImageLink, linkStyleFor } from './format-image-link.js';

describe('formatImageLink', () => {
  it('writes Markdown image syntax with the prompt as alt text', () => {
    expect(formatImageLink('markdown', 'images/apple-1.png', 'a red apple')).toBe(
      '![a red apple](images/apple-1.png)',
    );
  });

  it('escapes brackets in Markdown alt text and joins lines', () => {
    expect(formatImageLink('markdown', 'a.png', 'a [big]\n apple')).toBe('![a \\[big\\] apple](a.png)');
  });

  it('wraps Markdown destinations with spaces or parentheses in <…>', () => {
    expect(formatImageLink('markdown', 'my images/a (1).png', 'x')).toBe('![x](<my images/a (1).png>)');
  });

  it('writes an <img> with escaped attributes in HTML', () => {
    expect(formatImageLink('html', 'img/a b.png', 'say "hi" & <go>')).toBe(
      '<img src="img/a%20b.png" alt="say &quot;hi&quot; &amp; &lt;go&gt;">',
    );
  });

  it('self-closes the <img> in JSX', () => {
    expect(formatImageLink('typescriptreact', 'a.png', 'x')).toBe('<img src="a.png" alt="x" />');
  });

  it('uses the document language syntax for LaTeX, reStructuredText and AsciiDoc', () => {
    expect(formatImageLink('latex', 'fig/a.png', 'x')).toBe('\\includegraphics{fig/a.png}');
    expect(formatImageLink('restructuredtext', 'a.png', 'an apple')).toBe(
      '.. image:: a.png\n   :alt: an apple',
    );
    expect(formatImageLink('asciidoc', 'a.png', 'apple, red')).toBe('image::a.png[apple\\, red]');
  });

  it('inserts just the relative path in any other language', () => {
    expect(formatImageLink('python', '../img/a.png', 'x')).toBe('../img/a.png');
    expect(linkStyleFor('plaintext')).toBe('plain');
  });
});
