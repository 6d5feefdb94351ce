import { detectFlavor } from '@matryoshka/slides/flavor';

/** Bytes of a Markdown file read to tell a deck from a plain document: its front matter and first slides. */
export const DECK_HEAD_BYTES = 4 * 1024;
export const DECK_GLOB = '**/*.{pptx,md,markdown}';

/**
 * Whether a file is a deck "Illustrate Slide Deck" can take: any .pptx, and Markdown marked as Marp
 * or Slidev (plain Markdown is refused by the command, so it is not offered one).
 */
export async function isDeck(path: string, readHead: (path: string) => Promise<string>): Promise<boolean> {
  const lower = path.toLowerCase();
  if (lower.endsWith('.pptx')) return true;
  if (!lower.endsWith('.md') && !lower.endsWith('.markdown')) return false;
  try {
    return detectFlavor(await readHead(path)) !== undefined;
  } catch {
    // Unreadable (deleted meanwhile, no permission): not offered.
    return false;
  }
}
