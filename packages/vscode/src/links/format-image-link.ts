/** How an image is referenced in a document of a given VS Code language id. */
export type LinkStyle = 'markdown' | 'html' | 'jsx' | 'latex' | 'restructuredtext' | 'asciidoc' | 'plain';

const STYLES: Record<string, LinkStyle> = {
  markdown: 'markdown',
  mdx: 'markdown',
  quarto: 'markdown',
  rmd: 'markdown',
  html: 'html',
  'vue-html': 'html',
  vue: 'html',
  svelte: 'html',
  php: 'html',
  handlebars: 'html',
  javascriptreact: 'jsx',
  typescriptreact: 'jsx',
  latex: 'latex',
  tex: 'latex',
  restructuredtext: 'restructuredtext',
  asciidoc: 'asciidoc',
};

export function linkStyleFor(languageId: string): LinkStyle {
  return STYLES[languageId] ?? 'plain';
}

/** The text to insert for an image at `linkPath` (already relative, `/`-separated) described by `alt`. */
export function formatImageLink(languageId: string, linkPath: string, alt: string): string {
  const oneLine = alt.replace(/\s+/g, ' ').trim();
  switch (linkStyleFor(languageId)) {
    case 'markdown':
      return `![${escapeMarkdownAlt(oneLine)}](${markdownDestination(linkPath)})`;
    case 'html':
      return `<img src="${escapeAttribute(encodeURI(linkPath))}" alt="${escapeAttribute(oneLine)}">`;
    case 'jsx':
      return `<img src="${escapeAttribute(encodeURI(linkPath))}" alt="${escapeAttribute(oneLine)}" />`;
    case 'latex':
      return `\\includegraphics{${linkPath}}`;
    case 'restructuredtext':
      return `.. image:: ${linkPath}\n   :alt: ${oneLine}`;
    case 'asciidoc':
      return `image::${linkPath}[${oneLine.replace(/[\],]/g, (c) => `\\${c}`)}]`;
    case 'plain':
      return linkPath;
  }
}

function escapeMarkdownAlt(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`);
}

// CommonMark: a destination with spaces or unbalanced parentheses must be wrapped in <…>.
function markdownDestination(linkPath: string): string {
  return /[\s()<>]/.test(linkPath)
    ? `<${linkPath.replace(/[<>]/g, (c) => encodeURIComponent(c))}>`
    : linkPath;
}

function escapeAttribute(text: string): string {
  return text.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
}
