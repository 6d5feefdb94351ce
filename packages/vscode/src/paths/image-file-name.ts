const MAX_SLUG = 48;

/** A readable, filesystem-safe slug of the prompt: "A red apple!" → "a-red-apple". */
export function promptSlug(prompt: string): string {
  const ascii = prompt
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (ascii.length <= MAX_SLUG) return ascii || 'image';
  // Cut at a word boundary so the name stays readable.
  const cut = ascii.slice(0, MAX_SLUG);
  const lastDash = cut.lastIndexOf('-');
  return lastDash > MAX_SLUG / 2 ? cut.slice(0, lastDash) : cut;
}

/** The seed is part of the name so every file can be regenerated and two seeds never collide. */
export function imageFileName(prompt: string, seed: number, extension: string): string {
  return `${promptSlug(prompt)}-${seed}.${extension.replace(/^\./, '')}`;
}
