const MAX_LENGTH = 48;

/** A file-name-safe stem from a prompt: "A Red Apple!" → "a-red-apple". Never empty. */
export function slugify(text: string): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (ascii === '') return 'image';
  if (ascii.length <= MAX_LENGTH) return ascii;
  // Cut at a word boundary so names do not end in half a word.
  const cut = ascii.slice(0, MAX_LENGTH + 1);
  const lastDash = cut.lastIndexOf('-');
  return (lastDash > 8 ? cut.slice(0, lastDash) : ascii.slice(0, MAX_LENGTH)).replace(/-+$/, '');
}
