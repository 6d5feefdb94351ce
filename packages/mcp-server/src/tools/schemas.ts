import { NormalizedImageRequestSchema, TimingsSchema } from '@matryoshka/core';
import { z } from 'zod';

export const SavedImageSchema = z.object({
  name: z.string().describe('File name inside the output folder'),
  path: z.string().describe('Absolute path of the full-size file'),
  uri: z.string().describe('matryoshka://output/… URI, readable with resources/read'),
  fileUri: z.string().describe('file:// URL of the same file'),
  mimeType: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int().describe('Size of the saved file'),
  seed: z.number().int().describe('Seed that reproduces this image alone'),
});

const generationOutput = {
  path: z.string().describe('Absolute path of the first (usually only) file'),
  uri: z.string().describe('Resource URI of the first file'),
  seed: z.number().int().describe('Seed of the first image; image k used seed + k'),
  model: z.string(),
  images: z.array(SavedImageSchema),
  timings: TimingsSchema,
  warnings: z.array(z.string()),
  outputDir: z.string(),
};

export const GenerateImageOutput = z.object({
  ...generationOutput,
  parameters: NormalizedImageRequestSchema.describe(
    'The request as run, every default filled in: replay it to reproduce',
  ),
});

export const GenerateClipOutput = z.object({
  ...generationOutput,
  parameters: z
    .object({
      kind: z.literal('clip'),
      prompt: z.string(),
      negativePrompt: z.string().optional(),
      model: z.string(),
      width: z.number().int().optional(),
      height: z.number().int().optional(),
      frames: z.number().int().optional(),
      fps: z.number().int().optional(),
      loop: z.boolean().optional(),
      steps: z.number().int().optional(),
      guidance: z.number().optional(),
      seed: z.number().int(),
      sampler: z.string().optional(),
      count: z.number().int().optional(),
      format: z.string().optional(),
    })
    .describe('The request as run, every default filled in'),
});

/** The file-name argument both generation tools take. */
export const fileNameArgument = z
  .string()
  .max(200)
  .optional()
  .describe(
    'Optional file name for the result, without a folder (e.g. "apple-icon"). Unsafe characters are replaced; an existing file is never overwritten (a -2, -3… suffix is added). Default: from the prompt and seed.',
  );
