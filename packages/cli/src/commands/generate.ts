import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GenerateResult } from '@matryoshka/core';
import {
  BACKGROUNDS,
  IMAGE_FORMATS,
  type ImageFormat,
  MAX_COUNT,
  MAX_SEED,
  MatryoshkaError,
  SAMPLERS,
} from '@matryoshka/core/lite';
import { defineCommand, helpOption } from '../command.js';
import { engineOptions, imageModelOption } from '../engine-flags.js';
import { ExitCode } from '../exit-codes.js';
import { formatDuration } from '../format.js';
import { isExistingDirectory, planOutput } from '../output-plan.js';
import { progressOptions } from '../progress.js';
import { checkedCount, imageRequestFromFlags, promptAndSeed } from '../request-from-flags.js';
import { runGeneration } from '../run-generation.js';
import { reportResult, saveResult } from '../write-result.js';

export default defineCommand({
  name: 'generate',
  summary: 'Turn a text prompt into image files',
  description: `Generates pictures from a text prompt with a Matryoshka Diffusion model on this machine: nothing is uploaded. The model denoises copies of the picture at every one of its sizes together (16, 32, 64 and 128 pixels for the default model); the largest one is saved.

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
    background: {
      type: 'string',
      valueName: 'white|transparent',
      choices: BACKGROUNDS,
      description: 'transparent: cut the drawing out of its white background (alpha; white inside it kept).',
      defaultText: 'white',
    },
    negative: {
      type: 'string',
      valueName: 'text',
      description: 'What to steer away from, e.g. "blurry, dark".',
    },
    image: {
      type: 'string',
      valueName: 'file',
      description:
        'Start from this picture (PNG, WebP, JPEG, AVIF, GIF): the result is a variation of it (image-to-image).',
    },
    strength: {
      type: 'number',
      valueName: '0-1',
      description: 'With --image: how far to move from it (small keeps it, 1 ignores it).',
      defaultText: '0.6, with --mask 1',
    },
    mask: {
      type: 'string',
      valueName: 'file',
      description:
        'With --image: repaint only part of it (inpainting). White areas of the mask are redrawn, black ones kept; a mask with transparency: its transparent areas are redrawn.',
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
    model: imageModelOption,
    ...engineOptions,
    json: {
      type: 'boolean',
      description:
        'Print one JSON object to stdout (paths, seeds, settings, timings, warnings) instead of text; errors too.',
    },
    ...progressOptions,
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
      command:
        'matryoshka generate "a red apple" --image apple.png --strength 0.6 -n 4 -o variations/apple.png',
      explanation: 'Four variations of apple.png.',
    },
    {
      command: 'matryoshka generate "a cat" --image scene.png --mask right-half.png -o scene-cat.png',
      explanation: 'Redraws the white part of right-half.png as a cat; the rest of scene.png stays as it is.',
    },
    {
      command: 'matryoshka generate "a rocket" --steps 40 --sampler ddim --json',
      explanation: 'More steps with another sampler; prints a JSON summary for scripts.',
    },
  ],

  async run({ values, positionals, io }) {
    const { prompt, seed } = promptAndSeed(positionals, values, {
      example: 'matryoshka generate "a red apple" -o apple.png',
      noun: 'image',
    });
    const requestedFormat = values.format as ImageFormat | undefined;
    const request = imageRequestFromFlags(prompt, values, seed, requestedFormat ?? 'png');
    if (values.image !== undefined)
      request.image = await readInputFile(values.image as string, io.cwd, '--image');
    if (values.mask !== undefined)
      request.mask = await readInputFile(values.mask as string, io.cwd, '--mask');
    if (values.strength !== undefined) request.strength = values.strength as number;
    const count = await checkedCount(request);
    const plan = planOutput({
      output: values.output,
      outputIsDirectory: await isExistingDirectory(values.output, io.cwd),
      format: requestedFormat,
      count,
      prompt,
      seed,
      cwd: io.cwd,
    });
    request.format = plan.format;

    const result = await runGeneration(request, count, values, io);
    await saveResult(result, plan, io);
    // The engine's warnings include resizing and random-weight fixture bundles.
    reportResult(
      result,
      plan.paths,
      io,
      { json: values.json === true, quiet: values.quiet === true },
      {
        filesKey: 'images',
        summary: summaryLine(result),
      },
    );
    return ExitCode.ok;
  },
});

/** The bytes of --image or --mask; a missing or unreadable file is an IO_ERROR naming it. */
async function readInputFile(file: string, cwd: string, flag: string): Promise<Uint8Array> {
  const where = path.resolve(cwd, file);
  try {
    return new Uint8Array(await readFile(where));
  } catch (error) {
    throw new MatryoshkaError(
      'IO_ERROR',
      `${flag}: cannot read ${where} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

function summaryLine(result: GenerateResult): string {
  const r = result.request;
  const first = result.images[0];
  const seeds = result.images.length > 1 ? `seeds ${r.seed}–${result.images.at(-1)?.seed}` : `seed ${r.seed}`;
  const size = first ? `${first.width}×${first.height} ${first.format}` : '';
  const from = r.maskSha256
    ? ` · --image repainted where --mask says, strength ${r.strength}`
    : r.imageSha256
      ? ` · from --image at strength ${r.strength}`
      : '';
  return `${result.model} · ${size} · ${seeds}${from} · ${r.sampler} ${r.steps} steps · guidance ${r.guidance} · ${formatDuration(result.timings.totalMs)}`;
}
