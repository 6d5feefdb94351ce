import { z } from 'zod';
import { ScheduleSpecSchema } from './schedule.js';
import { MODEL_ID_PATTERN, SAMPLERS } from './schema.js';

export const SUPPORTED_FORMAT_VERSION = 1;

const positiveInt = z.number().int().positive();
const relativeFile = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), {
    error: 'must be a path inside the bundle folder',
  });

const LevelSchema = z.object({
  resolution: positiveInt,
  input: z.string().min(1),
  output: z.string().min(1),
});

/** manifest.json of a bundle, format version 1 (docs/model-bundle.md). Unknown keys are ignored. */
export const ManifestSchema = z
  .object({
    format: z.literal('matryoshka-bundle'),
    formatVersion: z.literal(SUPPORTED_FORMAT_VERSION),
    id: z.string().regex(MODEL_ID_PATTERN),
    name: z.string().min(1),
    description: z.string().default(''),
    task: z.enum(['image', 'clip']),
    license: z.string().min(1),
    channels: positiveInt,
    levels: z.array(LevelSchema).min(1),
    schedule: ScheduleSpecSchema,
    prediction: z.enum(['v', 'eps', 'x0']),
    sampling: z.object({
      sampler: z.enum(SAMPLERS),
      steps: positiveInt,
      guidance: z.number().min(0),
      x0: z.object({
        clip: z.boolean(),
        dynamicThreshold: z
          .object({ percentile: z.number().gt(0).max(1), max: z.number().min(1) })
          .nullable()
          .default(null),
      }),
    }),
    text: z.object({ tokenizer: relativeFile, maxTokens: positiveInt, ngramsPerToken: positiveInt }),
    onnx: z.object({ file: relativeFile, opset: positiveInt, weights: z.enum(['fp32', 'fp16']) }),
    files: z.record(
      relativeFile,
      z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0) }),
    ),
    training: z
      .object({
        parameters: z.number().optional(),
        samplesSeen: z.number().optional(),
        hardware: z.string().optional(),
        hours: z.number().optional(),
        fixture: z.boolean().default(false),
      })
      .default({ fixture: false }),
  })
  .superRefine((m, ctx) => {
    m.levels.forEach((level, i) => {
      const inner = m.levels[i + 1];
      if (inner && inner.resolution * 2 !== level.resolution) {
        ctx.addIssue({
          code: 'custom',
          path: ['levels', i + 1, 'resolution'],
          message: `must be half of the enclosing level (${level.resolution}), levels are listed outermost first`,
        });
      }
    });
    for (const [path, file] of [
      [['onnx', 'file'], m.onnx.file],
      [['text', 'tokenizer'], m.text.tokenizer],
    ] as const) {
      if (!(file in m.files))
        ctx.addIssue({ code: 'custom', path: [...path], message: `"${file}" is not listed in files` });
    }
  });

export type Manifest = z.output<typeof ManifestSchema>;
