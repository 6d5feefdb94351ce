const MAX_STEM = 48;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * The file-name stem every front end gives a prompt's pictures: "A Red Apple!" → "a-red-apple".
 * Letters and digits of any script (accents dropped), lower case, words joined by "-", at most 48
 * characters cut at a word, never a Windows device name; "image" when nothing is left ("🍎").
 */
export function promptStem(prompt: string): string {
  const words = prompt
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  const chars = [...words];
  let stem = words;
  if (chars.length > MAX_STEM) {
    const cut = chars.slice(0, MAX_STEM + 1).join('');
    const lastDash = cut.lastIndexOf('-');
    // Cut at a word boundary so names do not end in half a word.
    stem = lastDash > MAX_STEM / 4 ? cut.slice(0, lastDash) : chars.slice(0, MAX_STEM).join('');
  }
  stem = stem.replace(/-+$/, '');
  if (stem === '') return 'image';
  return WINDOWS_RESERVED.test(stem) ? `${stem}-image` : stem;
}

/** `<stem>-<seed>.<extension>`: the seed in the name, so a file can be regenerated and two seeds never collide. */
export function suggestedFileName(prompt: string, seed: number, extension: string): string {
  return `${promptStem(prompt)}-${seed}.${extension.replace(/^\./, '')}`;
}
