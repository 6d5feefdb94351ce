import { MatryoshkaError } from '@matryoshka/core';

/** Parses a 1-based slide list such as "1,3-5" into a set of slide numbers. */
export function parseSlideSelection(text: string): Set<number> {
  const selected = new Set<number>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (match === null) {
      throw new MatryoshkaError(
        'INVALID_REQUEST',
        `slides: "${part}" is not a slide number or range (write e.g. 1,3-5)`,
      );
    }
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from < 1 || to < from || to - from > 10_000) {
      throw new MatryoshkaError(
        'INVALID_REQUEST',
        `slides: "${part}" is not a valid range (slides count from 1)`,
      );
    }
    for (let n = from; n <= to; n++) selected.add(n);
  }
  return selected;
}
