import type SharpModule from 'sharp';

type Sharp = typeof SharpModule;
let loading: Promise<Sharp> | undefined;

/**
 * sharp (libvips) on first use instead of at import: a PNG at the model's native size never needs
 * it (png-compact.ts), and loading it cost 135 ms of CPU and 30 MB of RSS on every cold start.
 */
export function loadSharp(): Promise<Sharp> {
  loading ??= import('sharp').then(
    (m) => (m as unknown as { default: Sharp }).default ?? (m as unknown as Sharp),
  );
  return loading;
}
