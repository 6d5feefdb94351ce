import { ClipRequestSchema } from '@matryoshka/core';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ClientSession } from '../client-session.js';
import type { Runtime } from '../runtime.js';
import { errorResult } from '../tool-error.js';
import { runGeneration } from './run-generation.js';
import { fileNameArgument, GenerateClipOutput } from './schemas.js';

const field = ClipRequestSchema.shape;

export const generateClipInput = {
  prompt: field.prompt.describe('What the clip shows, in plain words, e.g. "a spinning globe"'),
  negativePrompt: field.negativePrompt.describe('What to steer away from'),
  model: field.model.describe(
    'Clip model id from list_models (task "clip"). Default: the first installed clip model',
  ),
  width: field.width.describe("Frame width in pixels. Default: the model's native resolution"),
  height: field.height.describe("Frame height in pixels. Default: the model's native resolution"),
  frames: field.frames.describe('Number of frames'),
  fps: field.fps.describe('Frames per second'),
  loop: field.loop.describe('Whether the animation loops'),
  steps: field.steps.describe("Denoising steps. Default: the model's setting"),
  guidance: field.guidance.describe("How strictly to follow the prompt. Default: the model's setting"),
  seed: field.seed.describe('Seed for a reproducible result. Default: random'),
  sampler: field.sampler.describe("Sampler. Default: the model's setting"),
  count: field.count.describe('How many clips'),
  format: field.format.describe('Animated WebP, GIF, or one PNG per frame'),
  background: field.background.describe(
    '"transparent" cuts the drawing out of its white background (for slides and dark themes); default "white"',
  ),
  name: fileNameArgument,
};

export function registerGenerateClip(server: McpServer, runtime: Runtime, session: ClientSession): void {
  server.registerTool(
    'generate_clip',
    {
      title: 'Generate clip',
      description:
        'Generates a short looping animation (animated WebP or GIF) from a text prompt with a local Matryoshka Diffusion clip model. ' +
        'Needs a clip model (list_models shows task "clip"); returns a preview of the first frame, a link to the saved file and its path.',
      inputSchema: z.strictObject(generateClipInput),
      outputSchema: GenerateClipOutput,
      annotations: {
        title: 'Generate clip',
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async ({ name, ...request }, extra) => {
      try {
        // Core chooses the clip model when none is named (never a test fixture).
        return await runGeneration(runtime, session, { ...request, kind: 'clip' }, name, extra);
      } catch (error) {
        return errorResult(error);
      }
    },
  );
}
