import path from 'node:path';
import type { ModelScan } from '@matryoshka/core';
import { MatryoshkaError } from '@matryoshka/core/lite';
import { defineCommand, helpOption } from '../command.js';
import { engineFromFlags, engineOptions } from '../engine-flags.js';
import { ExitCode } from '../exit-codes.js';
import { formatBytes, formatTable } from '../format.js';
import { usageError } from '../usage-error.js';

export default defineCommand({
  name: 'models',
  summary: 'List the installed model bundles',
  description: `Lists the model bundles found in the models folder: each one's id (what --model takes), task (image or clip), native resolution, the resolutions it denoises together, size on disk, licence, and the sampling defaults from its manifest.

Bundles marked "test fixture" have random weights and exist only for tests: they make noise, not pictures.`,
  positionals: [],
  options: {
    'models-dir': engineOptions['models-dir'],
    json: { type: 'boolean', description: 'Print a JSON array instead of a table.' },
    ...helpOption,
  },
  examples: [
    { command: 'matryoshka models', explanation: 'The installed models as a table.' },
    {
      command: 'matryoshka models --models-dir ./my-models --json',
      explanation: 'Bundles in another folder, as JSON for scripts.',
    },
  ],

  async run({ values, positionals, io }) {
    if (positionals.length > 0) {
      throw usageError(
        `models takes no arguments (got "${positionals.join(' ')}")`,
        'run "matryoshka models --help"',
      );
    }
    const modelsDir = values['models-dir'];
    const engine = await engineFromFlags(values, io);
    try {
      const { models, skipped } = await scanOrNone(() => engine.scanModels());
      // On stderr in both modes: --json keeps its array of usable models on stdout.
      for (const bundle of skipped) {
        const where = path.relative(io.cwd, bundle.dir) || bundle.dir;
        io.stderr.write(`skipped ${where}: ${bundle.reason.replaceAll('\n', '\n  ')}\n`);
      }
      if (values.json) {
        io.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
        return ExitCode.ok;
      }
      if (models.length === 0) {
        io.stderr.write(
          `No model bundles found${modelsDir ? ` in ${modelsDir}` : ''}. Install @matryoshka/model-emoji-256, or point --models-dir or $MATRYOSHKA_MODELS at a folder with one sub-folder per bundle (docs/model-bundle.md).\n`,
        );
        return ExitCode.ok;
      }
      const rows = models.map((m) => [
        m.id,
        m.task,
        `${m.nativeResolution}×${m.nativeResolution}`,
        m.levels.join('/'),
        formatBytes(m.bytesOnDisk),
        m.license,
        `${m.defaults.sampler}, ${m.defaults.steps} steps, guidance ${m.defaults.guidance}`,
        m.fixture ? 'test fixture (random weights)' : m.name,
      ]);
      io.stdout.write(
        formatTable(['ID', 'TASK', 'NATIVE', 'LEVELS', 'SIZE', 'LICENSE', 'DEFAULTS', 'NOTE'], rows),
      );
      return ExitCode.ok;
    } finally {
      await engine.close();
    }
  },
});

/** No models folder at all is the same answer as an empty one: there is nothing to list. */
async function scanOrNone(scan: () => Promise<ModelScan>): Promise<ModelScan> {
  try {
    return await scan();
  } catch (error) {
    if (MatryoshkaError.isInstance(error) && error.code === 'MODEL_NOT_FOUND')
      return { models: [], skipped: [] };
    throw error;
  }
}
