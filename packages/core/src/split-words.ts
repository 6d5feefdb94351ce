/** ASCII [a-z0-9] or any non-ASCII code point; everything else separates words. */
const isWordCodePoint = (cp: number): boolean =>
  (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || cp >= 0x80;

/** Splits normalised text into words, working on code points (not UTF-16 units). */
export function splitWords(text: string): string[] {
  const normalised = text.normalize('NFKC').toLowerCase();
  const words: string[] = [];
  let current = '';
  for (const char of normalised) {
    if (isWordCodePoint(char.codePointAt(0) ?? 0)) current += char;
    else if (current) {
      words.push(current);
      current = '';
    }
  }
  if (current) words.push(current);
  return words;
}
