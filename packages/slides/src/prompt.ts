/** Most words taken from a slide: the model reads a short caption, and the style must survive truncation. */
const MAX_SUBJECT_WORDS = 14;
const MAX_BODY_PARAGRAPHS = 2;

/**
 * A caption for a slide: its title, then its first body points, then the deck-wide style. Text is
 * cut on word boundaries so the subject stays first and the style is never crowded out.
 */
export function buildPrompt(
  title: string | undefined,
  body: string[],
  style: string | undefined,
): string | undefined {
  const parts = [title, ...body.slice(0, MAX_BODY_PARAGRAPHS)]
    .map((text) =>
      (text ?? '')
        .replace(/\s+/g, ' ')
        .replace(/[.:;,\s]+$/, '')
        .trim(),
    )
    .filter((text) => text.length > 0);
  const words: string[] = [];
  for (const part of parts) {
    const take = part.split(' ').slice(0, MAX_SUBJECT_WORDS - words.length);
    if (take.length === 0) break;
    if (words.length > 0) words[words.length - 1] += ',';
    words.push(...take);
  }
  if (words.length === 0) return undefined;
  const subject = words.join(' ');
  const cleanStyle = style?.trim();
  return cleanStyle ? `${subject}, ${cleanStyle}` : subject;
}

/** A stable seed for a prompt (FNV-1a), so a deck illustrated twice gets the same pictures. */
export function seedFor(prompt: string, slide: number): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(`${slide}:${prompt}`)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
