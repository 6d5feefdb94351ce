/** An image reference found in a line of text: the link target and the columns it spans. */
export interface ImageLinkMatch {
  /** The link target as written (angle brackets of a Markdown destination removed). */
  target: string;
  /** The alt text, when the reference has one. */
  alt?: string;
  /** Columns of the whole reference, [start, end). */
  start: number;
  end: number;
}

const MARKDOWN = /!\[((?:\\.|[^\]\\])*)\]\(\s*(?:<([^>]*)>|([^\s)]+))(?:\s+"[^"]*")?\s*\)/g;
const HTML = /<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>/gi;
const HTML_ALT = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)')/i;

/** The image reference under `column` in `line`, if any: the one Regenerate and the gallery act on. */
export function imageLinkAt(line: string, column: number): ImageLinkMatch | undefined {
  for (const match of line.matchAll(MARKDOWN)) {
    const found = within(match, column, match[2] ?? match[3]);
    if (found) return { ...found, alt: (match[1] ?? '').replace(/\\(.)/g, '$1') };
  }
  for (const match of line.matchAll(HTML)) {
    const found = within(match, column, match[1] ?? match[2]);
    if (found) {
      const alt = HTML_ALT.exec(match[0]);
      return alt ? { ...found, alt: unescapeHtml(alt[1] ?? alt[2] ?? '') } : found;
    }
  }
  return undefined;
}

function within(
  match: RegExpMatchArray,
  column: number,
  target: string | undefined,
): ImageLinkMatch | undefined {
  const start = match.index ?? 0;
  const end = start + match[0].length;
  if (target === undefined || column < start || column > end) return undefined;
  return { target: safeDecode(target), start, end };
}

function unescapeHtml(text: string): string {
  const entities: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', '#39': "'" };
  return text.replace(/&(amp|quot|lt|gt|#39);/g, (_, name: string) => entities[name] ?? '');
}

function safeDecode(target: string): string {
  try {
    return decodeURI(target);
  } catch {
    return target;
  }
}
