/** Ceilings that keep a hostile or broken deck from exhausting memory; each is checked before work, not after. */
export interface PackageLimits {
  /** Most zip entries a deck may hold. */
  maxEntries: number;
  /** Largest uncompressed size of one XML part, declared or actual (media is never inflated). */
  maxPartBytes: number;
  /** Largest sum of the XML parts' declared uncompressed sizes. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of any part over 1 MiB; real XML and media stay far below. */
  maxCompressionRatio: number;
  /** Largest embedded picture, in pixels (width × height read from its header). */
  maxImagePixels: number;
}

export const DEFAULT_LIMITS: PackageLimits = {
  maxEntries: 10_000,
  maxPartBytes: 512 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxImagePixels: 150_000_000,
};

export const MIB = 1024 * 1024;

export const formatBytes = (bytes: number): string =>
  bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
