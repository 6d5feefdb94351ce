import { ImageRequestSchema } from '@matryoshka/core';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ClientSession } from '../client-session.js';
import { readInputImage } from '../input-image.js';
import type { Runtime } from '../runtime.js';
import { errorResult } from '../tool-error.js';
import { runGeneration } from './run-generation.js';
import { fileNameArgument, GenerateImageOutput } from './schemas.js';

// The core's own field schemas, so the tool accepts exactly what the engine does; only the
// descriptions (what a model reads when it picks arguments) are added here.
const field = ImageRequestSchema.shape;

export const generateImageInput = {
  prompt: field.prompt.describe(
    'What to draw, in plain words, e.g. "a red apple" or "smiling sun with sunglasses"',
  ),
  negativePrompt: field.negativePrompt.describe('What to steer away from, e.g. "blurry, text"'),
  model: field.model.describe("Model id from list_models. Default: the server's default model"),
  width: field.width.describe("Width in pixels. Default: the model's native resolution"),
  height: field.height.describe("Height in pixels. Default: the model's native resolution"),
  steps: field.steps.describe(
    "Denoising steps: more is slower and finer. Default: the model's setting (about 20)",
  ),
  guidance: field.guidance.describe(
    "How strictly to follow the prompt (classifier-free guidance). Default: the model's setting",
  ),
  seed: field.seed.describe(
    'Seed for a reproducible result. Default: random; the result reports the seed used',
  ),
  sampler: field.sampler.describe("Sampler. Default: the model's setting"),
  count: field.count.describe('How many images (each with seed + k)'),
  format: field.format.describe('File format of the saved full-size image'),
  background: field.background.describe(
    '"transparent" cuts the drawing out of its white background (for slides and dark themes); default "white"',
  ),
  image: z
    .string()
    .max(4096)
    .optional()
    .describe(
      'A picture to make variations of (image-to-image): the matryoshka://output/… URI of an earlier result, or a path inside the allowed folders',
    ),
  strength: field.strength.describe(
    'With image: how far to move from it, 0–1 (0.3 stays close, 1 ignores it); default 0.6, with a mask 1',
  ),
  mask: z
    .string()
    .max(4096)
    .optional()
    .describe(
      'With image: repaint only part of it (inpainting). A picture (URI or allowed path, as for image) that is white where to redraw and black where to keep; or transparent where to redraw',
    ),
  name: fileNameArgument,
};

export function registerGenerateImage(server: McpServer, runtime: Runtime, session: ClientSession): void {
  server.registerTool(
    'generate_image',
    {
      title: 'Generate image',
      description:
        'Generates a picture from a text prompt with a local Matryoshka Diffusion model (nothing leaves this computer). ' +
        'Returns a small preview, a link to the full-size file saved in the output folder, its path, and the seed to reproduce it. ' +
        'Best at what the installed model was trained on (see list_models), e.g. emoji-style icons. ' +
        'With image (an earlier result or a file) it makes variations of that picture; with image and mask it repaints only the masked part.',
      inputSchema: z.strictObject(generateImageInput),
      outputSchema: GenerateImageOutput,
      annotations: {
        title: 'Generate image',
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async ({ name, image, mask, ...request }, extra) => {
      try {
        const input = {
          ...(image === undefined ? {} : { image: await readInputImage(session, image) }),
          ...(mask === undefined ? {} : { mask: await readInputImage(session, mask, 'mask') }),
        };
        return await runGeneration(runtime, session, { kind: 'image', ...request, ...input }, name, extra);
      } catch (error) {
        return errorResult(error);
      }
    },
  );
}
