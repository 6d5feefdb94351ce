import {
  InterpretationSchema,
  NormalizedClipRequestSchema,
  NormalizedIconsRequestSchema,
  NormalizedImageRequestSchema,
  TimingsSchema,
  WarningSchema,
} from '@matryoshka/core';
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
  frames: z.number().int().optional().describe('Clips: frames in this animated file'),
  frameIndex: z
    .number()
    .int()
    .optional()
    .describe('Clips saved as png-frames: which frame this is (0-based)'),
  source: z
    .enum(['level', 'resized'])
    .optional()
    .describe('Icon sets: "level" when a nested level drew the file at this size, "resized" otherwise'),
  drawnAt: z.number().int().optional().describe('Icon sets: the side of the level whose drawing this is'),
});

const generationOutput = {
  path: z.string().describe('Absolute path of the first (usually only) file'),
  uri: z.string().describe('Resource URI of the first file'),
  seed: z.number().int().describe('Seed of the first image; image k used seed + k'),
  model: z.string(),
  images: z.array(SavedImageSchema),
  interpretation: InterpretationSchema,
  timings: TimingsSchema,
  warnings: z
    .array(WarningSchema)
    .describe('Why the result may differ from the request: a code and a sentence'),
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
  parameters: NormalizedClipRequestSchema.describe(
    'The request as run, every default filled in: replay it to reproduce',
  ),
});

export const GenerateIconsOutput = z.object({
  ...generationOutput,
  parameters: NormalizedIconsRequestSchema.describe(
    'The request as run, every default filled in: replay it to reproduce',
  ),
});

/** The file-name argument the generation tools take. */
export const fileNameArgument = z
  .string()
  .max(200)
  .optional()
  .describe(
    'Optional file name for the result, without a folder (e.g. "apple-icon"). Unsafe characters are replaced; an existing file is never overwritten (a -2, -3… suffix is added). Default: from the prompt and seed.',
  );
