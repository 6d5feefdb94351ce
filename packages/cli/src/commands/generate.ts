import { randomInt } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  createEngine,
  type GenerateResult,
  IMAGE_FORMATS,
  type ImageFormat,
  MAX_COUNT,
  MAX_SEED,
  parseRequest,
  SAMPLERS,
} from '@matryoshka/core';
import { writeFilesAtomically } from '../atomic-write.js';
import { defineCommand, helpOption } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { formatDuration } from '../format.js';
import type { CliIo } from '../io.js';
import { type OutputPlan, planOutput } from '../output-plan.js';
import { createProgress, PROGRESS_MODES, type ProgressMode } from '../progress.js';
import { requestFromFlags } from '../request-from-flags.js';
import { usageError } from '../usage-error.js';

export default defineCommand({
  name: 'generate',
  summary: 'Turn a text prompt into image files',
  description: `Generates pictures from a text prompt with a Matryoshka Diffusion model on this machine: nothing is uploaded. The model denoises 16, 32 and 64 pixel copies of the picture together; the largest one is saved.

The image format follows the extension of -o (.png, .webp, .jpg, .avif) unless --format says otherwise. Without -o, files are named after the prompt and seed in the current folder. PNG files record the prompt, seed, steps, guidance, sampler and model, so any picture can be made again from the file alone: the same prompt, seed and settings give the same bytes.

Steps, guidance and sampler default to what the model's manifest recommends (see "matryoshka models"). Files are written under a temporary name and renamed when complete, so an interrupted run (Ctrl-C) never leaves a half-written image.`,
  positionals: [
    { name: 'prompt', description: 'What to draw, in quotes, e.g. "a red apple".', required: true },
  ],
  options: {
    output: {
      type: 'string',
      short: 'o',
      valueName: 'file',
      description:
        'Where to write the image: a file name, an existing folder (or one ending in /), or - for stdout. With --count N, out.png becomes out-1.png … out-N.png.',
      defaultText: '<prompt>-<seed>.png in the current folder',
    },
    count: {
      type: 'number',
      short: 'n',
      valueName: 'n',
      description: `How many images to make (1–${MAX_COUNT}); image k uses seed + k.`,
      defaultText: '1',
    },
    seed: {
      type: 'number',
      short: 's',
      valueName: 'n',
      description: `Random seed (0–${MAX_SEED}); the same seed and settings give the same picture.`,
      defaultText: 'a random seed, printed after the run',
    },
    steps: {
      type: 'number',
      valueName: 'n',
      description: 'Denoising steps: more is slower and usually cleaner.',
      defaultText: "the model's",
    },
    guidance: {
      type: 'number',
      short: 'g',
      valueName: 'w',
      description: 'How strongly to follow the prompt (classifier-free guidance; 1 turns it off).',
      defaultText: "the model's",
    },
    sampler: {
      type: 'string',
      valueName: 'name',
      choices: SAMPLERS,
      description: 'The solver that walks from noise to picture.',
      defaultText: "the model's",
    },
    negative: {
      type: 'string',
      valueName: 'text',
      description: 'What to steer away from, e.g. "blurry, dark".',
    },
    size: {
      type: 'string',
      valueName: 'WxH|N',
      description:
        "Output size, e.g. 64 or 128x96. Sizes other than the model's native one are resized (with a warning).",
      defaultText: "the model's native size",
    },
    width: { type: 'number', valueName: 'px', description: 'Output width in pixels (instead of --size).' },
    height: { type: 'number', valueName: 'px', description: 'Output height in pixels (instead of --size).' },
    format: {
      type: 'string',
      short: 'f',
      valueName: 'format',
      choices: IMAGE_FORMATS,
      description: 'Image format, when it should not follow the file extension.',
      defaultText: 'from the extension of -o, else png',
    },
    model: {
      type: 'string',
      short: 'm',
      valueName: 'id',
      description: 'Which installed model to use (see "matryoshka models").',
      defaultText: 'emoji-64',
    },
    'models-dir': {
      type: 'string',
      valueName: 'dir',
      description: 'Folder holding model bundles.',
      defaultText: '$MATRYOSHKA_MODELS, else the nearest models/ folder',
    },
    threads: {
      type: 'number',
      valueName: 'n',
      description: 'CPU threads for ONNX Runtime.',
      defaultText: 'all cores',
    },
    json: {
      type: 'boolean',
      description:
        'Print one JSON object to stdout (paths, seeds, settings, timings, warnings) instead of text; errors too.',
    },
    progress: {
      type: 'string',
      valueName: 'mode',
      choices: PROGRESS_MODES,
      description:
        'auto draws a bar on a terminal and stays silent otherwise; lines prints one line per step.',
      defaultText: 'auto',
    },
    quiet: { type: 'boolean', short: 'q', description: 'Print nothing but errors (and the --json object).' },
    ...helpOption,
  },
  examples: [
    {
      command: 'matryoshka generate "a red apple" -o apple.png',
      explanation: 'One picture, saved as apple.png.',
    },
    {
      command: 'matryoshka generate "a red apple" -o apple.png --seed 42',
      explanation: 'Reproducible: run it twice and compare the files, they are identical.',
    },
    {
      command: 'matryoshka generate "a smiling cat" -n 4 -o cats/cat.webp',
      explanation: 'Four variations as cats/cat-1.webp … cats/cat-4.webp (the folder is created).',
    },
    {
      command: 'matryoshka generate "a rocket" --steps 40 --sampler ddim --json',
      explanation: 'More steps with another sampler; prints a JSON summary for scripts.',
    },
  ],

  async run({ values, positionals, io }) {
    // Words after the first are joined, so a forgotten pair of quotes still does what was meant. An
    // explicit "" is allowed: the model then draws without a prompt.
    if (positionals.length === 0) {
      throw usageError('missing the prompt', 'try: matryoshka generate "a red apple" -o apple.png');
    }
    const prompt = positionals.join(' ').trim();
    if (values.output === '-' && values.json) {
      throw usageError('-o - writes the image to stdout, so it cannot be combined with --json');
    }
    const seed = values.seed ?? randomInt(0, MAX_SEED + 1);
    const requestedFormat = values.format as ImageFormat | undefined;
    const request = requestFromFlags(prompt, values, seed, requestedFormat ?? 'png');
    // Validate before anything touches the disk or loads a model, so mistakes cost nothing.
    const count = parseRequest(request).count;
    const plan = planOutput({
      output: values.output,
      outputIsDirectory: await isDirectory(values.output, io.cwd),
      format: requestedFormat,
      count,
      prompt,
      seed,
      cwd: io.cwd,
    });
    request.format = plan.format;

    const modelsDir = values['models-dir'];
    const engine = createEngine({
      ...(modelsDir === undefined ? {} : { modelsDir: path.resolve(io.cwd, modelsDir) }),
      ...(values.threads === undefined ? {} : { threads: values.threads }),
    });
    const quiet = values.quiet === true;
    const progress = createProgress(
      quiet ? 'none' : ((values.progress ?? 'auto') as ProgressMode),
      io.stderr,
      count,
    );
    try {
      let result: GenerateResult;
      try {
        result = await engine.generate(request, { signal: io.signal, onProgress: (p) => progress.update(p) });
      } finally {
        progress.finish();
      }
      await save(result, plan, io);
      // The engine's warnings include resizing and random-weight fixture bundles.
      report(result, plan, result.warnings, io, { json: values.json === true, quiet });
      return ExitCode.ok;
    } finally {
      await engine.close();
    }
  },
});

