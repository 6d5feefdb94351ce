import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatryoshkaError } from '@matryoshka/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOutputPath, illustrateDeck } from './index.js';
import { inspectPptx } from './test-support/independent-reader.test-support.js';
import { readParts, sameBytes } from './test-support/package-parts.test-support.js';
import { exampleDeck, tinyEngine } from './test-support/tiny-engine.test-support.js';

const engine = tinyEngine();
afterAll(() => engine.close());

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
const tempDir = () => mkdtempSync(join(tmpdir(), 'slides-test-'));

/** Parts a run may rewrite: the slides it illustrated, their relationships, and the content types. */
function editedParts(slideParts: string[]): Set<string> {
  const edited = new Set(['[Content_Types].xml']);
  for (const part of slideParts) {
    edited.add(part);
    edited.add(part.replace(/([^/]+)$/, '_rels/$1.rels'));
  }
  return edited;
}

/** The "nothing lost" check shared by every producer's deck. */
async function expectNothingLost(
  input: string,
  output: string,
  illustratedParts: string[],
  filledPlaceholders: string[] = [],
) {
  const before = await readParts(input);
  const after = await readParts(output);
  const edited = editedParts(illustratedParts);
  for (const [name, bytes] of before) {
    expect(after.has(name), `part ${name} is missing from the output`).toBe(true);
    if (!edited.has(name)) expect(sameBytes(bytes, after.get(name)), `part ${name} changed`).toBe(true);
  }
  const original = inspectPptx(input);
  const result = inspectPptx(output);
  expect(result.slides.map((s) => s.part)).toEqual(original.slides.map((s) => s.part));
  for (const [index, slide] of original.slides.entries()) {
    const now = result.slides[index];
    // Every original text run and shape id is still on the slide, in the same order.
    expect(now?.texts.filter((t) => slide.texts.includes(t))).toEqual(slide.texts);
    for (const id of slide.shapeIds) expect(now?.shapeIds).toContain(id);
    for (const picture of slide.pictures) expect(now?.pictures.map((p) => p.media)).toContain(picture.media);
    // Not one element of any kind disappears, unless an empty placeholder became the picture.
    if (filledPlaceholders.includes(slide.part)) continue;
    for (const [tag, count] of Object.entries(slide.elements)) {
      expect(now?.elements[tag] ?? 0, `${slide.part}: ${tag}`).toBeGreaterThanOrEqual(count);
    }
  }
  expect(result.untyped).toEqual([]);
  expect(result.brokenRels).toEqual([]);
  expect(result.xmlErrors).toEqual([]);
  return result;
}

