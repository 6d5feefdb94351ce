import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { illustrateDeck } from './index.js';
import { hasLibreOffice, renderSlides } from './test-support/libreoffice.test-support.js';
import { readParts, sameBytes } from './test-support/package-parts.test-support.js';
import { tinyEngine } from './test-support/tiny-engine.test-support.js';
import type { DeckReport } from './types.js';

// Decks made by other people with PowerPoint (themes, masters with artwork, tables, charts,
// Japanese text, headers and footers): test/fixtures/decks/NOTICE.md.
const DECKS_DIR = fileURLToPath(new URL('../../../test/fixtures/decks/', import.meta.url));
const DECKS = readdirSync(DECKS_DIR).filter((f) => f.endsWith('.pptx'));

const engine = tinyEngine();
afterAll(() => engine.close());

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/** Each shape's frame in a slide's XML, by its cNvPr id: `id → "x,y,cx,cy"` (groups and pictures too). */
function framesById(xml: string): Map<string, string> {
  const frames = new Map<string, string>();
  const shape =
    /<p:(sp|pic|graphicFrame|grpSp|cxnSp)\b[\s\S]*?<p:cNvPr\b[^>]*\bid="(\d+)"[\s\S]*?<(?:a|p):off x="(-?\d+)" y="(-?\d+)"\/>\s*<(?:a|p):ext cx="(\d+)" cy="(\d+)"/g;
  for (const m of xml.matchAll(shape)) frames.set(m[2] as string, `${m[3]},${m[4]},${m[5]},${m[6]}`);
  return frames;
}

const runs = new Map<string, { input: string; output: string; report: DeckReport }>();
async function illustrated(name: string) {
  const cached = runs.get(name);
  if (cached) return cached;
  const input = join(DECKS_DIR, name);
  // A name of its own: LibreOffice writes each render beside the others under the deck's name.
  const output = join(
    mkdtempSync(join(tmpdir(), 'real-deck-')),
    name.replace(/\.pptx$/, '.illustrated.pptx'),
  );
  const report = await illustrateDeck(input, { engine, output });
  const run = { input, output, report };
  runs.set(name, run);
  return run;
}

describe('real decks by other authors', () => {
  it('the fixtures are a dozen decks', () => {
    expect(DECKS.length).toBeGreaterThanOrEqual(12);
  });

  for (const name of DECKS) {
    it(`${name}: the input is untouched, and nothing the author made changes, moves or is resized`, {
      timeout: 120_000,
    }, async () => {
      const before = sha(join(DECKS_DIR, name));
      const { input, output, report } = await illustrated(name);
      expect(sha(input)).toBe(before);
      if (report.output === null) return; // nothing needed a picture: nothing written
      const [inParts, outParts] = [await readParts(input), await readParts(output)];
      const rewritten = new Set(['[Content_Types].xml']);
      for (const slide of report.slides.filter((s) => s.status === 'illustrated')) {
        const part = `ppt/slides/slide${slide.slide}.xml`;
        rewritten.add(part).add(`ppt/slides/_rels/slide${slide.slide}.xml.rels`);
        // Every shape the author placed keeps its frame (the new picture is the only new id).
        const was = framesById(text(inParts.get(part)));
        const now = framesById(text(outParts.get(part)));
        for (const [id, box] of was) expect(now.get(id), `${part} shape ${id}`).toBe(box);
        expect(now.size).toBe(was.size + 1);
      }
      for (const [part, bytes] of inParts) {
        if (!rewritten.has(part)) expect(sameBytes(outParts.get(part), bytes), part).toBe(true);
      }
    });
  }

  describe.skipIf(!hasLibreOffice())('rendered by LibreOffice', () => {
    it('every picture lands where the slide showed nothing, and nothing else on the slide changes', {
      timeout: 600_000,
    }, async () => {
      const done = [];
      for (const name of DECKS) {
        const run = await illustrated(name);
        if (run.report.illustrated > 0) done.push(run);
      }
      expect(done.length).toBeGreaterThanOrEqual(3);
      const renders = renderSlides(done.flatMap((r) => [r.input, r.output]));
      for (const [k, run] of done.entries()) {
        const [before = [], after = []] = [renders[2 * k], renders[2 * k + 1]];
        expect(after).toHaveLength(before.length);
        const xml = text((await readParts(run.input)).get('ppt/presentation.xml'));
        const emu = Number(/<p:sldSz[^>]*\bcx="(\d+)"/.exec(xml)?.[1]);
        for (const slide of run.report.slides) {
          const original = await raster(before[slide.slide - 1] as string);
          const rendered = await raster(after[slide.slide - 1] as string);
          const where = `${run.report.input} slide ${slide.slide}`;
          const box = slide.placement?.box;
          if (slide.status !== 'illustrated' || box === undefined) {
            expect(differs(original, rendered), where).toBeLessThan(0.002);
            continue;
          }
          const scale = original.width / emu;
          const px = {
            x0: Math.floor(box.x * scale),
            y0: Math.floor(box.y * scale),
            x1: Math.ceil((box.x + box.width) * scale),
            y1: Math.ceil((box.y + box.height) * scale),
          };
          // Under the picture the slide drew nothing: no text, line or shape edge there before.
          expect(edgeShare(original, px), `${where}: something was drawn under the picture`).toBeLessThan(
            0.003,
          );
          expect(differs(original, rendered, px), `${where}: changed outside the picture`).toBeLessThan(
            0.002,
          );
        }
      }
    });
  });
});

interface Raster {
  data: Buffer;
  width: number;
  height: number;
}

async function raster(file: string): Promise<Raster> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

type Rect = { x0: number; y0: number; x1: number; y1: number };

/** Share of pixels (outside `skip`) whose colour differs by more than 24 levels between two renders. */
function differs(a: Raster, b: Raster, skip?: Rect): number {
  let changed = 0;
  let count = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      if (skip && x >= skip.x0 - 1 && x <= skip.x1 && y >= skip.y0 - 1 && y <= skip.y1) continue;
      const i = (y * a.width + x) * 3;
      let d = 0;
      for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs((a.data[i + c] ?? 0) - (b.data[i + c] ?? 0)));
      if (d > 24) changed++;
      count++;
    }
  }
  return changed / Math.max(1, count);
}

/** Share of pixels inside `r` that sit on an edge (a jump of more than 40 levels to a neighbour). */
function edgeShare(img: Raster, r: Rect): number {
  let edges = 0;
  let count = 0;
  const at = (x: number, y: number, c: number) => img.data[(y * img.width + x) * 3 + c] ?? 0;
  for (let y = Math.max(0, r.y0); y < Math.min(img.height - 1, r.y1); y++) {
    for (let x = Math.max(0, r.x0); x < Math.min(img.width - 1, r.x1); x++) {
      let d = 0;
      for (let c = 0; c < 3; c++) {
        d = Math.max(d, Math.abs(at(x, y, c) - at(x + 1, y, c)), Math.abs(at(x, y, c) - at(x, y + 1, c)));
      }
      if (d > 40) edges++;
      count++;
    }
  }
  return edges / Math.max(1, count);
}
