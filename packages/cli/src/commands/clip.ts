import path from 'node:path';
import type { GenerateResult } from '@matryoshka/core';
import {
  BACKGROUNDS,
  CLIP_FORMATS,
  type ClipFormat,
  DEFAULT_CLIP_MODEL_ID,
  MAX_COUNT,
  MAX_SEED,
  promptStem,
  SAMPLERS,
} from '@matryoshka/core/lite';
import { defineCommand, helpOption } from '../command.js';
import { engineOptions } from '../engine-flags.js';
import { ExitCode } from '../exit-codes.js';
import { formatDuration } from '../format.js';
import { isExistingDirectory } from '../output-plan.js';
import { progressOptions } from '../progress.js';
import { checkedCount, clipRequestFromFlags, promptAndSeed } from '../request-from-flags.js';
import { runGeneration } from '../run-generation.js';
import { usageError } from '../usage-error.js';
import { reportResult, saveResult } from '../write-result.js';

const EXTENSIONS: Record<string, ClipFormat> = { '.webp': 'webp', '.gif': 'gif', '.png': 'png-frames' };

export default defineCommand({
  name: 'clip',
  summary: 'Turn a text prompt into a short animated clip',
  description: `Generates a short looping clip from a text prompt with a Matryoshka Diffusion clip model on this machine. The model denoises the clip nested in space and time (16 px with few frames inside 32 px inside 64 px with all frames) and saves the outermost one.

The format follows the extension of -o: .webp (animated WebP, the default), .gif, or .png for one PNG per frame (name-01.png, name-02.png, …). --format overrides it. The frame count is the model's; --fps sets the playback speed. The same prompt, seed and settings give the same frames.`,
  positionals: [
    {
      name: 'prompt',
      description: 'What to animate, in quotes, e.g. "a bouncing basketball".',
      required: true,
    },
  ],
  options: {
    output: {
      type: 'string',
      short: 'o',
      valueName: 'file',
      description:
        'Where to write the clip: a file name, an existing folder (or one ending in /), or - for stdout (WebP/GIF). With --count N, out.webp becomes out-1.webp … out-N.webp.',
      defaultText: '<prompt>-<seed>.webp in the current folder',
    },
    frames: {
      type: 'number',
      valueName: 'n',
      description: 'Frames in the clip; a clip model draws a fixed number, so this only checks it.',
      defaultText: "the model's",
    },
    fps: {
      type: 'number',
      valueName: 'n',
      description: 'Frames per second (1–60).',
      defaultText: "the model's",
    },
    'no-loop': { type: 'boolean', description: 'Play the animation once instead of looping forever.' },
    count: {
      type: 'number',
      short: 'n',
      valueName: 'n',
      description: `How many clips to make (1–${MAX_COUNT}); clip k uses seed + k.`,
      defaultText: '1',
    },
    seed: {
      type: 'number',
      short: 's',
      valueName: 'n',
      description: `Random seed (0–${MAX_SEED}).`,
      defaultText: 'a random seed, printed after the run',
    },
    steps: { type: 'number', valueName: 'n', description: 'Denoising steps.', defaultText: "the model's" },
    guidance: {
      type: 'number',
      short: 'g',
      valueName: 'w',
      description: 'How strongly to follow the prompt (1 turns guidance off).',
      defaultText: "the model's",
    },
    sampler: {
      type: 'string',
      valueName: 'name',
      choices: SAMPLERS,
      description: 'The solver that walks from noise to clip.',
      defaultText: "the model's",
    },
    negative: { type: 'string', valueName: 'text', description: 'What to steer away from.' },
    background: {
      type: 'string',
      valueName: 'white|transparent',
      choices: BACKGROUNDS,
      description: 'transparent: cut the drawing out of its white background (alpha; white inside it kept).',
      defaultText: 'white',
    },
    size: {
      type: 'string',
      valueName: 'WxH|N',
      description: "Frame size, e.g. 128; other sizes than the model's are resized (with a warning).",
      defaultText: "the model's native size",
    },
    format: {
      type: 'string',
      short: 'f',
      valueName: 'format',
      choices: CLIP_FORMATS,
      description: 'Clip format, when it should not follow the file extension.',
      defaultText: 'from the extension of -o, else webp',
    },
    model: {
      type: 'string',
      short: 'm',
      valueName: 'id',
      description: 'Which installed clip model to use (see "matryoshka models").',
      defaultText: DEFAULT_CLIP_MODEL_ID,
    },
    ...engineOptions,
    json: { type: 'boolean', description: 'Print one JSON object to stdout instead of text; errors too.' },
    ...progressOptions,
    ...helpOption,
  },
  examples: [
    {
      command: 'matryoshka clip "a spinning star" -o star.webp',
      explanation: 'An animated WebP that loops.',
    },
    {
      command: 'matryoshka clip "a bouncing basketball" -o ball.gif --fps 12 --seed 3',
      explanation: 'A GIF at 12 frames per second, reproducible with its seed.',
    },
    {
      command: 'matryoshka clip "a red apple zooming in" -o frames/apple.png',
      explanation: 'One PNG per frame: frames/apple-01.png, frames/apple-02.png, …',
    },
  ],

  async run({ values, positionals, io }) {
    const { prompt, seed } = promptAndSeed(positionals, values, {
      example: 'matryoshka clip "a spinning star" -o star.webp',
      noun: 'clip',
    });
    const format = chooseFormat(values.output, values.format as ClipFormat | undefined);
    if (values.output === '-' && format === 'png-frames') {
      throw usageError(
        'png-frames writes one file per frame, so it cannot go to stdout',
        'use -f webp or -f gif',
      );
    }
    const request = clipRequestFromFlags(prompt, values, seed, format);
    const count = await checkedCount(request);
    const outputIsDirectory = await isExistingDirectory(values.output, io.cwd);

    const result = await runGeneration(request, count, values, io);
    const toStdout = values.output === '-';
    const paths = toStdout ? [] : outputPaths(result, values.output, outputIsDirectory, prompt, seed, io.cwd);
    await saveResult(result, { toStdout, paths }, io);
    reportResult(
      result,
      paths,
      io,
      { json: values.json === true, quiet: values.quiet === true },
      {
        filesKey: 'files',
        summary: summaryLine(result),
      },
    );
    return ExitCode.ok;
  },
});

