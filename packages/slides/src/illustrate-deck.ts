import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { type GeneratedImage, MatryoshkaError } from '@matryoshka/core';
import {
  checkTarget,
  type FileIdentity,
  type FileToWrite,
  writeFilesAtomically,
} from '@matryoshka/core/lite';
import type { KnowsWord } from './idea/pick-idea.js';
import { illustrateMarkdown } from './markdown/illustrate-markdown.js';
import { type DeckPlan, illustratePptx, type Painter } from './pptx/illustrate-pptx.js';
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
 * was. The input file is never written (compared by identity, so no link or spelling of its path
 * can be the output); every target is checked before the first picture is drawn, and the result is
 * written atomically once every picture is ready, so an abort, an error or a run with nothing to
 * illustrate leaves no file.
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
  if (!dryRun) checkOutputType(extension, output);
  if (!dryRun && options.engine === undefined) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      'illustrateDeck needs an engine to draw pictures (or dryRun: true)',
    );
  }
  const selected = selection(options.slides);
  if (options.signal?.aborted) throw new MatryoshkaError('ABORTED', 'illustration was cancelled');

  const { bytes, identity } = await readInput(input);
  const protect = [identity];
  const writeOptions = { overwrite: options.overwrite === true, protect };

  // Everything that would stop the run is found here, before the first picture costs any time.
  const prepare = async (plan: DeckPlan) => {
    const outside = selected === undefined ? [] : [...selected].filter((n) => n > plan.slideCount);
    if (outside.length > 0) {
      throw new MatryoshkaError(
        'INVALID_REQUEST',
        `slides: ${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ', …' : ''} ${outside.length === 1 ? 'is' : 'are'} not in the deck, which has ${plan.slideCount} slide${plan.slideCount === 1 ? '' : 's'}`,
      );
    }
    if (dryRun || plan.planned === 0) return;
    for (const path of [output, ...plan.files]) await checkWritable(path, writeOptions, options);
  };

  const warnings = new Set<string>();
  let model: string | undefined;
  const paint: Painter = async (report, index, total) => {
    if (options.signal?.aborted) throw new MatryoshkaError('ABORTED', 'illustration was cancelled');
    const engine = options.engine as NonNullable<IllustrateOptions['engine']>;
    const result = await engine.generate(
      // Transparent unless asked otherwise: a white square clashes with every coloured theme.
      {
        background: 'transparent',
        ...options.request,
        prompt: report.prompt ?? '',
        seed: report.seed,
        count: 1,
        format: 'png',
      },
      {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onProgress: (p) =>
          options.onProgress?.({
            slide: report.slide,
            done: index,
            total,
            step: p.step,
            steps: p.total,
            overall: { completed: index * p.total + p.step, total: total * p.total },
          }),
      },
    );
    model = result.model;
    for (const warning of result.warnings) warnings.add(warning.message);
    const image = result.images[0] as GeneratedImage;
    options.onProgress?.({
      slide: report.slide,
      done: index + 1,
      total,
      step: result.request.steps,
      steps: result.request.steps,
      overall: { completed: (index + 1) * result.request.steps, total: total * result.request.steps },
    });
    return image;
  };
  const knows = knowsWord(options);
  const common = {
    label: basename(input),
    ...(knows === undefined ? {} : { knows }),
    ...(options.style === undefined ? {} : { style: options.style }),
    ...(selected === undefined ? {} : { selected }),
    force: options.force ?? false,
    dryRun,
    prepare,
    paint,
  };

  let format: DeckFormat;
  let slides: SlideReport[];
  // Pictures first: a deck that points at missing files would be worse than no deck.
  const files: FileToWrite[] = [];
  if (extension === '.pptx') {
    format = 'pptx';
    const result = await illustratePptx(bytes, {
      ...common,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      makeRoom: options.makeRoom === true,
    });
    slides = result.slides;
    if (result.bytes !== undefined) files.push({ path: output, bytes: result.bytes });
  } else {
    const result = await illustrateMarkdown(new TextDecoder().decode(bytes), {
      ...common,
      deckPath: input,
      outputPath: output,
      ...(options.markdownFlavor === undefined ? {} : { flavor: options.markdownFlavor }),
    });
    format = result.flavor;
    slides = result.slides;
    if (result.text !== undefined) files.push(...result.files, { path: output, bytes: result.text });
  }
  for (const file of files) await checkWritable(file.path, writeOptions, options);
  await writeFilesAtomically(files, {
    ...writeOptions,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const illustrated = slides.filter((s) => s.status === 'illustrated').length;
  return {
    input,
    output: files.length === 0 ? null : output,
    format,
    slides,
    illustrated,
    skipped: slides.filter((s) => s.status === 'skipped').length,
    images: files.slice(0, -1).map((f) => f.path),
    ...(model === undefined ? {} : { model }),
    warnings: [
      ...warnings,
      ...(!dryRun && files.length === 0 ? ['no slide needed a picture, so nothing was written'] : []),
    ],
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Reads the deck through one handle, so the identity protected is the file actually read. */
async function readInput(input: string): Promise<{ bytes: Uint8Array; identity: FileIdentity }> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    // Non-blocking, so a FIFO given as the deck is refused instead of hanging the run.
    handle = await open(input, constants.O_RDONLY | constants.O_NONBLOCK);
    const info = await handle.stat();
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
    return { bytes: new Uint8Array(await handle.readFile()), identity: { dev: info.dev, ino: info.ino } };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'ENOTFILE'
            ? 'it is not a regular file'
            : (error as Error).message;
    throw new MatryoshkaError('IO_ERROR', `cannot read ${input}: ${why}`, { cause: error });
  } finally {
    await handle?.close();
  }
}

async function checkWritable(
  path: string,
  writeOptions: { overwrite: boolean; protect: FileIdentity[] },
  options: IllustrateOptions,
): Promise<void> {
  await options.checkWrite?.(path);
  try {
    await checkTarget(path, writeOptions);
  } catch (error) {
    if (MatryoshkaError.isInstance(error) && /already exists/.test(error.message)) {
      throw new MatryoshkaError(
        'INVALID_REQUEST',
        `${path} already exists; nothing was drawn or written (choose another output, or allow overwriting)`,
        { details: { path }, cause: error },
      );
    }
    throw error;
  }
}

/** The output must be a deck of the input's own type, so a deck never lands in a script or a page. */
function checkOutputType(inputExtension: string, output: string): void {
  const extension = extname(output).toLowerCase();
  const matches = inputExtension === '.pptx' ? extension === '.pptx' : MARKDOWN.has(extension);
  if (!matches) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      `output ${output}: a ${inputExtension === '.pptx' ? '.pptx' : 'Markdown'} deck must be written to a ${inputExtension === '.pptx' ? '.pptx' : '.md'} file (got "${extension || 'no extension'}")`,
    );
  }
}

/** The output path; an existing folder gets the default file name inside it. */
async function resolveOutput(input: string, output: string | undefined): Promise<string> {
  if (output === undefined) return resolve(defaultOutputPath(input));
  const isFolder = await stat(output).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return resolve(isFolder ? join(output, basename(defaultOutputPath(input))) : output);
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

/**
 * Whether the engine's model draws a word by name: it knows the word, read as itself or its
 * singular (a synonym or a spelling correction is a guess, not the thing the slide names).
 */
function knowsWord(options: IllustrateOptions): KnowsWord | undefined {
  const engine = options.engine;
  if (engine?.readPrompt === undefined) return undefined;
  const read = engine.readPrompt.bind(engine);
  const model = options.request?.model;
  const cache = new Map<string, Promise<boolean>>();
  return (word) => {
    let known = cache.get(word);
    if (!known) {
      known = read(word, model === undefined ? {} : { model }).then(
        (r) =>
          r.unknownWords.length === 0 &&
          r.interpretation.changes.every((c) => c.reason === 'plural' || c.reason === 'inflection'),
        () => false,
      );
      cache.set(word, known);
    }
    return known;
  };
}
