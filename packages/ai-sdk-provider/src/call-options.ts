import type { SharedV4Warning } from '@ai-sdk/provider';
import { InvalidArgumentError } from '@ai-sdk/provider';
import type { Warning } from '@matryoshka/core';

/** The `providerOptions.matryoshka` keys a call may set; their values are checked by core, which names the field. */
const SAMPLE_OPTION_KEYS = [
  'steps',
  'guidance',
  'sampler',
  'negativePrompt',
  'background',
  'format',
] as const;
export const IMAGE_OPTION_KEYS = [...SAMPLE_OPTION_KEYS, 'strength'] as const;
export const VIDEO_OPTION_KEYS = [...SAMPLE_OPTION_KEYS, 'loop'] as const;

/** Picks the known keys of `providerOptions.matryoshka`; an unknown key is an error, not silently dropped. */
export function matryoshkaOptions(
  providerOptions: Record<string, unknown> | undefined,
  keys: readonly string[],
): Record<string, unknown> {
  const own = providerOptions?.matryoshka;
  if (own === undefined) return {};
  if (own === null || typeof own !== 'object' || Array.isArray(own)) {
    throw new InvalidArgumentError({
      argument: 'providerOptions.matryoshka',
      message: 'providerOptions.matryoshka must be an object',
    });
  }
  const unknown = Object.keys(own).filter((key) => !keys.includes(key));
  if (unknown.length > 0) {
    throw new InvalidArgumentError({
      argument: 'providerOptions.matryoshka',
      message: `providerOptions.matryoshka: unknown option ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${keys.join(', ')}`,
    });
  }
  return { ...own };
}

/**
 * Width and height from the SDK's `size` ("WxH") or `aspectRatio` ("W:H"). The models draw squares of
 * `native` pixels; an aspect ratio keeps the longer side at `native` (core crops and says so).
 */
export function dimensions(
  size: string | undefined,
  aspectRatio: string | undefined,
  native: number,
  warnings: SharedV4Warning[],
  sizeName = 'size',
): { width?: number; height?: number } {
  if (size !== undefined) {
    if (aspectRatio !== undefined) {
      warnings.push({
        type: 'unsupported',
        feature: 'aspectRatio',
        details: `${sizeName} ${size} is given, so the aspect ratio ${aspectRatio} is not used`,
      });
    }
    const [width, height] = parsePair(size, 'x', sizeName);
    return { width, height };
  }
  if (aspectRatio === undefined) return {};
  const [w, h] = parsePair(aspectRatio, ':', 'aspectRatio');
  const long = Math.max(w, h);
  return {
    width: Math.max(8, Math.round((native * w) / long)),
    height: Math.max(8, Math.round((native * h) / long)),
  };
}

function parsePair(text: string, separator: string, argument: string): [number, number] {
  const parts = text.split(separator);
  const numbers = parts.map((part) => Number(part));
  if (parts.length !== 2 || numbers.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new InvalidArgumentError({
      argument,
      message: `${argument} must look like "${separator === 'x' ? '256x256' : '16:9'}" with positive whole numbers (got "${text}")`,
    });
  }
  return numbers as [number, number];
}

/**
 * Core's typed warnings in the SDK's form: an upscale is a "compatibility" use of `size` (it works,
 * with less detail), everything else a note ("other") carrying core's code in its message.
 */
export function sdkWarnings(warnings: readonly Warning[]): SharedV4Warning[] {
  return warnings.map((w) =>
    w.code === 'resized'
      ? { type: 'compatibility', feature: 'size', details: w.message }
      : { type: 'other', message: `${w.code}: ${w.message}` },
  );
}
