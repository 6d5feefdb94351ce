#!/usr/bin/env node
// The before/after gallery of docs/decks/: every real deck of test/fixtures/decks and the example
// decks, illustrated by the shipped default model with default options, rendered by LibreOffice.
//
//   node scripts/deck-gallery.mjs [--out docs/decks] [--dpi 40]
// Needs the packages built (npm run build) and soffice + pdftoppm (apt libreoffice-impress poppler-utils).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '@matryoshka/core';
import { illustrateDeck } from '@matryoshka/slides';
import sharp from 'sharp';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'docs/decks' }, dpi: { type: 'string', default: '40' } },
});
const root = resolve(import.meta.dirname, '..');
const out = resolve(root, values.out);
const decks = [
  ...readdirSync(join(root, 'test/fixtures/decks'))
    .filter((f) => f.endsWith('.pptx'))
    .map((f) => join(root, 'test/fixtures/decks', f)),
  ...readdirSync(join(root, 'examples/decks'))
    .filter((f) => f.endsWith('.pptx'))
    .map((f) => join(root, 'examples/decks', f)),
].sort();
const work = mkdtempSync(join(tmpdir(), 'deck-gallery-'));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

function render(file, tag) {
  const dir = join(work, tag);
  mkdirSync(dir, { recursive: true });
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=file://${join(work, 'profile')}`,
      '--headless',
      '--convert-to',
      'pdf',
      '--outdir',
      dir,
      file,
    ],
    { stdio: 'ignore', timeout: 300_000 },
  );
  const pdf = join(dir, basename(file).replace(/\.pptx$/, '.pdf'));
  execFileSync('pdftoppm', ['-png', '-r', values.dpi, pdf, join(dir, 'page')], { timeout: 300_000 });
  return readdirSync(dir)
    .filter((f) => f.startsWith('page'))
    .sort((a, b) => Number(/(\d+)\.png$/.exec(a)[1]) - Number(/(\d+)\.png$/.exec(b)[1]))
    .map((f) => join(dir, f));
}

const engine = createEngine({ threads: 2 });
const rows = [];
const totals = { decks: 0, slides: 0, illustrated: 0, reasons: {} };
try {
  for (const deck of decks) {
    const name = basename(deck, '.pptx');
    const output = join(work, `${name}.illustrated.pptx`);
    const report = await illustrateDeck(deck, { engine, output });
    totals.decks++;
    totals.slides += report.slides.length;
    totals.illustrated += report.illustrated;
    for (const s of report.slides)
      if (s.status === 'skipped') totals.reasons[s.reason] = (totals.reasons[s.reason] ?? 0) + 1;
    if (report.illustrated === 0) continue;
    const before = render(deck, `${name}-before`);
    const after = render(output, `${name}-after`);
    for (const slide of report.slides.filter((s) => s.status === 'illustrated')) {
      const [a, b] = [before[slide.slide - 1], after[slide.slide - 1]];
      const meta = await sharp(a).metadata();
      const file = `${name}-${slide.slide}.png`;
      await sharp({
        create: { width: meta.width * 2 + 8, height: meta.height, channels: 3, background: '#888' },
      })
        .composite([
          { input: a, left: 0, top: 0 },
          { input: b, left: meta.width + 8, top: 0 },
        ])
        .png({ palette: true, quality: 90 })
        .toFile(join(out, file));
      rows.push({
        deck: basename(deck),
        slide: slide.slide,
        prompt: slide.prompt,
        why: slide.why ?? '',
        where: slide.placement?.kind ?? '',
        file,
      });
    }
  }
} finally {
  await engine.close();
  rmSync(work, { recursive: true, force: true });
}

const reasons = Object.entries(totals.reasons)
  .sort((a, b) => b[1] - a[1])
  .map(([r, n]) => `${r} ${n}`)
  .join(', ');
writeFileSync(
  join(out, 'README.md'),
  `# Decks before and after

Real PowerPoint decks by other authors (\`test/fixtures/decks\`, Apache POI's test corpus, see its
NOTICE.md) and the example decks, illustrated by \`matryoshka slides\` with the shipped default model and
default options (nothing the author made is moved or resized), rendered by LibreOffice at ${values.dpi} dpi.
Left: the deck as its author made it; right: the illustrated copy. Made by \`node scripts/deck-gallery.mjs\`.

${totals.decks} decks, ${totals.slides} slides: ${totals.illustrated} illustrated; skipped: ${reasons}.

| deck | slide | prompt | why | where |
|---|---:|---|---|---|
${rows.map((r) => `| ${r.deck} | ${r.slide} | ${r.prompt} | ${r.why.replace(/\|/g, '\\|')} | ${r.where} |`).join('\n')}

${rows.map((r) => `### ${r.deck}, slide ${r.slide}: ${r.prompt}\n\n![${r.deck} slide ${r.slide} before and after](${r.file})\n`).join('\n')}
`,
);
console.log(`${rows.length} illustrated slides of ${totals.decks} decks written to ${out}`);