function chooseFormat(output: string | undefined, format: ClipFormat | undefined): ClipFormat {
  const ext = output && output !== '-' ? path.extname(output).toLowerCase() : '';
  const fromExtension = EXTENSIONS[ext];
  if (format && fromExtension && format !== fromExtension) {
    throw usageError(`-o ${output} ends in ${ext} but --format is ${format}`, 'make them agree, or drop one');
  }
  return format ?? fromExtension ?? 'webp';
}

/** One path per returned file: clips numbered -1…-N when several, PNG frames numbered -01…-F. */
function outputPaths(
  result: GenerateResult,
  output: string | undefined,
  outputIsDirectory: boolean,
  prompt: string,
  seed: number,
  cwd: string,
): string[] {
  const intoFolder = output === undefined || outputIsDirectory || output.endsWith('/');
  const base = intoFolder
    ? path.join(path.resolve(cwd, output ?? '.'), `${promptStem(prompt)}-${seed}`)
    : path.resolve(cwd, output).replace(/\.(webp|gif|png)$/i, '');
  const clips = result.request.count;
  return result.images.map((image) => {
    const clipPart = clips > 1 ? `-${image.index + 1}` : '';
    const framePart =
      image.frameIndex === undefined ? '' : `-${String(image.frameIndex + 1).padStart(2, '0')}`;
    return `${base}${clipPart}${framePart}.${image.extension}`;
  });
}

function summaryLine(result: GenerateResult): string {
  const r = result.request;
  const frames = 'frames' in r ? `${r.frames} frames @ ${r.fps} fps` : '';
  return `${result.model} · ${r.width}×${r.height} ${r.format} · ${frames} · seed ${r.seed} · ${r.sampler} ${r.steps} steps · guidance ${r.guidance} · ${formatDuration(result.timings.totalMs)}`;
}
