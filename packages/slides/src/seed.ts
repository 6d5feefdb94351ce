/** A stable seed for a prompt (FNV-1a), so a deck illustrated twice gets the same pictures. */
export function seedFor(prompt: string, slide: number): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(`${slide}:${prompt}`)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
