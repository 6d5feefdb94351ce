import path from 'node:path';
import type { GenerateResult } from '@matryoshka/core';
import { BACKGROUNDS, MAX_SEED, promptStem, SAMPLERS, writeFilesAtomically } from '@matryoshka/core/lite';
import { defineCommand, helpOption } from '../command.js';
import { engineOptions, imageModelOption } from '../engine-flags.js';
import { ExitCode } from '../exit-codes.js';
import { formatDuration } from '../format.js';
import { progressOptions } from '../progress.js';
import { checkedCount, iconsRequestFromFlags, promptAndSeed } from '../request-from-flags.js';
import { runGeneration } from '../run-generation.js';
import { usageError } from '../usage-error.js';
import { reportResult } from '../write-result.js';

export default defineCommand({
  name: 'icons',
  summary: 'Make a whole icon set from one generation',
  description: `Draws one picture and saves every nested level's own drawing at its own size: the model denoises a 16, a 32 and a 64 px copy together, and each is written as it was drawn (icon-16.png, icon-32.png, icon-64.png) — not downscaled from the largest. Sizes no level draws (128, 192, 256, 512 px, the 48 px entry of favicon.ico, the 180 px apple-touch-icon.png) are resized from the nearest level, and the output says which files those are. Also written: favicon.ico (16, 32, 48 px), site.webmanifest (its "icons" list) and sheet.png, which shows every size side by side.

Pictures are transparent by default (the touch icon always has the white background: iOS shows transparency as black). Existing files are never replaced unless --force is given; all files are written under temporary names and renamed together, so an interrupted run leaves nothing half-written.`,
  positionals: [{ name: 'prompt', description: 'What to draw, in quotes, e.g. "a rocket".', required: true }],
  options: {
    output: {
      type: 'string',
      short: 'o',
      valueName: 'folder',
      description: 'The folder to write the set into (created if needed).',
      defaultText: '<prompt>-icons in the current folder',
    },
    seed: {
      type: 'number',
      short: 's',
      valueName: 'n',
      description: `Random seed (0–${MAX_SEED}); the same seed and settings give the same set.`,
      defaultText: 'a random seed, printed after the run',
    },
    steps: { type: 'number', valueName: 'n', description: 'Denoising steps.', defaultText: "the model's" },
    guidance: {
      type: 'number',
      short: 'g',
      valueName: 'w',
      description: 'How strongly to follow the prompt (classifier-free guidance).',
      defaultText: "the model's",
    },
    sampler: {
      type: 'string',
      valueName: 'name',
      choices: SAMPLERS,
      description: 'The solver.',
      defaultText: "the model's",
    },
    background: {
      type: 'string',
      valueName: 'transparent|white',
      choices: BACKGROUNDS,
      description: 'transparent: cut out of the white background; white: keep the white square.',
      defaultText: 'transparent',
    },
    negative: { type: 'string', valueName: 'text', description: 'What to steer away from.' },
    force: { type: 'boolean', description: 'Replace files of the set that already exist in the folder.' },
    model: imageModelOption,
    ...engineOptions,
    json: {
      type: 'boolean',
      description: 'Print one JSON object (paths, sizes, sources, seed, timings) instead of text.',
    },
    ...progressOptions,
    ...helpOption,
  },
  examples: [
    { command: 'matryoshka icons "a rocket" -o icons/', explanation: 'The set in icons/, transparent.' },
    {
      command: 'matryoshka icons "a red heart" -o site/ --seed 7 --background white',
      explanation: 'Reproducible, on white.',
    },
  ],

  async run({ values, positionals, io }) {
    if (values.output === '-') throw usageError('an icon set is many files: -o takes a folder, not -');
    const { prompt, seed } = promptAndSeed(positionals, values, {
      example: 'matryoshka icons "a rocket" -o icons/',
      noun: 'icon set',
    });
    const request = iconsRequestFromFlags(prompt, values, seed);
    const count = await checkedCount(request);
    const folder = path.resolve(
      io.cwd,
      (values.output as string | undefined) ?? `${promptStem(prompt)}-icons`,
    );

    const result = await runGeneration(request, count, values, io);
    const paths = result.images.map((file) => path.join(folder, file.name as string));
    await writeFilesAtomically(
      result.images.map((file, k) => ({ path: paths[k] as string, bytes: file.bytes })),
      { overwrite: values.force === true, signal: io.signal },
    );
    reportResult(
      result,
      paths,
      io,
      { json: values.json === true, quiet: values.quiet === true },
      { filesKey: 'files', summary: summaryLines(result) },
    );
    return ExitCode.ok;
  },
});

/** Which files the levels drew and which were resized, then the usual one-line summary. */
function summaryLines(result: GenerateResult): string {
  const r = result.request;
  const drawn = result.images.filter((f) => f.source === 'level').map((f) => f.name);
  const resized = result.images
    .filter((f) => f.source === 'resized')
    .map((f) => `${f.name} (from ${f.drawnAt} px)`);
  return [
    `drawn by the model's levels at their own size: ${drawn.join(', ')}`,
    `resized: ${resized.join(', ')}`,
    'in the page <head>: <link rel="icon" href="/favicon.ico" sizes="any"> <link rel="apple-touch-icon" href="/apple-touch-icon.png"> <link rel="manifest" href="/site.webmanifest">',
    `${result.model} · seed ${r.seed} · ${r.background} · ${r.sampler} ${r.steps} steps · guidance ${r.guidance} · ${formatDuration(result.timings.totalMs)}`,
  ].join('\n');
}
