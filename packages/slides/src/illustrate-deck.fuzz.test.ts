import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import PptxGenJS from 'pptxgenjs';
import { describe, expect, it } from 'vitest';
import { type Box, overlaps } from './geometry.js';
import { illustrateDeck } from './index.js';

const EMU = 914_400;
const WIDTH = 13.333 * EMU;

const textBox = fc.record({
  x: fc.double({ min: 0, max: 12, noNaN: true }),
  y: fc.double({ min: 0, max: 6.5, noNaN: true }),
  w: fc.double({ min: 0.5, max: 13, noNaN: true }),
  h: fc.double({ min: 0.3, max: 7, noNaN: true }),
  rotate: fc.constantFrom(0, 0, 0, 90, 30),
});

describe('placement on random pptxgenjs decks (property)', () => {
  it('never puts a picture over text: anywhere on a turned box, on an upright one where its lines are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slides-fuzz-'));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(textBox, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }),
        async (slides) => {
          const pptx = new PptxGenJS();
          pptx.layout = 'LAYOUT_WIDE';
          for (const boxes of slides) {
            const slide = pptx.addSlide();
            for (const [k, b] of boxes.entries())
              slide.addText(TEXT(k), { ...b, fontSize: 14, valign: 'top' });
          }
          const file = join(dir, `deck${run++}.pptx`);
          await writeFile(file, (await pptx.write({ outputType: 'uint8array' })) as Uint8Array);
          const report = await illustrateDeck(file, { dryRun: true });
          for (const slide of report.slides) {
            const box = slide.placement?.box;
            if (box === undefined) {
              expect(slide.reason).toBe('no-space');
              continue;
            }
            for (const b of slides[slide.slide - 1] ?? []) {
              const text = drawnText(b);
              if (!overlaps(text, box)) continue;
              // Only a text box that was narrowed to end at 60 % of the width may share the picture's rows.
              expect(slide.placement?.kind).toBe('beside-text');
              expect(box.x).toBeGreaterThanOrEqual(WIDTH * 0.6 - 1);
              expect(text.x).toBeLessThanOrEqual(WIDTH * 0.4 + 1);
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

const TEXT = (k: number) => `Point ${k}: the garden budget`;

/**
 * Where a text box's text can be, estimated apart from the code under test: a turned box anywhere
 * in its bounds; an upright, top-anchored one from its top down by its lines at a wide 0.6 em per
 * character and 1.5 em per line, plus 0.3 in (past the frame's bottom when the text is longer).
 */
function drawnText(b: { x: number; y: number; w: number; h: number; rotate: number }): Box {
  const all = bounds(b);
  if (b.rotate !== 0) return all;
  const em = 14 / 72;
  const perLine = Math.max(1, Math.floor((b.w - 0.2) / (0.6 * em)));
  const lines = Math.ceil(TEXT(0).length / perLine);
  // Past the frame's bottom too, when the text is longer than the box.
  return { ...all, height: (lines * 1.5 * em + 0.3) * EMU };
}

/** The area a pptxgenjs text box covers, rotation included (pptxgenjs writes `rot` about the centre). */
function bounds(b: { x: number; y: number; w: number; h: number; rotate: number }): Box {
  const radians = (b.rotate * Math.PI) / 180;
  const w = b.w * Math.abs(Math.cos(radians)) + b.h * Math.abs(Math.sin(radians));
  const h = b.w * Math.abs(Math.sin(radians)) + b.h * Math.abs(Math.cos(radians));
  const cx = b.x + b.w / 2;
  const cy = b.y + b.h / 2;
  return { x: (cx - w / 2) * EMU, y: (cy - h / 2) * EMU, width: w * EMU, height: h * EMU };
}
