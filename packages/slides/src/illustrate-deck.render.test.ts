import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { Box } from './geometry.js';
import { illustrateDeck } from './index.js';
import { hasLibreOffice, renderSlides } from './test-support/libreoffice.test-support.js';
import { readParts } from './test-support/package-parts.test-support.js';
import { exampleDeck, tinyEngine } from './test-support/tiny-engine.test-support.js';

const engine = tinyEngine();
afterAll(() => engine.close());

interface Raster {
  data: Buffer;
  width: number;
  height: number;
}

const raster = async (file: string): Promise<Raster> => {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
};

/** Mean absolute channel difference between two renders, inside (or outside) a pixel rectangle. */
function meanDifference(a: Raster, b: Raster, rect: Box, inside: boolean): number {
  let sum = 0;
  let count = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const within = x >= rect.x && x < rect.x + rect.width && y >= rect.y && y < rect.y + rect.height;
      if (within !== inside) continue;
      for (let c = 0; c < 3; c++) {
        const i = (y * a.width + x) * 3 + c;
        sum += Math.abs((a.data[i] ?? 0) - (b.data[i] ?? 0));
        count++;
      }
    }
  }
  return sum / Math.max(1, count);
}

async function slideWidthEmu(deck: string): Promise<number> {
  const xml = new TextDecoder().decode((await readParts(deck)).get('ppt/presentation.xml'));
  return Number(/<p:sldSz[^>]*\bcx="(\d+)"/.exec(xml)?.[1]);
}

describe.skipIf(!hasLibreOffice())('the illustrated deck in LibreOffice', () => {
  for (const name of ['garden.pptx', 'garden-libreoffice.pptx']) {
    it(`${name}: renders every new picture inside its box and changes nothing outside it`, async () => {
      const input = exampleDeck(name);
      const output = join(mkdtempSync(join(tmpdir(), 'slides-render-')), 'out.pptx');
      const report = await illustrateDeck(input, { engine, output });
      const [before = [], after = []] = renderSlides([input, output]);
      expect(after).toHaveLength(before.length);
      const emu = await slideWidthEmu(input);
      const illustrated = report.slides.filter((s) => s.status === 'illustrated');
      expect(illustrated.length).toBeGreaterThan(2);
      for (const slide of report.slides) {
        const original = await raster(before[slide.slide - 1] as string);
        const rendered = await raster(after[slide.slide - 1] as string);
        const scale = rendered.width / emu;
        const box = slide.placement?.box;
        if (slide.status !== 'illustrated' || box === undefined) {
          expect(
            meanDifference(original, rendered, { x: 0, y: 0, width: 0, height: 0 }, false),
            `slide ${slide.slide}`,
          ).toBeLessThan(0.5);
          continue;
        }
        // The middle of the frame, clear of anti-aliased edges.
        const pixels = {
          x: Math.round((box.x + box.width * 0.1) * scale),
          y: Math.round((box.y + box.height * 0.1) * scale),
          width: Math.round(box.width * 0.8 * scale),
          height: Math.round(box.height * 0.8 * scale),
        };
        const inside = meanDifference(original, rendered, pixels, true);
        expect(inside, `slide ${slide.slide}: the picture shows`).toBeGreaterThan(15);
        // Narrowing a text box re-wraps its lines, so only slides placed in free space must be otherwise identical.
        if (slide.placement?.kind !== 'beside-text') {
          const frame = {
            x: Math.floor(box.x * scale) - 2,
            y: Math.floor(box.y * scale) - 2,
            width: Math.ceil(box.width * scale) + 4,
            height: Math.ceil(box.height * scale) + 4,
          };
          expect(
            meanDifference(original, rendered, frame, false),
            `slide ${slide.slide}: nothing else moved`,
          ).toBeLessThan(0.5);
        }
      }
    }, 300_000);
  }
});
