/** Which Markdown slide tool a deck is written for; light enough for an editor to call on every file. */
export type MarkdownFlavor = 'marp' | 'slidev';

const SLIDEV_KEYS =
  /^(theme|layout|highlighter|drawings|transition|mdc|colorSchema|canvasWidth|aspectRatio|routerMode|addons)\s*:/m;
/**
 * Marp when the headmatter says `marp: true` or the deck uses Marp's `![bg]` or its directive
 * comments; Slidev when it uses Slidev keys; undefined for plain Markdown, which is no deck.
 */
export function detectFlavor(text: string): MarkdownFlavor | undefined {
  const head = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  if (/^marp\s*:\s*true\s*$/m.test(head) || /!\[bg\b/.test(text) || MARP_DIRECTIVES.test(text)) return 'marp';
  if (SLIDEV_KEYS.test(head) || /^---\r?\nlayout\s*:/m.test(text)) return 'slidev';
  return undefined;
}

const MARP_DIRECTIVES =
  /<!--\s*_?(paginate|_class|class|backgroundColor|backgroundImage|headingDivider|header|footer)\s*:/;
