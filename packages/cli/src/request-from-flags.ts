import { randomInt } from 'node:crypto';
import type {
  Background,
  ClipFormat,
  ClipRequest,
  GenerateRequest,
  IconsRequest,
  ImageFormat,
  ImageRequest,
  SamplerName,
} from '@matryoshka/core';
import { MAX_SEED } from '@matryoshka/core/lite';
import { parseSize } from './size.js';
import { usageError } from './usage-error.js';

/** The flags `generate` and `clip` share. */
export interface SampleFlags {
  negative?: string;
  model?: string;
  size?: string;
  width?: number;
  height?: number;
  steps?: number;
  guidance?: number;
  sampler?: string;
  count?: number;
  background?: string;
}

export interface ClipFlags extends SampleFlags {
  frames?: number;
  fps?: number;
  'no-loop'?: boolean;
}

type SharedFields = Omit<ImageRequest, 'kind' | 'format'>;

export interface CommandLineBasics {
  prompt: string;
  /** The one given, else a random one, so the run can be repeated from its printed seed. */
  seed: number;
}

/**
 * The prompt and seed of a `generate` or `clip` command line, after the checks both make. Words
 * after the first are joined, so a forgotten pair of quotes still does what was meant; an explicit
 * "" is allowed: the model then draws without a prompt.
 */
export function promptAndSeed(
  positionals: readonly string[],
  flags: { output?: string; json?: boolean; seed?: number },
  usage: { example: string; noun: string },
): CommandLineBasics {
  if (positionals.length === 0) throw usageError('missing the prompt', `try: ${usage.example}`);
  if (flags.output === '-' && flags.json) {
    throw usageError(`-o - writes the ${usage.noun} to stdout, so it cannot be combined with --json`);
  }
  return { prompt: positionals.join(' ').trim(), seed: flags.seed ?? randomInt(0, MAX_SEED + 1) };
}

/**
 * Maps flags onto the engine's request, leaving out what the user did not say so the model's own
 * defaults (steps, guidance, sampler, size) apply. Values are passed through unchecked: the engine's
 * schema owns the limits and names the field in its error.
 */
function sharedFields(prompt: string, flags: SampleFlags, seed: number): SharedFields {
  if (flags.size !== undefined && (flags.width !== undefined || flags.height !== undefined)) {
    throw usageError(
      '--size cannot be combined with --width or --height',
      'use either --size WxH or --width and --height',
    );
  }
  const size = flags.size === undefined ? {} : parseSize(flags.size);
  const fields: SharedFields = { prompt, seed, ...size, ...samplingFields(flags) };
  if (flags.width !== undefined) fields.width = flags.width;
  if (flags.height !== undefined) fields.height = flags.height;
  if (flags.count !== undefined) fields.count = flags.count;
  return fields;
}

/** The flags every drawing command maps the same way, icon sets included (which have no size or count). */
function samplingFields(flags: SampleFlags): Omit<IconsRequest, 'kind' | 'prompt'> {
  const fields: Omit<IconsRequest, 'kind' | 'prompt'> = {};
  if (flags.negative !== undefined) fields.negativePrompt = flags.negative;
  if (flags.model !== undefined) fields.model = flags.model;
  if (flags.steps !== undefined) fields.steps = flags.steps;
  if (flags.guidance !== undefined) fields.guidance = flags.guidance;
  if (flags.sampler !== undefined) fields.sampler = flags.sampler as SamplerName;
  if (flags.background !== undefined) fields.background = flags.background as Background;
  return fields;
}

export function iconsRequestFromFlags(prompt: string, flags: SampleFlags, seed: number): IconsRequest {
  return { kind: 'icons', prompt, seed, ...samplingFields(flags) };
}

export function imageRequestFromFlags(
  prompt: string,
  flags: SampleFlags,
  seed: number,
  format: ImageFormat,
): ImageRequest {
  return { kind: 'image', ...sharedFields(prompt, flags, seed), format };
}

export function clipRequestFromFlags(
  prompt: string,
  flags: ClipFlags,
  seed: number,
  format: ClipFormat,
): ClipRequest {
  const request: ClipRequest = { kind: 'clip', ...sharedFields(prompt, flags, seed), format };
  if (flags.frames !== undefined) request.frames = flags.frames;
  if (flags.fps !== undefined) request.fps = flags.fps;
  if (flags['no-loop']) request.loop = false;
  return request;
}

/**
 * Checks the request as the engine will and returns how many samples it asks for: called before
 * anything touches the disk or loads a model, so mistakes cost nothing. The engine's schema (zod)
 * is loaded here, on first use, so that `--help` and a mistyped flag never wait for it.
 */
export async function checkedCount(request: GenerateRequest): Promise<number> {
  const { parseRequest } = await import('@matryoshka/core');
  return parseRequest(request).count;
}
