import {
  type GenerateOptions,
  type GenerateRequest,
  ImageRequestSchema,
  MatryoshkaError,
} from '@matryoshka/core';
import { type DeckProgress, type DeckReport, illustrateDeck } from '@matryoshka/slides';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ClientSession } from '../client-session.js';
import { progressReporter, type ToolExtra } from '../progress.js';
import type { Runtime } from '../runtime.js';
import { errorResult } from '../tool-error.js';

const field = ImageRequestSchema.shape;

export const illustrateDeckInput = z.strictObject({
  path: z
    .string()
    .min(1)
    .describe(
      'The deck: a .pptx, or a Marp/Slidev .md. Absolute, or relative to the project (the client root)',
    ),
  output: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Where the illustrated copy goes (a file of the deck’s type inside the allowed folders). Default: <name>.illustrated.<ext> beside the deck; the deck itself is never changed',
    ),
  overwrite: z
    .boolean()
    .optional()
    .describe(
      'Replace the output (and its picture files) if they exist. Default false: an existing file is an error',
    ),
  style: z.string().max(200).optional().describe('Appended to every prompt, e.g. "flat vector illustration"'),
  slides: z.string().max(200).optional().describe('Slides to consider, e.g. "1,3-5". Default: all'),
  force: z.boolean().optional().describe('Also illustrate slides that already have a picture'),
  makeRoom: z
    .boolean()
    .optional()
    .describe(
      'PPTX: narrow a body text box to fit a picture beside it when nothing else has room (never by default)',
    ),
  dryRun: z
    .boolean()
    .optional()
    .describe("Only plan: report each slide's prompt and placement, draw and write nothing"),
  model: field.model.describe('Model id from list_models'),
  steps: field.steps.describe("Denoising steps per picture. Default: the model's setting"),
  guidance: field.guidance.describe("Prompt strength. Default: the model's setting"),
  sampler: field.sampler.describe("Sampler. Default: the model's setting"),
});

const SlideSchema = z.object({
  slide: z.number().int(),
  title: z.string().optional(),
  status: z.enum(['illustrated', 'planned', 'skipped']),
  reason: z.string().optional(),
  detail: z.string().optional(),
  prompt: z.string().optional(),
  seed: z.number().int().optional(),
  image: z.string().optional(),
});

export const IllustrateDeckOutput = z.object({
  input: z.string(),
  // Absent rather than null: a nullable type becomes a `type` array, which single-type schema
  // dialects (Gemini's function declarations, for one) reject.
  output: z
    .string()
    .optional()
    .describe('The illustrated copy; absent for a dry run or when nothing needed a picture'),
  format: z.enum(['pptx', 'marp', 'slidev']),
  illustrated: z.number().int(),
  skipped: z.number().int(),
  slides: z.array(SlideSchema),
  images: z.array(z.string()).describe('Image files written beside a Markdown deck'),
  model: z.string().optional(),
  warnings: z.array(z.string()),
  elapsedMs: z.number(),
});

