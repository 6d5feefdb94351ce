import { randomInt } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  CLIP_FORMATS,
  type ClipFormat,
  type ClipRequest,
  createEngine,
  type GenerateResult,
  MAX_COUNT,
  MAX_SEED,
  parseRequest,
  SAMPLERS,
  type SamplerName,
} from '@matryoshka/core';
import { writeFilesAtomically } from '../atomic-write.js';
import { defineCommand, helpOption } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { formatDuration } from '../format.js';
import { createProgress, PROGRESS_MODES, type ProgressMode } from '../progress.js';
import { parseSize } from '../size.js';
import { slugify } from '../slugify.js';
import { usageError } from '../usage-error.js';

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
      defaultText: 'emoji-clip-64',
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
    json: { type: 'boolean', description: 'Print one JSON object to stdout instead of text; errors too.' },
    progress: {
      type: 'string',
      valueName: 'mode',
      choices: PROGRESS_MODES,
      description: 'auto draws a bar on a terminal; lines prints one line per step.',
      defaultText: 'auto',
    },
    quiet: { type: 'boolean', short: 'q', description: 'Print nothing but errors (and the --json object).' },
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
    if (positionals.length === 0) {
      throw usageError('missing the prompt', 'try: matryoshka clip "a spinning star" -o star.webp');
    }
    const prompt = positionals.join(' ').trim();
    if (values.output === '-' && values.json) {
      throw usageError('-o - writes the clip to stdout, so it cannot be combined with --json');
    }
    const seed = values.seed ?? randomInt(0, MAX_SEED + 1);
    const format = chooseFormat(values.output, values.format as ClipFormat | undefined);
    if (values.output === '-' && format === 'png-frames') {
      throw usageError(
        'png-frames writes one file per frame, so it cannot go to stdout',
        'use -f webp or -f gif',
      );
    }
    const request: ClipRequest = {
      kind: 'clip',
      prompt,
      seed,
      format,
      ...(values.size ? parseSize(values.size) : {}),
    };
    if (values.frames !== undefined) request.frames = values.frames;
    if (values.fps !== undefined) request.fps = values.fps;
    if (values['no-loop']) request.loop = false;
    if (values.count !== undefined) request.count = values.count;
    if (values.steps !== undefined) request.steps = values.steps;
    if (values.guidance !== undefined) request.guidance = values.guidance;
    if (values.sampler !== undefined) request.sampler = values.sampler as SamplerName;
    if (values.negative !== undefined) request.negativePrompt = values.negative;
    if (values.model !== undefined) request.model = values.model;
    const count = parseRequest(request).count; // mistakes cost nothing: checked before any model loads
    const outputIsDirectory = await isDirectory(values.output, io.cwd);

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
      if (values.output === '-') {
        const first = result.images[0];
        if (first) io.stdout.write(first.bytes);
      }
      const paths =
        values.output === '-'
          ? []
          : outputPaths(result, values.output, outputIsDirectory, prompt, seed, io.cwd);
      if (paths.length) {
        await writeFilesAtomically(
          result.images.map((image, k) => ({ path: paths[k] as string, bytes: image.bytes })),
          io.signal,
        );
      }
      report(result, paths, io, { json: values.json === true, quiet });
      return ExitCode.ok;
    } finally {
      await engine.close();
    }
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
  const format = result.request.format as ClipFormat;
  const ext = format === 'gif' ? '.gif' : format === 'webp' ? '.webp' : '.png';
  const intoFolder = output === undefined || outputIsDirectory || output.endsWith('/');
  const base = intoFolder
    ? path.join(path.resolve(cwd, output ?? '.'), `${slugify(prompt)}-${seed}`)
    : path.resolve(cwd, output).replace(/\.(webp|gif|png)$/i, '');
  const clips = new Set(result.images.map((i) => i.seed)).size;
  const seeds = [...new Set(result.images.map((i) => i.seed))];
  return result.images.map((image) => {
    const clipPart = clips > 1 ? `-${seeds.indexOf(image.seed) + 1}` : '';
    const framePart =
      image.frameIndex === undefined ? '' : `-${String(image.frameIndex + 1).padStart(2, '0')}`;
    return `${base}${clipPart}${framePart}${ext}`;
  });
}

async function isDirectory(output: string | undefined, cwd: string): Promise<boolean> {
  if (output === undefined || output === '-') return false;
  try {
    return (await stat(path.resolve(cwd, output))).isDirectory();
  } catch {
    return false;
  }
}

function report(
  result: GenerateResult,
  paths: string[],
  io: { stdout: { write(s: string): void }; stderr: { write(s: string): void }; cwd: string },
  mode: { json: boolean; quiet: boolean },
): void {
  if (mode.json) {
    const files = result.images.map((image, k) => ({
      path: paths[k],
      seed: image.seed,
      width: image.width,
      height: image.height,
      format: image.format,
      mimeType: image.mimeType,
      frames: image.frames,
      ...(image.frameIndex === undefined ? {} : { frameIndex: image.frameIndex }),
      bytes: image.bytes.byteLength,
    }));
    const summary = {
      ok: true,
      model: result.model,
      files,
      request: result.request,
      timings: result.timings,
      warnings: result.warnings,
    };
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  if (mode.quiet) return;
  for (const warning of result.warnings) io.stderr.write(`warning: ${warning}\n`);
  for (const file of paths) io.stdout.write(`${path.relative(io.cwd, file) || file}\n`);
  const r = result.request;
  const frames = 'frames' in r ? `${r.frames} frames @ ${r.fps} fps` : '';
  io.stderr.write(
    `${result.model} · ${r.width}×${r.height} ${r.format} · ${frames} · seed ${r.seed} · ${r.sampler} ${r.steps} steps · guidance ${r.guidance} · ${formatDuration(result.timings.totalMs)}\n`,
  );
}
