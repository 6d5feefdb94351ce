/** An image reference found in a line of text: the link target and the columns it spans. */
export interface ImageLinkMatch {
  /** The link target as written (angle brackets of a Markdown destination removed). */
  target: string;
  /** Columns of the whole reference, [start, end). */
  start: number;
  end: number;
}

const PATTERNS: RegExp[] = [
  // Markdown ![alt](<dest with spaces> "title") or ![alt](dest "title")
  /!\[(?:\\.|[^\]\\])*\]\(\s*(?:<([^>]*)>|([^\s)]+))(?:\s+"[^"]*")?\s*\)/g,
  // HTML / JSX <img ... src="dest" ...>
  /<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>/gi,
];

/** The image reference under `column` in `line`, if any: the one Regenerate and the gallery act on. */
export function imageLinkAt(line: string, column: number): ImageLinkMatch | undefined {
  for (const pattern of PATTERNS) {
    for (const match of line.matchAll(pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      const target = match[1] ?? match[2];
      if (target !== undefined && column >= start && column <= end) {
        return { target: safeDecode(target), start, end };
      }
    }
  }
  return undefined;
}

function safeDecode(target: string): string {
  try {
    return decodeURI(target);
  } catch {
    return target;
  }
}