describe('illustrateDeck on a pptxgenjs deck', () => {
  const dir = tempDir();
  const input = join(dir, 'garden.pptx');
  const output = join(dir, 'garden.illustrated.pptx');
  let inputHash: string;
  let report: Awaited<ReturnType<typeof illustrateDeck>>;
  const progress: number[] = [];
  const overall: Array<{ completed: number; total: number }> = [];

  beforeAll(async () => {
    await copyFile(exampleDeck('garden.pptx'), input);
    inputHash = await sha256(input);
    // makeRoom is allowed, but slide 2 needs none: its bullets leave the lower part of their box empty.
    report = await illustrateDeck(input, {
      engine,
      style: 'flat emoji style',
      makeRoom: true,
      onProgress: (p) => {
        progress.push(p.slide);
        overall.push(p.overall);
      },
    });
  });

  it('writes deck.illustrated.pptx beside the input and leaves the input untouched', async () => {
    expect(report.output).toBe(output);
    expect(defaultOutputPath(input)).toBe(output);
    expect(existsSync(output)).toBe(true);
    expect(await sha256(input)).toBe(inputHash);
    expect(readdirSync(dir).sort()).toEqual(['garden.illustrated.pptx', 'garden.pptx']);
  });

  it('reports every slide: what it drew, where, and why it skipped the others', () => {
    const byNumber = new Map(report.slides.map((s) => [s.slide, s]));
    expect(report.slides.map((s) => s.status)).toEqual([
      'illustrated',
      'illustrated',
      'illustrated',
      'illustrated',
      'skipped',
      'illustrated',
      'skipped',
    ]);
    expect(byNumber.get(1)).toMatchObject({
      promptSource: 'notes',
      prompt: 'a green sprout growing from the soil, flat emoji style',
    });
    expect(byNumber.get(2)).toMatchObject({
      prompt: 'a cherry blossom, flat emoji style',
      promptSource: 'topic',
      why: '"spring" is pictured as a cherry blossom',
    });
    // Below its three bullets, in the empty rest of their 4.8 in box: nothing moved or narrowed.
    expect(byNumber.get(2)?.placement?.kind).toBe('free-area');
    expect(byNumber.get(2)?.placement?.box?.y).toBeGreaterThan(3.1 * 914_400);
    expect(byNumber.get(4)?.placement?.kind).toBe('placeholder');
    expect(byNumber.get(5)).toMatchObject({ reason: 'has-picture' });
    expect(byNumber.get(7)).toMatchObject({ reason: 'directive' });
    expect(report.illustrated).toBe(5);
    expect(report.model).toBe('tiny-bundle');
    expect(new Set(progress)).toEqual(new Set([1, 2, 3, 4, 6]));
    // One number for the whole run: never going back, ending at every picture's steps.
    expect(overall.every((o, i) => i === 0 || o.completed >= (overall[i - 1]?.completed ?? 0))).toBe(true);
    expect(overall.at(-1)?.completed).toBe(overall.at(-1)?.total);
  });

  it('loses nothing, and a second parser reads every picture back where the report says', async () => {
    const illustrated = report.slides.filter((s) => s.status === 'illustrated');
    const parts = illustrated.map((s) => `ppt/slides/slide${s.slide}.xml`);
    const deck = await expectNothingLost(input, output, parts, ['ppt/slides/slide4.xml']);
    for (const slide of illustrated) {
      const pictures = deck.slides[slide.slide - 1]?.pictures ?? [];
      const picture = pictures.find((p) => p.media === slide.image);
      expect(picture, `slide ${slide.slide} has its picture`).toBeDefined();
      expect(picture?.pixels).toEqual([64, 64]);
      const box = slide.placement?.box;
      expect(picture?.box).toEqual(box && [box.x, box.y, box.width, box.height].map(Math.round));
    }
  });

  it('fills the empty picture placeholder in place, keeping its name and cropping to its frame', () => {
    const deck = inspectPptx(output);
    const picture = deck.slides[3]?.pictures.find((p) => p.name === 'Picture Placeholder 3');
    // The frame (4663440 × 4389120 EMU, inherited from the layout) is wider than the square picture:
    // cover-cropping keeps the full width and trims top and bottom equally.
    expect(picture?.box).toEqual([6949440, 1645920, 4663440, 4389120]);
    expect(picture?.crop?.t).toBe(picture?.crop?.b);
    expect(picture?.crop?.l).toBe(0);
    expect(picture?.crop?.r).toBe(0);
    const kept = 1 - ((picture?.crop?.t ?? 0) * 2) / 100_000;
    expect(kept).toBeCloseTo(4389120 / 4663440, 3);
  });

  it('adds the png content type once and an image relationship per picture', async () => {
    const parts = await readParts(output);
    const types = new TextDecoder().decode(parts.get('[Content_Types].xml'));
    expect(types.match(/Extension="png"/g)).toHaveLength(1);
    const rels = new TextDecoder().decode(parts.get('ppt/slides/_rels/slide2.xml.rels'));
    expect(rels).toContain('Target="../media/illustration-slide2.png"');
    expect(rels).toContain('relationships/slideLayout');
  });

  it('is deterministic: the same deck illustrated twice gives the same pictures', async () => {
    const again = join(dir, 'again.pptx');
    await illustrateDeck(input, {
      engine,
      style: 'flat emoji style',
      makeRoom: true,
      output: again,
      slides: '2',
    });
    const first = await readParts(output);
    const second = await readParts(again);
    expect(
      sameBytes(
        first.get('ppt/media/illustration-slide2.png'),
        second.get('ppt/media/illustration-slide2.png'),
      ),
    ).toBe(true);
    expect(second.has('ppt/media/illustration-slide3.png')).toBe(false);
  });

  it('leaves an already illustrated deck alone unless forced', async () => {
    const second = join(dir, 'second.pptx');
    const rerun = await illustrateDeck(output, { engine, output: second });
    expect(rerun.illustrated).toBe(0);
    expect(rerun.slides.filter((s) => s.reason === 'has-picture')).toHaveLength(6);
  });
});

