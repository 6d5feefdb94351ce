import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { type GeneratedImage, MatryoshkaError } from '@matryoshka/core';
import { writeFileAtomic } from './atomic-write.js';
import { illustrateMarkdown } from './markdown/illustrate-markdown.js';
import { illustratePptx, type Painter } from './pptx/illustrate-pptx.js';
import { DEFAULT_LIMITS } from './pptx/limits.js';
import { parseSlideSelection } from './slide-selection.js';
import type { DeckFormat, DeckReport, IllustrateOptions, SlideReport } from './types.js';

const MARKDOWN = new Set(['.md', '.markdown']);

/** The path an illustrated copy goes to by default: `talk.pptx` → `talk.illustrated.pptx`. */
export function defaultOutputPath(input: string): string {
  const extension = extname(input);
  return join(dirname(input), `${basename(input, extension)}.illustrated${extension}`);
}

/**
 * Adds one generated picture to every slide of a deck that has none, leaving everything else as it
 * was. The input file is never written; the result goes to `options.output` (or the default path),
 * atomically, and only once every picture has been drawn, so an abort or error leaves no file.
 */
export async function illustrateDeck(input: string, options: IllustrateOptions = {}): Promise<DeckReport> {
  const started = performance.now();
  const extension = extname(input).toLowerCase();
  if (extension !== '.pptx' && !MARKDOWN.has(extension)) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      `${input}: unsupported deck type "${extension || '(none)'}" (use a .pptx, or a Marp/Slidev .md)`,
    );
  }
  const dryRun = options.dryRun ?? false;
  const output = await resolveOutput(input, options.output);
  if (!dryRun && resolve(output) === resolve(input)) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      `the output must differ from the input (${input}); the input is never modified`,
    );
  }
  if (!dryRun && options.engine === undefined) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      'illustrateDeck needs an engine to draw pictures (or dryRun: true)',
    );
  }
  const selected = selection(options.slides);
  if (options.signal?.aborted) throw new MatryoshkaError('ABORTED', 'illustration was cancelled');

  let bytes: Uint8Array;
  try {
    bytes = await readFile(input);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new MatryoshkaError('IO_ERROR', `cannot read ${input}: ${why}`, { cause: error });
  }

  const warnings = new Set<string>();
  let model: string | undefined;
  const paint: Painter = async (report, index, total) => {
    if (options.signal?.aborted) throw new MatryoshkaError('ABORTED', 'illustration was cancelled');
    const engine = options.engine as NonNullable<IllustrateOptions['engine']>;
    const result = await engine.generate(
      { ...options.request, prompt: report.prompt ?? '', seed: report.seed, count: 1, format: 'png' },
      {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onProgress: (p) =>
          options.onProgress?.({ slide: report.slide, done: index, total, step: p.step, steps: p.total }),
      },
    );
    model = result.model;
    for (const warning of result.warnings) warnings.add(warning);
    const image = result.images[0] as GeneratedImage;
    options.onProgress?.({
      slide: report.slide,
      done: index + 1,
      total,
      step: result.request.steps,
      steps: result.request.steps,
    });
    return image;
  };
  const common = {
    label: basename(input),
    ...(options.style === undefined ? {} : { style: options.style }),
    ...(selected === undefined ? {} : { selected }),
    force: options.force ?? false,
    dryRun,
    paint,
  };

  let format: DeckFormat;
  let slides: SlideReport[];
  const images: string[] = [];
  if (extension === '.pptx') {
    format = 'pptx';
    const result = await illustratePptx(bytes, {
      ...common,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
    });
    slides = result.slides;
    if (result.bytes !== undefined) await writeFileAtomic(output, result.bytes);
  } else {
    const result = await illustrateMarkdown(new TextDecoder().decode(bytes), {
      ...common,
      deckPath: input,
      outputPath: output,
      ...(options.markdownFlavor === undefined ? {} : { flavor: options.markdownFlavor }),
    });
    format = result.flavor;
    slides = result.slides;
    if (result.text !== undefined) {
      // Pictures first: a deck that points at missing files would be worse than no deck.
      for (const file of result.files) {
        await writeFileAtomic(file.path, file.bytes);
        images.push(file.path);
      }
      await writeFileAtomic(output, result.text);
    }
  }
  return {
    input,
    output: dryRun ? null : output,
    format,
    slides,
    illustrated: slides.filter((s) => s.status === 'illustrated').length,
    skipped: slides.filter((s) => s.status === 'skipped').length,
    images,
    ...(model === undefined ? {} : { model }),
    warnings: [...warnings],
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** The output path; an existing folder gets the default file name inside it. */
async function resolveOutput(input: string, output: string | undefined): Promise<string> {
  if (output === undefined) return defaultOutputPath(input);
  const isFolder = await stat(output).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return isFolder ? join(output, basename(defaultOutputPath(input))) : output;
}

function selection(slides: IllustrateOptions['slides']): Set<number> | undefined {
  if (slides === undefined) return undefined;
  if (typeof slides === 'string') return parseSlideSelection(slides);
  const set = new Set(slides);
  for (const n of set) {
    if (!Number.isInteger(n) || n < 1)
      throw new MatryoshkaError('INVALID_REQUEST', `slides: ${n} is not a slide number (they count from 1)`);
  }
  return set;
}
