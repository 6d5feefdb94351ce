import { z } from 'zod';
import { MODEL_ID_PATTERN, SAMPLERS } from './constants.js';
import { ScheduleSpecSchema } from './schedule.js';

/** 1: image bundles; 2: clip bundles (docs/model-bundle.md, "Clips"). */
export const SUPPORTED_FORMAT_VERSIONS = [1, 2] as const;

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
  frames: positiveInt.optional(),
});

/** manifest.json of a bundle, format version 1 (docs/model-bundle.md). Unknown keys are ignored. */
export const ManifestSchema = z
  .object({
    format: z.literal('matryoshka-bundle'),
    formatVersion: z.union([z.literal(1), z.literal(2)]),
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
    clip: z
      .object({ frames: positiveInt, fps: z.number().int().min(1).max(60), loop: z.boolean() })
      .optional(),
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
    checkClipRules(m, ctx);
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

type ManifestDraft = {
  formatVersion: 1 | 2;
  task: 'image' | 'clip';
  levels: Array<{ resolution: number; frames?: number | undefined }>;
  clip?: { frames: number } | undefined;
};

/** Version 1 is images only; version 2 is a clip: frames on every level, nested inward. */
function checkClipRules(m: ManifestDraft, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  if (m.formatVersion === 1) {
    if (m.task !== 'image') issue(['task'], 'must be "image" in format version 1 (clips are version 2)');
    return;
  }
  if (m.task !== 'clip') issue(['task'], 'must be "clip" in format version 2');
  if (!m.clip) issue(['clip'], 'is required for a clip bundle ({ frames, fps, loop })');
  m.levels.forEach((level, i) => {
    if (level.frames === undefined) {
      issue(['levels', i, 'frames'], 'is required in a clip bundle');
      return;
    }
    const outer = m.levels[i - 1]?.frames;
    if (outer !== undefined && (level.frames > outer || outer % level.frames !== 0)) {
      issue(['levels', i, 'frames'], `must divide the enclosing level's frame count (${outer})`);
    }
  });
  const outermost = m.levels[0]?.frames;
  if (m.clip && outermost !== undefined && m.clip.frames !== outermost) {
    issue(['clip', 'frames'], `must equal the outermost level's frames (${outermost})`);
  }
}
