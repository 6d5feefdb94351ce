import path from 'node:path';
import type { GenerateResult } from '@matryoshka/core';
import { describeInterpretation, writeFilesAtomically } from '@matryoshka/core/lite';
import type { CliIo } from './io.js';

/** Where a result goes: one path per returned file, or stdout for `-o -` (a single file). */
export interface Destination {
  toStdout: boolean;
  /** Empty when writing to stdout. */
  paths: readonly string[];
}

/** Writes every file of the result under a temporary name and renames them once all are complete. */
export async function saveResult(result: GenerateResult, to: Destination, io: CliIo): Promise<void> {
  if (to.toStdout) {
    const first = result.images[0];
    if (first) io.stdout.write(first.bytes);
    return;
  }
  await writeFilesAtomically(
    result.images.map((image, k) => ({ path: to.paths[k] as string, bytes: image.bytes })),
    // The user named the files, and a rerun with the same seed is meant to replace them.
    { overwrite: true, signal: io.signal },
  );
}

export interface ReportText {
  /** The JSON key of the file list ("images" for generate, "files" for clip). */
  filesKey: string;
  /** The one-line summary on stderr after the paths. */
  summary: string;
}

/**
 * --json: one object on stdout. Otherwise warnings on stderr, the written paths on stdout one per
 * line (so `$(matryoshka …)` captures them), then the summary on stderr; --quiet prints nothing.
 */
export function reportResult(
  result: GenerateResult,
  paths: readonly string[],
  io: CliIo,
  mode: { json: boolean; quiet: boolean },
  text: ReportText,
): void {
  if (mode.json) {
    const files = result.images.map((image, k) => ({
      path: paths[k],
      seed: image.seed,
      width: image.width,
      height: image.height,
      format: image.format,
      mimeType: image.mimeType,
      ...(image.frames === undefined ? {} : { frames: image.frames }),
      ...(image.frameIndex === undefined ? {} : { frameIndex: image.frameIndex }),
      ...(image.source === undefined ? {} : { source: image.source, drawnAt: image.drawnAt }),
      bytes: image.bytes.byteLength,
    }));
    const summary = {
      ok: true,
      model: result.model,
      [text.filesKey]: files,
      request: result.request,
      interpretation: result.interpretation,
      timings: result.timings,
      warnings: result.warnings,
    };
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  if (mode.quiet) return;
  const reading = describeInterpretation(result.interpretation);
  if (reading) io.stderr.write(`${reading}\n`);
  for (const warning of result.warnings) io.stderr.write(`warning: ${warning.message}\n`);
  for (const file of paths) io.stdout.write(`${path.relative(io.cwd, file) || file}\n`);
  io.stderr.write(`${text.summary}\n`);
}
