import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PptxGenJS from 'pptxgenjs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hasLibreOffice, renderSlides } from '../test-support/libreoffice.test-support.js';
import { loadDeck } from './deck-model.js';
import { DEFAULT_LIMITS } from './limits.js';
import { OpcPackage } from './opc-package.js';
import { textLines, textLook } from './text-extent.js';

const FACES = ['Carlito', 'Liberation Sans', 'Liberation Serif'];
const hasFaces = (): boolean => {
  const list = spawnSync('fc-list', [':', 'family'], { encoding: 'utf8' }).stdout ?? '';
  return FACES.every((face) => list.includes(face));
};

const TEXTS = [
  'Quarterly revenue grew in every region, led by strong demand for the new subscription plans',
  'Onboarding takes new hires through security training, tooling and their first small project',
  'We measured latency at the 99th percentile before and after the cache was introduced',
  'Ask questions early; a wrong assumption costs far more than the minute it takes to check',
];
const DPI = 96;

/** Text lines in a pixel column range of a render: bands of rows holding dark pixels. */
async function linesIn(png: string, box: { x: number; y: number; w: number; h: number }): Promise<number> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  let bands = 0;
  let inBand = false;
  for (let y = Math.round(box.y * DPI); y < Math.min(info.height, Math.round((box.y + box.h) * DPI)); y++) {
    let dark = false;
    for (let x = Math.round(box.x * DPI); x < Math.min(info.width, Math.round((box.x + box.w) * DPI)); x++) {
      if ((data[y * info.width + x] ?? 255) < 140) {
        dark = true;
        break;
      }
    }
    if (dark && !inBand) bands++;
    inBand = dark;
  }
  return bands;
}

describe.skipIf(!hasLibreOffice() || !hasFaces())('text wrapping measured against LibreOffice', () => {
  it('predicts the lines LibreOffice draws, in Calibri, Arial and Times metrics', async () => {
    const pptx = new PptxGenJS();
    const cases: { face: string; size: number; w: number; text: string }[] = [];
    for (const [i, face] of FACES.entries()) {
      for (const [j, text] of TEXTS.entries()) {
        cases.push({ face, size: [18, 24, 20, 28][j] as number, w: 3 + ((i + j) % 4), text });
      }
    }
    const box = (w: number) => ({ x: 0.5, y: 0.5, w, h: 6 });
    for (const c of cases) {
      pptx
        .addSlide()
        .addText(c.text, { ...box(c.w), fontFace: c.face, fontSize: c.size, valign: 'top', color: '000000' });
    }
    const file = join(mkdtempSync(join(tmpdir(), 'text-metrics-')), 'wrap.pptx');
    await pptx.writeFile({ fileName: file });

    const deck = await loadDeck(await OpcPackage.open(readFileSync(file), 'wrap.pptx', DEFAULT_LIMITS));
    const [pages = []] = renderSlides([file], DPI);
    expect(pages).toHaveLength(cases.length);
    const rows: string[] = [];
    let agree = 0;
    for (const [k, c] of cases.entries()) {
      const slide = deck.slides[k];
      const shape = slide?.shapes[0];
      if (slide === undefined || shape === undefined) throw new Error(`slide ${k + 1} has no text box`);
      const predicted = textLines(shape, c.w * 914_400, textLook(shape, slide));
      const drawn = await linesIn(pages[k] as string, box(c.w));
      if (predicted === drawn) agree++;
      rows.push(`${c.face} ${c.size} pt, ${c.w} in: predicted ${predicted}, drawn ${drawn}`);
    }
    // Exact wrap points depend on kerning and rounding: at most one paragraph in twelve may differ.
    expect(agree, rows.join('\n')).toBeGreaterThanOrEqual(cases.length - 1);
  }, 120_000);
});
