import type { GenerateRequest, GenerateResult } from '@matryoshka/core';
import { type EngineFlags, engineFromFlags } from './engine-flags.js';
import type { CliIo } from './io.js';
import { createProgress, type ProgressMode } from './progress.js';

export interface GenerationFlags extends EngineFlags {
  progress?: string;
  quiet?: boolean;
}

/**
 * Runs one request on an engine made from the flags, drawing the progress they ask for (none with
 * --quiet), and closes the engine whatever happens. `count` is the validated number of samples.
 */
export async function runGeneration(
  request: GenerateRequest,
  count: number,
  flags: GenerationFlags,
  io: CliIo,
): Promise<GenerateResult> {
  const engine = await engineFromFlags(flags, io);
  const mode = flags.quiet ? 'none' : ((flags.progress ?? 'auto') as ProgressMode);
  const progress = createProgress(mode, io.stderr, count);
  try {
    return await engine.generate(request, { signal: io.signal, onProgress: (p) => progress.update(p) });
  } finally {
    progress.finish();
    await engine.close();
  }
}