async function isDirectory(output: string | undefined, cwd: string): Promise<boolean> {
  if (output === undefined || output === '-') return false;
  try {
    return (await stat(path.resolve(cwd, output))).isDirectory();
  } catch {
    return false;
  }
}

async function save(result: GenerateResult, plan: OutputPlan, io: CliIo): Promise<void> {
  if (plan.toStdout) {
    const image = result.images[0];
    if (image) io.stdout.write(image.bytes);
    return;
  }
  await writeFilesAtomically(
    result.images.map((image, k) => ({ path: plan.paths[k] as string, bytes: image.bytes })),
    io.signal,
  );
}

function report(
  result: GenerateResult,
  plan: OutputPlan,
  warnings: string[],
  io: CliIo,
  mode: { json: boolean; quiet: boolean },
): void {
  if (mode.json) {
    const summary = {
      ok: true,
      model: result.model,
      images: result.images.map((image, k) => ({
        path: plan.paths[k],
        seed: image.seed,
        width: image.width,
        height: image.height,
        format: image.format,
        mimeType: image.mimeType,
        bytes: image.bytes.byteLength,
      })),
      request: result.request,
      timings: result.timings,
      warnings,
    };
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  if (mode.quiet) return;
  for (const warning of warnings) io.stderr.write(`warning: ${warning}\n`);
  // Paths on stdout, one per line, so `$(matryoshka generate …)` captures them; the rest on stderr.
  if (!plan.toStdout)
    for (const file of plan.paths) io.stdout.write(`${path.relative(io.cwd, file) || file}\n`);
  const r = result.request;
  const first = result.images[0];
  const seeds = result.images.length > 1 ? `seeds ${r.seed}–${result.images.at(-1)?.seed}` : `seed ${r.seed}`;
  const size = first ? `${first.width}×${first.height} ${first.format}` : '';
  io.stderr.write(
    `${result.model} · ${size} · ${seeds} · ${r.sampler} ${r.steps} steps · guidance ${r.guidance} · ${formatDuration(result.timings.totalMs)}\n`,
  );
}
