const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
const MAX_STEM_CHARS = 80;

/**
 * Turns anything (a user's file name, a prompt) into a file-name stem that is safe on every common
 * file system: letters and digits of any script, `.`, `_` and `-`; no separators, no leading dot,
 * no `..`, no reserved device names, bounded length. Returns `fallback` when nothing usable is left.
 */
export function safeStem(input: string, fallback = 'image'): string {
  const cleaned = input
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  const bounded = [...cleaned]
    .slice(0, MAX_STEM_CHARS)
    .join('')
    .replace(/[-._]+$/, '');
  if (bounded === '') return fallback;
  return WINDOWS_RESERVED.test(bounded.split('.')[0] ?? '') ? `_${bounded}` : bounded;
}

/** Drops an extension the caller may have typed (`cat.png` → `cat`): the server picks the real one. */
export function withoutImageExtension(name: string): string {
  return name.replace(/\.(png|webp|jpe?g|avif|gif)$/i, '');
}

/** Extensions of the files the server writes; nothing else in the folder is ever served. */
export const OUTPUT_EXTENSIONS = ['png', 'webp', 'jpg', 'avif', 'gif', 'ico', 'webmanifest'] as const;

/**
 * True when `name` is exactly what the server could have written: used to vet names read back, so
 * other files a user keeps in the folder are neither listed nor readable.
 */
export function isSafeFileName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return false;
  const stem = name.slice(0, dot);
  const ext = name.slice(dot + 1);
  return (OUTPUT_EXTENSIONS as readonly string[]).includes(ext) && safeStem(stem, '') === stem;
}