describe('illustrateDeck options', () => {
  it('dry run reports prompts and placements and writes nothing', async () => {
    const dir = tempDir();
    const input = join(dir, 'garden.pptx');
    await copyFile(exampleDeck('garden.pptx'), input);
    const report = await illustrateDeck(input, { dryRun: true, slides: [2, 3], makeRoom: true });
    expect(report.output).toBeNull();
    expect(readdirSync(dir)).toEqual(['garden.pptx']);
    expect(report.slides.map((s) => s.status)).toEqual([
      'skipped',
      'planned',
      'planned',
      'skipped',
      'skipped',
      'skipped',
      'skipped',
    ]);
    expect(report.slides[2]?.prompt).toBe('a sun');
    expect(report.slides[2]?.placement?.box?.x).toBeGreaterThan(12192000 / 2);
  });

  it('by default moves and resizes nothing: a picture goes only where nothing is drawn', async () => {
    const dir = tempDir();
    const input = join(dir, 'garden.pptx');
    await copyFile(exampleDeck('garden.pptx'), input);
    const report = await illustrateDeck(input, { dryRun: true, slides: [2, 3] });
    // Slide 2's bullets fill the top of their tall box; the picture takes the empty rest.
    expect(report.slides[1]).toMatchObject({ status: 'planned', placement: { kind: 'free-area' } });
    expect(report.slides[1]?.placement?.box?.y).toBeGreaterThan(3.1 * 914_400);
    expect(report.slides[2]?.placement?.kind).toBe('free-area');
  });

  it('writes into an existing folder under the default name', async () => {
    const dir = tempDir();
    const input = join(dir, 'garden.pptx');
    await copyFile(exampleDeck('garden.pptx'), input);
    const out = tempDir();
    const report = await illustrateDeck(input, { engine, output: out, slides: '3' });
    expect(report.output).toBe(join(out, 'garden.illustrated.pptx'));
    expect(readdirSync(out)).toEqual(['garden.illustrated.pptx']);
  });

  it('refuses to overwrite its input, and a cancelled run writes nothing', async () => {
    const dir = tempDir();
    const input = join(dir, 'garden.pptx');
    await copyFile(exampleDeck('garden.pptx'), input);
    await expect(illustrateDeck(input, { engine, output: input })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    const controller = new AbortController();
    const run = illustrateDeck(input, {
      engine,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const error = await run.catch((e: unknown) => e);
    expect(MatryoshkaError.isInstance(error) && error.code).toBe('ABORTED');
    expect(readdirSync(dir)).toEqual(['garden.pptx']);
  });

  it('explains a missing deck and a wrong file type', async () => {
    await expect(illustrateDeck('/nonexistent/talk.pptx', { engine })).rejects.toThrow(
      /cannot read .*no such file/,
    );
    await expect(illustrateDeck('talk.key', { engine })).rejects.toThrow(/unsupported deck type/);
    await expect(illustrateDeck('talk.pptx', { engine, slides: '2-x' })).rejects.toThrow(
      /not a slide number or range/,
    );
  });
});

describe('illustrateDeck on decks from other producers', () => {
  it('a PowerPoint-authored deck whose slides all carry pictures gets no copy, and the report says so', async () => {
    const dir = tempDir();
    const output = join(dir, 'out.pptx');
    const input = exampleDeck('powerpoint-sample.pptx');
    const report = await illustrateDeck(input, { engine, output });
    expect(report.slides.map((s) => s.reason)).toEqual(['has-picture', 'has-picture', 'has-picture']);
    expect(report.output).toBeNull();
    expect(report.warnings).toContain('no slide needed a picture, so nothing was written');
    expect(existsSync(output)).toBe(false);
  });

  it('forced onto that Japanese PowerPoint deck, it finds no idea the model can draw, so it draws and writes nothing', async () => {
    const dir = tempDir();
    const output = join(dir, 'forced.pptx');
    const input = exampleDeck('powerpoint-sample.pptx');
    const report = await illustrateDeck(input, { engine, output, force: true });
    expect(report.slides.map((s) => s.reason)).toEqual(['no-idea', 'no-idea', 'no-idea']);
    expect(report.slides[0]?.detail).toMatch(/illustrate: <prompt>/);
    expect(existsSync(output)).toBe(false);
  });

  it('a deck written by LibreOffice Impress is illustrated and loses nothing', async () => {
    const dir = tempDir();
    const output = join(dir, 'lo.pptx');
    const input = exampleDeck('garden-libreoffice.pptx');
    const report = await illustrateDeck(input, { engine, output, makeRoom: true });
    const illustrated = report.slides.filter((s) => s.status === 'illustrated');
    expect(illustrated.map((s) => s.slide)).toEqual([1, 2, 3, 6]);
    const deck = await expectNothingLost(
      input,
      output,
      illustrated.map((s) => `ppt/slides/slide${s.slide}.xml`),
    );
    for (const slide of illustrated) {
      expect(
        deck.slides[slide.slide - 1]?.pictures.some((p) => p.media === slide.image && p.pixels?.[0] === 64),
      ).toBe(true);
    }
  });
});