/** `illustrate_deck`: adds a generated picture to each slide of an existing deck that has none. */
export function registerIllustrateDeck(server: McpServer, runtime: Runtime, session: ClientSession): void {
  server.registerTool(
    'illustrate_deck',
    {
      title: 'Illustrate slide deck',
      description:
        'Adds one locally generated picture to every slide of a PowerPoint (.pptx) or Marp/Slidev (.md) deck that has none, ' +
        'prompted by the slide\'s text (or an "illustrate:" line in its notes). Writes an illustrated copy and never changes the original. ' +
        'Use dryRun first to see the planned prompts. Reads and writes only inside the client’s roots (or the folders the server allows); ' +
        'an existing output is replaced only with overwrite: true.',
      inputSchema: illustrateDeckInput,
      outputSchema: IllustrateDeckOutput,
      annotations: {
        title: 'Illustrate slide deck',
        readOnlyHint: false,
        // With overwrite: true it replaces files.
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    async (args, extra) => {
      try {
        return await run(runtime, session, args, extra);
      } catch (error) {
        return errorResult(error);
      }
    },
  );
}

async function run(
  runtime: Runtime,
  session: ClientSession,
  args: z.output<typeof illustrateDeckInput>,
  extra: ToolExtra,
): Promise<CallToolResult> {
  const { access } = session;
  const input = await access.resolve(args.path, 'read');
  const output = args.output === undefined ? undefined : await access.resolve(args.output, 'write');
  const request = Object.fromEntries(
    Object.entries({
      model: args.model,
      steps: args.steps,
      guidance: args.guidance,
      sampler: args.sampler,
    }).filter(([, v]) => v !== undefined),
  );
  const reporter = deckProgress(progressReporter(extra, 1, runtime.log).raw);
  const signal = AbortSignal.any([extra.signal, runtime.shutdown.signal]);
  const { maxWork, maxQueue } = runtime.config;
  // Every picture goes through the engine's queue and the server's limits like any other call.
  const engine = {
    generate: (r: GenerateRequest, o: GenerateOptions = {}) =>
      runtime.engine.generate(r, { ...o, maxWork, maxQueued: maxQueue }),
    // Which words the model draws by name, so each slide gets an idea it can draw.
    readPrompt: runtime.engine.readPrompt.bind(runtime.engine),
  };
  const job = () =>
    illustrateDeck(input, {
      engine,
      request,
      signal,
      overwrite: args.overwrite === true,
      checkWrite: async (path) => {
        await access.resolve(path, 'write');
      },
      onProgress: reporter,
      ...(output === undefined ? {} : { output }),
      ...(args.style === undefined ? {} : { style: args.style }),
      ...(args.slides === undefined ? {} : { slides: args.slides }),
      ...(args.force === undefined ? {} : { force: args.force }),
      ...(args.makeRoom === undefined ? {} : { makeRoom: args.makeRoom }),
      ...(args.dryRun === undefined ? {} : { dryRun: args.dryRun }),
    });
  const report = await session.run(job);
  if (signal.aborted) throw new MatryoshkaError('ABORTED', 'illustration was cancelled');
  return { content: [{ type: 'text', text: summary(report) }], structuredContent: toStructured(report) };
}

/** Deck progress as MCP progress notifications: the run's overall steps, never going back. */
export function deckProgress(send: (progress: number, total: number, message: string) => void) {
  let last = 0;
  return ({ slide, done, total, step, steps, overall }: DeckProgress) => {
    if (overall.completed <= last) return;
    last = overall.completed;
    send(
      overall.completed,
      overall.total,
      `slide ${slide}: picture ${Math.min(done + 1, total)}/${total}, step ${step}/${steps}`,
    );
  };
}

function toStructured(report: DeckReport): Record<string, unknown> {
  return {
    input: report.input,
    ...(report.output === null ? {} : { output: report.output }),
    format: report.format,
    illustrated: report.illustrated,
    skipped: report.skipped,
    slides: report.slides.map(({ slide, title, status, reason, detail, prompt, seed, image }) =>
      Object.fromEntries(
        Object.entries({ slide, title, status, reason, detail, prompt, seed, image }).filter(
          ([, v]) => v !== undefined,
        ),
      ),
    ),
    images: report.images,
    ...(report.model === undefined ? {} : { model: report.model }),
    warnings: report.warnings,
    elapsedMs: report.elapsedMs,
  };
}

function summary(report: DeckReport): string {
  const head =
    report.output === null
      ? `Planned ${report.slides.filter((s) => s.status === 'planned').length} picture(s) for ${report.input} (nothing written).`
      : `Illustrated ${report.illustrated} slide(s) of ${report.input} in ${(report.elapsedMs / 1000).toFixed(1)} s → ${report.output}`;
  const lines = report.slides.map((s) => {
    const what =
      s.status === 'skipped' ? `skipped (${s.detail ?? s.reason})` : `${s.status}: "${s.prompt ?? ''}"`;
    return `- slide ${s.slide}${s.title ? ` "${s.title}"` : ''}: ${what}`;
  });
  return [head, ...lines, ...report.warnings.map((w) => `Warning: ${w}`)].join('\n');
}
