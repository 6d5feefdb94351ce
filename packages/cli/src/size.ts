import { usageError } from './usage-error.js';

/**
 * `--size 64` → 64×64, `--size 128x96` → 128 wide, 96 high. Range checks are left to the engine's
 * request schema so the limits live in one place.
 */
export function parseSize(text: string): { width: number; height: number } {
  const match = /^\s*(\d+)\s*(?:[x×*]\s*(\d+))?\s*$/i.exec(text);
  if (!match) throw usageError(`--size: expected N or WxH, e.g. 64 or 128x96 (got "${text}")`);
  const width = Number(match[1]);
  return { width, height: match[2] === undefined ? width : Number(match[2]) };
}
