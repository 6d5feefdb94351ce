/** One slide of a Markdown deck, as line ranges into the deck's lines (end exclusive). */
export interface MarkdownSlide {
  number: number;
  /** The `---` line that opens this slide, or -1 for the first slide. */
  separator: number;
  /** Slidev per-slide frontmatter (or the headmatter for slide 1): lines strictly between its fences. */
  frontmatter?: { start: number; end: number };
  /** The slide's Markdown content. */
  start: number;
  end: number;
}

export interface SplitDeck {
  lines: string[];
  /** Line break the deck uses, kept for the output. */
  eol: string;
  /** Headmatter lines strictly between the opening fences, when the deck starts with `---`. */
  headmatter?: { start: number; end: number };
  slides: MarkdownSlide[];
}

const SEPARATOR = /^---\s*$/;
const FENCE = /^\s*(```|~~~)/;
const YAML_LINE = /^(\s+\S|[A-Za-z_][\w-]*\s*:|#|\s*$)/;

/**
 * Splits a Marp or Slidev deck on `---` lines outside code fences. With `slideFrontmatter`
 * (Slidev), a block of YAML lines right after a separator, closed by another `---`, is that
 * slide's frontmatter rather than a slide of its own.
 */
export function splitSlides(text: string, slideFrontmatter: boolean): SplitDeck {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const isSeparator = separatorFlags(lines, !slideFrontmatter);
  let headmatter: SplitDeck['headmatter'];
  let at = 0;
  if (lines[0] !== undefined && SEPARATOR.test(lines[0])) {
    const close = lines.findIndex((line, i) => i > 0 && SEPARATOR.test(line));
    if (close > 0) {
      headmatter = { start: 1, end: close };
      at = close + 1;
    }
  }
  const slides: MarkdownSlide[] = [];
  let separator = -1;
  let frontmatter = slideFrontmatter ? headmatter : undefined;
  let start = at;
  const push = (end: number) => {
    slides.push({
      number: slides.length + 1,
      separator,
      ...(frontmatter === undefined ? {} : { frontmatter }),
      start,
      end,
    });
  };
  for (let i = at; i < lines.length; i++) {
    if (!isSeparator[i]) continue;
    push(i);
    separator = i;
    frontmatter = undefined;
    start = i + 1;
    if (slideFrontmatter) {
      const close = findFrontmatterEnd(lines, isSeparator, i + 1);
      if (close !== undefined) {
        frontmatter = { start: i + 1, end: close };
        start = close + 1;
        i = close;
      }
    }
  }
  push(lines.length);
  return { lines, eol, ...(headmatter === undefined ? {} : { headmatter }), slides };
}

/**
 * Marp reads Markdown as CommonMark does, where `---` right under a line of text underlines a
 * heading instead of breaking the slide; Slidev's own parser splits on every `---` line.
 */
function separatorFlags(lines: string[], commonMark: boolean): boolean[] {
  const flags: boolean[] = [];
  let fenced = false;
  for (const [i, line] of lines.entries()) {
    if (FENCE.test(line)) fenced = !fenced;
    const underlinesText = commonMark && i > 0 && (lines[i - 1] ?? '').trim() !== '';
    flags.push(!fenced && SEPARATOR.test(line) && !underlinesText);
  }
  return flags;
}

function findFrontmatterEnd(lines: string[], isSeparator: boolean[], from: number): number | undefined {
  let sawKey = false;
  for (let i = from; i < lines.length; i++) {
    if (isSeparator[i]) return sawKey ? i : undefined;
    const line = lines[i] ?? '';
    if (!YAML_LINE.test(line)) return undefined;
    if (/^[A-Za-z_][\w-]*\s*:/.test(line)) sawKey = true;
  }
  return undefined;
}

/** A top-level `key: value` of a YAML block, unquoted; undefined when absent. */
export function yamlValue(
  lines: string[],
  block: { start: number; end: number } | undefined,
  key: string,
): string | undefined {
  if (block === undefined) return undefined;
  for (let i = block.start; i < block.end; i++) {
    const match = new RegExp(`^${key}\\s*:\\s*(.*?)\\s*$`).exec(lines[i] ?? '');
    if (match !== null) return (match[1] ?? '').replace(/^["']|["']$/g, '');
  }
  return undefined;
}
