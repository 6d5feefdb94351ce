const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  avif: 'image/avif',
  gif: 'image/gif',
  ico: 'image/x-icon',
  webmanifest: 'application/manifest+json',
};

export function mimeTypeOf(fileName: string): string {
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  return BY_EXTENSION[ext] ?? 'application/octet-stream';
}

/** The file extension for an engine output format (`png-frames` writes one PNG per frame). */
export function extensionOf(format: string): string {
  if (format === 'jpeg') return 'jpg';
  if (format === 'png-frames') return 'png';
  return format;
}
