import { IconsRequestSchema } from '@matryoshka/core';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ClientSession } from '../client-session.js';
import type { Runtime } from '../runtime.js';
import { errorResult } from '../tool-error.js';
import { runGeneration } from './run-generation.js';
import { fileNameArgument, GenerateIconsOutput } from './schemas.js';

const field = IconsRequestSchema.shape;

export const generateIconsInput = {
  prompt: field.prompt.describe('What the icon shows, in plain words, e.g. "a rocket"'),
  negativePrompt: field.negativePrompt.describe('What to steer away from'),
  model: field.model.describe("Image model id from list_models. Default: the server's default model"),
  steps: field.steps.describe("Denoising steps. Default: the model's setting"),
  guidance: field.guidance.describe("How strictly to follow the prompt. Default: the model's setting"),
  seed: field.seed.describe('Seed for a reproducible set. Default: random'),
  sampler: field.sampler.describe("Sampler. Default: the model's setting"),
  background: field.background.describe('"transparent" (default) or "white"'),
  name: fileNameArgument,
};

export function registerGenerateIcons(server: McpServer, runtime: Runtime, session: ClientSession): void {
  server.registerTool(
    'generate_icons',
    {
      title: 'Generate icon set',
      description:
        'Makes a whole icon set from ONE generation with a local Matryoshka Diffusion model: the model draws the picture at every one of its sizes at once (16, 32, 64 and 128 px for the default model), and each of those drawings is saved at its own size ' +
        '(crisp small icons, not downscales), plus 128–512 px, favicon.ico, apple-touch-icon.png and site.webmanifest resized from them (each file says which). ' +
        'Returns a preview sheet of all sizes and links to every file.',
      inputSchema: z.strictObject(generateIconsInput),
      outputSchema: GenerateIconsOutput,
      annotations: {
        title: 'Generate icon set',
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async ({ name, ...request }, extra) => {
      try {
        return await runGeneration(runtime, session, { kind: 'icons', ...request }, name, extra);
      } catch (error) {
        return errorResult(error);
      }
    },
  );
}
