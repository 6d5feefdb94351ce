import { type GenerateRequest, type GenerateResult, MatryoshkaError, type Progress } from '@matryoshka/core';
import { promptStem } from '@matryoshka/core/lite';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ClientSession } from '../client-session.js';
import type { SavedFile } from '../output-store.js';
import { progressReporter, type ToolExtra } from '../progress.js';
import type { Runtime } from '../runtime.js';
import { safeStem, withoutImageExtension } from '../safe-name.js';
import { buildGenerationContent } from './generation-content.js';

export interface SavedImage extends SavedFile {
  width: number;
  height: number;
  seed: number;
  frames?: number;
  frameIndex?: number;
  source?: 'level' | 'resized';
  drawnAt?: number;
}

/**
 * The path every generation tool shares: wait in the queue, run the engine with the request's
 * cancellation and progress, save every picture, and answer with a client-sized result.
 */
export async function runGeneration(
  runtime: Runtime,
  session: ClientSession,
  request: GenerateRequest,
  fileName: string | undefined,
  extra: ToolExtra,
): Promise<CallToolResult> {
  const { engine, log } = runtime;
  const store = await session.folder.store();
  const count = request.count ?? 1;
  const reporter = progressReporter(extra, count, log);
  const started = performance.now();
  let stepsDone = 0;
  const onProgress = (progress: Progress) => {
    stepsDone++;
    reporter.step(progress);
  };
  const signal = AbortSignal.any([extra.signal, runtime.shutdown.signal]);
  let result: GenerateResult;
  try {
    const { maxWork, maxQueue } = runtime.config;
    result = await session.run(() =>
      engine.generate(request, {
        signal,
        onProgress,
        maxWork,
        maxQueued: maxQueue,
        onQueued: reporter.queued,
      }),
    );
  } catch (error) {
    if (MatryoshkaError.isInstance(error) && error.code === 'ABORTED' && extra.signal.aborted) {
      log.info(`cancelled by the client after ${stepsDone} step(s): "${truncate(request.prompt)}"`);
    }
    if (runtime.shutdown.signal.aborted) {
      throw new MatryoshkaError(
        'ABORTED',
        `the server is shutting down; the generation stopped after ${stepsDone} step(s)`,
      );
    }
    throw error;
  }
  const saved = await saveAll(result, fileName, (bytes, stem, ext) => store.save(bytes, stem, ext));
  session.folder.announceNewFiles();
  log.info(
    `${request.kind ?? 'image'} "${truncate(request.prompt)}" → ${saved.map((s) => s.name).join(', ')} (${Math.round(performance.now() - started)} ms)`,
  );
  return buildGenerationContent(result, saved, store.dir, runtime.config);
}

async function saveAll(
  result: GenerateResult,
  fileName: string | undefined,
  save: (bytes: Uint8Array, stem: string, ext: string) => Promise<SavedFile>,
): Promise<SavedImage[]> {
  const { request } = result;
  const saved: SavedImage[] = [];
  const renamed = new Map<string, string>();
  // One by one, in order, so numbered names follow the images' order.
  for (const image of result.images) {
    const { index } = image;
    const base = fileName
      ? safeStem(withoutImageExtension(fileName))
      : `${promptStem(request.prompt)}-${image.seed}`;
    const numbered = fileName && request.count > 1 ? `${base}-${index + 1}` : base;
    // Icon sets: core names each file of the set ("icon-16.png", "favicon.ico"); the set shares the stem.
    const named = image.name === undefined ? undefined : splitName(image.name);
    const stem = named
      ? `${numbered}-${named.stem}`
      : image.frameIndex === undefined
        ? numbered
        : `${numbered}-f${String(image.frameIndex + 1).padStart(2, '0')}`;
    const bytes = image.name === 'site.webmanifest' ? relinked(image.bytes, renamed) : image.bytes;
    const file = await save(bytes, stem, image.extension);
    if (image.name !== undefined) renamed.set(image.name, file.name);
    saved.push({
      ...file,
      width: image.width,
      height: image.height,
      seed: image.seed,
      ...(image.frames === undefined ? {} : { frames: image.frames }),
      ...(image.frameIndex === undefined ? {} : { frameIndex: image.frameIndex }),
      ...(image.source === undefined ? {} : { source: image.source, drawnAt: image.drawnAt }),
    });
  }
  return saved;
}

/** The set's web manifest pointing at the names its icons were saved under in this flat folder. */
function relinked(bytes: Uint8Array, renamed: ReadonlyMap<string, string>): Uint8Array {
  const manifest = JSON.parse(new TextDecoder().decode(bytes)) as { icons: Array<{ src: string }> };
  for (const icon of manifest.icons) icon.src = renamed.get(icon.src) ?? icon.src;
  return new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
}

function splitName(name: string): { stem: string } {
  return { stem: name.slice(0, name.lastIndexOf('.')) };
}

const truncate = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}...` : text);
