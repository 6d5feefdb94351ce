import { z } from 'zod';
import {
  BACKGROUNDS,
  CLIP_FORMATS,
  type ClipFormat,
  IMAGE_FORMATS,
  type ImageFormat,
  MAX_COUNT,
  MAX_GUIDANCE,
  MAX_PROMPT_CHARS,
  MAX_SEED,
  MAX_SIZE,
  MAX_STEPS,
  MODEL_ID_PATTERN,
  SAMPLERS,
} from './constants.js';
import { CHANGE_REASONS } from './interpret.js';
import { COLOUR_HUES, type HueColour } from './recolour.js';

// Every check of a field shares one message, so a user reads the rule once, whatever part they broke.
const integer = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const text = (what: string) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined ? `is required: a text (${what})` : `must be a text (${what})`,
    })
    .max(MAX_PROMPT_CHARS, {
      error: (issue) =>
        `is ${String((issue.input as string).length)} characters long; the limit is ${MAX_PROMPT_CHARS}`,
    });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.map((v) => `"${v}"`).join(', ')}` });
const flag = () => z.boolean({ error: 'must be true or false' });

const guidanceError = `must be a number from 0 to ${MAX_GUIDANCE}`;

// Descriptions travel into JSON Schema (MCP tool input, editor completions).
const common = {
  prompt: text('what to draw; empty for an unconditional sample').describe(
    'What to draw, e.g. "a red apple"',
  ),
  negativePrompt: text('what to steer away from')
    .optional()
    .describe('What to steer away from (replaces the empty prompt of classifier-free guidance)'),
  model: z
    .string({ error: 'must be a model id such as "emoji-256"' })
    .regex(MODEL_ID_PATTERN, {
      error: 'must be a model id such as "emoji-256" (lower-case letters, digits, . _ -)',
    })
    // Longer than any file name may be: the folder lookup would fail as IO_ERROR (ENAMETOOLONG).
    .max(100, { error: 'must be a model id of at most 100 characters' })
    .optional()
    .describe('Model bundle id (a folder of the models directory); default: the engine default'),
  width: integer(8, MAX_SIZE).optional().describe("Output width in pixels; default: the model's native size"),
  height: integer(8, MAX_SIZE)
    .optional()
    .describe("Output height in pixels; default: the model's native size"),
  steps: integer(1, MAX_STEPS).optional().describe('Denoising steps; default: from the model'),
  guidance: z
    .number({ error: guidanceError })
    .min(0, { error: guidanceError })
    .max(MAX_GUIDANCE, { error: guidanceError })
    .optional()
    .describe('Classifier-free guidance scale (1 = off); default: from the model'),
  seed: integer(0, MAX_SEED)
    .optional()
    .describe('uint32 noise seed; default: random, reported in the result'),
  sampler: oneOf(SAMPLERS).optional().describe('Sampler; default: from the model'),
  count: integer(1, MAX_COUNT).default(1).describe('Number of images; image k uses seed + k'),
  preview: flag().default(false).describe('Attach a small PNG preview to every progress event'),
  background: oneOf(BACKGROUNDS)
    .default('white')
    .describe(
      '"transparent": the drawing cut out of its white background (PNG, WebP, AVIF; clips: WebP, PNG frames)',
    ),
};

/** A still picture. `kind` may be left out: images are the default. */
const strengthError = 'must be a number above 0 and at most 1';

export const ImageRequestSchema = z.strictObject({
  kind: z.literal('image', { error: 'must be "image", "clip" or "icons"' }).default('image'),
  ...common,
  format: oneOf(IMAGE_FORMATS).default('png').describe('Image file format'),
  image: z
    .custom<Uint8Array>((v) => v instanceof Uint8Array, {
      error: 'must be the bytes of a picture (a Uint8Array of a PNG, WebP, JPEG, AVIF or GIF file)',
    })
    .optional()
    .describe('A picture to start from (image-to-image): the result is a variation of it'),
  strength: z
    .number({ error: strengthError })
    .gt(0, { error: strengthError })
    .max(1, { error: strengthError })
    .optional()
    .describe('With image: how far to move from it, 0–1 (1 = ignore it); default 0.6, with a mask 1'),
  mask: z
    .custom<Uint8Array>((v) => v instanceof Uint8Array, {
      error: 'must be the bytes of a picture (a Uint8Array of a PNG or WebP file)',
    })
    .optional()
    .describe(
      'With image: where to repaint it (inpainting). Transparent areas of a mask with transparency, else white areas, are repainted; the rest is kept',
    ),
});

/** A short looping clip, drawn by a clip bundle (format version 2). */
export const ClipRequestSchema = z.strictObject({
  kind: z.literal('clip'),
  ...common,
  count: integer(1, MAX_COUNT).default(1).describe('Number of clips; clip k uses seed + k'),
  frames: integer(2, 64)
    .optional()
    .describe("Frames in the clip; default and only choice: the model's frame count"),
  fps: integer(1, 60).optional().describe('Frames per second; default: from the model'),
  loop: flag().default(true).describe('Loop forever'),
  format: oneOf(CLIP_FORMATS).default('webp').describe('Clip file format'),
});

/**
 * An icon set from one generation: every nested level's own drawing at its native size, plus the
 * sizes and files a site or app needs (favicon.ico, touch icon, web-manifest icons), each saying
 * whether a level drew it or it was resized.
 */
export const IconsRequestSchema = z.strictObject({
  kind: z.literal('icons'),
  prompt: common.prompt,
  negativePrompt: common.negativePrompt,
  model: common.model,
  steps: common.steps,
  guidance: common.guidance,
  seed: common.seed,
  sampler: common.sampler,
  count: integer(1, MAX_COUNT).default(1).describe('Number of icon sets; set k uses seed + k'),
  preview: common.preview,
  background: oneOf(BACKGROUNDS)
    .default('transparent')
    .describe('"transparent" (default): cut out of the white background; "white": the white square'),
});

export const GenerateRequestSchema = z.union([ImageRequestSchema, ClipRequestSchema, IconsRequestSchema]);

/** What a caller writes: optional fields may be left out. */
export type GenerateRequest = z.input<typeof GenerateRequestSchema>;
export type ImageRequest = z.input<typeof ImageRequestSchema>;
export type ClipRequest = z.input<typeof ClipRequestSchema>;
export type IconsRequest = z.input<typeof IconsRequestSchema>;
/** After parseRequest(): request-level defaults filled, model-level ones (steps, size…) still open. */
export type ParsedRequest = z.output<typeof GenerateRequestSchema>;
export type ParsedImageRequest = z.output<typeof ImageRequestSchema>;
export type ParsedClipRequest = z.output<typeof ClipRequestSchema>;
export type ParsedIconsRequest = z.output<typeof IconsRequestSchema>;

/** The request exactly as it was run: every default resolved, so it can be replayed byte for byte. */
export const NormalizedImageRequestSchema = z.object({
  kind: z.literal('image'),
  prompt: z.string(),
  negativePrompt: z.string(),
  model: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  steps: z.number().int(),
  guidance: z.number(),
  seed: z.number().int(),
  sampler: z.enum(SAMPLERS),
  count: z.number().int(),
  format: z.enum(IMAGE_FORMATS),
  preview: z.boolean(),
  background: z.enum(BACKGROUNDS),
  /** Image-to-image: how far from the input, and the input's sha256 (the bytes stay with the caller). */
  strength: z.number().optional(),
  imageSha256: z.string().optional(),
  /** Inpainting: the mask's sha256 (the bytes stay with the caller). */
  maskSha256: z.string().optional(),
});
export type NormalizedImageRequest = z.output<typeof NormalizedImageRequestSchema>;

export const NormalizedClipRequestSchema = NormalizedImageRequestSchema.extend({
  kind: z.literal('clip'),
  format: z.enum(CLIP_FORMATS),
  frames: z.number().int(),
  fps: z.number().int(),
  loop: z.boolean(),
});
export type NormalizedClipRequest = z.output<typeof NormalizedClipRequestSchema>;
/** An icon set as run: width and height are the outermost level's, the format is PNG. */
export const NormalizedIconsRequestSchema = NormalizedImageRequestSchema.extend({
  kind: z.literal('icons'),
  format: z.literal('png'),
});
export type NormalizedIconsRequest = z.output<typeof NormalizedIconsRequestSchema>;
export type NormalizedRequest = NormalizedImageRequest | NormalizedClipRequest | NormalizedIconsRequest;

export const GeneratedImageSchema = z.object({
  bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, { error: 'must be a Uint8Array' }),
  mimeType: z.string(),
  /** Which sample of the request this file belongs to (0-based; sample k used seed + k). */
  index: z.number().int(),
  /** The file extension for this file, without the dot: "png", "jpg", "webp", "gif", "ico", … */
  extension: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  seed: z.number().int(),
  format: z.string(),
  /** Clips: the number of frames in this (animated) file. */
  frames: z.number().int().optional(),
  /** Clips as "png-frames": which frame of the clip this PNG is (0-based). */
  frameIndex: z.number().int().optional(),
  /** Icon sets: the file's name within the set, e.g. "icon-16.png", "favicon.ico". */
  name: z.string().optional(),
  /**
   * Icon sets: "level" when a nested level drew the file at exactly this size; "resized" when it was
   * resized from the level named by `drawnAt` (or, for favicon.ico, holds resized entries).
   */
  source: z.enum(['level', 'resized']).optional(),
  /** Icon sets: the side of the level whose drawing this file holds. */
  drawnAt: z.number().int().optional(),
});
export type GeneratedImage = z.output<typeof GeneratedImageSchema>;

export const TimingsSchema = z.object({
  loadMs: z.number(),
  denoiseMs: z.number(),
  encodeMs: z.number(),
  totalMs: z.number(),
});
export type Timings = z.output<typeof TimingsSchema>;

export const InterpretationSchema = z
  .object({
    text: z.string().describe('The prompt as the model was given it'),
    changes: z
      .array(
        z.object({
          from: z.string(),
          to: z.string().describe('"" when the words were dropped'),
          reason: z.enum(CHANGE_REASONS),
        }),
      )
      .describe('Every word read as another, and why (plural, spelling, synonym, colour, …)'),
    recolour: z
      .enum(Object.keys(COLOUR_HUES) as [HueColour, ...HueColour[]])
      .optional()
      .describe('A colour the model cannot draw with this thing, applied to the picture instead'),
  })
  .describe('How the prompt was read onto the words the model knows');

/** Why a result may not be what was asked for; `code` for programs, `message` for people. */
export const WARNING_CODES = [
  'fixture-model',
  'resized',
  'unknown-words',
  'prompt-truncated',
  'not-recoloured',
] as const;
export const WarningSchema = z.object({ code: z.enum(WARNING_CODES), message: z.string() });
export type Warning = z.output<typeof WarningSchema>;

export const GenerateResultSchema = z.object({
  images: z.array(GeneratedImageSchema),
  model: z.string(),
  request: z.union([NormalizedImageRequestSchema, NormalizedClipRequestSchema, NormalizedIconsRequestSchema]),
  timings: TimingsSchema,
  warnings: z.array(WarningSchema),
  interpretation: InterpretationSchema,
});
export type GenerateResult = z.output<typeof GenerateResultSchema>;

export interface ProgressPreview {
  width: number;
  height: number;
  png: Uint8Array;
}

export interface Progress {
  /** 1-based: the number of denoising steps finished for this image. */
  step: number;
  total: number;
  elapsedMs: number;
  /** Which image (or clip) of a `count > 1` request (0-based). */
  imageIndex: number;
  /** The whole request: denoising steps done over all its images, of how many. */
  overall: { completed: number; total: number };
  preview?: ProgressPreview;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Refuse, before any work, a request over this many pixel-steps (steps × count × frames × width × height). */
  maxWork?: number;
  /** Join the engine's queue only if at most this many generations wait behind the running one; else BUSY at once. */
  maxQueued?: number;
  /** Called when the generation has to wait, with how many generations are ahead of it. */
  onQueued?: (ahead: number) => void;
}

export const MIME_TYPES: Record<ImageFormat | ClipFormat, string> = {
  png: 'image/png',
  webp: 'image/webp',
  jpeg: 'image/jpeg',
  avif: 'image/avif',
  gif: 'image/gif',
  'png-frames': 'image/png',
};
