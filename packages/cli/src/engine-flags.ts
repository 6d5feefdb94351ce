import path from 'node:path';
import type { Engine } from '@matryoshka/core';
import { DEFAULT_MODEL_ID } from '@matryoshka/core/lite';
import type { OptionSpec, OptionsSpec } from './args.js';
import type { CliIo } from './io.js';

/** --models-dir and --threads: which bundles an engine reads and how many cores it may use. */
export const engineOptions = {
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
} as const satisfies OptionsSpec;

/** --model for the commands that draw pictures (clip names its own default). */
export const imageModelOption = {
  type: 'string',
  short: 'm',
  valueName: 'id',
  description: 'Which installed model to use (see "matryoshka models").',
  defaultText: DEFAULT_MODEL_ID,
} as const satisfies OptionSpec;

export interface EngineFlags {
  'models-dir'?: string;
  threads?: number;
}

/**
 * An engine for what the flags say; an unset flag leaves the engine's own default. The engine (with
 * zod, ONNX Runtime and sharp behind it) is imported here, on first use, not when a command loads.
 */
export async function engineFromFlags(flags: EngineFlags, io: Pick<CliIo, 'cwd'>): Promise<Engine> {
  const { createEngine } = await import('@matryoshka/core');
  const modelsDir = flags['models-dir'];
  return createEngine({
    // Relative to where the user typed the command, not to wherever the engine resolves paths.
    ...(modelsDir === undefined ? {} : { modelsDir: path.resolve(io.cwd, modelsDir) }),
    ...(flags.threads === undefined ? {} : { threads: flags.threads }),
  });
}
