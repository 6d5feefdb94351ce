import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { MatryoshkaError } from '@matryoshka/core';
import { type DecideOptions, decideSlide } from '../decide-slide.js';
import type { Painter, Prepare } from '../pptx/illustrate-pptx.js';
import type { Placement, SlideReport } from '../types.js';
import { detectFlavor, type MarkdownFlavor } from './flavor.js';
import { type BusyContent, slideFacts } from './slide-facts.js';
import { type MarkdownSlide, type SplitDeck, splitSlides, yamlValue } from './split-slides.js';

export interface MarkdownRun extends DecideOptions {
  deckPath: string;
  outputPath: string;
  flavor?: MarkdownFlavor;
  dryRun: boolean;
  prepare: Prepare;
  paint: Painter;
}

export interface MarkdownResult {
  flavor: MarkdownFlavor;
  slides: SlideReport[];
  /** The new deck text; undefined for a dry run. */
  text?: string;
  files: Array<{ path: string; bytes: Uint8Array }>;
}

// Slidev layouts a picture can be added to without changing what the slide is: the plain ones get
// `image-right`, the title-page ones keep their layout and get a background.
const PLAIN_LAYOUTS = new Set(['default', 'center']);
const BACKGROUND_LAYOUTS = new Set(['cover', 'intro']);
const PICTURE_KEYS = ['image', 'background', 'url'];
// Why a slide with such content gets no picture (a `prompt:` in its notes still gets one).
const BUSY_DETAIL: Record<BusyContent, string> = {
  code: 'it shows code, which a picture would crowd',
  diagram: 'it shows a diagram (Mermaid, PlantUML, …)',
  math: 'it shows formulas',
  component: 'it embeds a component',
  columns: 'its content is laid out in columns',
};

interface Edit {
  /** Insert before this line index… */
  at: number;
  /** …these lines, after removing `remove` lines there. */
  lines: string[];
  remove?: number;
}

export async function illustrateMarkdown(text: string, run: MarkdownRun): Promise<MarkdownResult> {
  const flavor = run.flavor ?? detectFlavor(text);
  if (flavor === undefined) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      `${run.deckPath} is plain Markdown, not a slide deck: mark it as Marp (\`marp: true\` in its front matter) or Slidev (a Slidev key such as \`theme:\` in its front matter), or name the flavour (markdownFlavor)`,
    );
  }
  const deck = splitSlides(text, flavor === 'slidev');
  const outDir = dirname(run.outputPath);
  const stem = basename(run.deckPath, extname(run.deckPath));
  // Slidev does not resolve frontmatter paths against the deck (relative ones break after a build);
  // its documented way is a file in public/ beside the deck, linked from the site root.
  const publicDir = flavor === 'slidev';
  const imageDir = publicDir ? join(outDir, 'public', 'images') : join(outDir, 'images');

  const slides: SlideReport[] = [];
  const planned: Array<{ report: SlideReport; slide: MarkdownSlide; edit: (link: string) => Edit[] }> = [];
  for (const slide of deck.slides) {
    const facts = slideFacts(deck.lines, slide.start, slide.end);
    const layout = yamlValue(deck.lines, slide.frontmatter, 'layout');
    const frontmatterPicture = PICTURE_KEYS.some(
      (k) => yamlValue(deck.lines, slide.frontmatter, k) !== undefined,
    );
    const report = await decideSlide(
      {
        number: slide.number,
        ...(facts.title === undefined ? {} : { title: facts.title }),
        body: facts.body,
        notes: facts.notes,
        hasPicture:
          facts.hasPicture ||
          (flavor === 'slidev' && (frontmatterPicture || /^(image|iframe)/.test(layout ?? ''))),
        hidden:
          flavor === 'slidev' && /^(true|yes)$/.test(yamlValue(deck.lines, slide.frontmatter, 'hide') ?? ''),
      },
      run,
    );
    if (
      report.status === 'planned' &&
      flavor === 'slidev' &&
      layout !== undefined &&
      !PLAIN_LAYOUTS.has(layout) &&
      !BACKGROUND_LAYOUTS.has(layout)
    ) {
      slides.push({
        ...report,
        status: 'skipped',
        reason: 'unsupported-layout',
        detail: `layout "${layout}" has no place for a picture`,
      });
      continue;
    }
    const drawable = report.status === 'planned' || report.reason === 'no-idea';
    if (drawable && facts.busy !== undefined && report.promptSource !== 'notes') {
      slides.push({ ...report, status: 'skipped', reason: 'busy', detail: BUSY_DETAIL[facts.busy] });
      continue;
    }
    if (report.status === 'planned') {
      const edit =
        flavor === 'marp'
          ? (link: string) => marpEdit(deck, slide, facts.titleLine, link)
          : (link: string) => slidevEdit(deck, slide, layout, link);
      report.placement = placementOf(
        flavor,
        layout,
        `${publicDir ? '/' : ''}images/${stem}-slide-${slide.number}.png`,
      );
      planned.push({ report, slide, edit });
    }
    slides.push(report);
  }
  const pictureFile = (slide: number) => join(imageDir, `${stem}-slide-${slide}.png`);
  await run.prepare({
    slideCount: deck.slides.length,
    planned: planned.length,
    files: planned.map((p) => pictureFile(p.report.slide)),
  });
  if (run.dryRun || planned.length === 0) return { flavor, slides, files: [] };

  const edits: Edit[] = [];
  const files: MarkdownResult['files'] = [];
  for (const [index, { report, edit }] of planned.entries()) {
    const image = await run.paint(report, index, planned.length);
    const file = pictureFile(report.slide);
    const link = publicDir ? `/images/${basename(file)}` : relative(outDir, file).split(sep).join('/');
    files.push({ path: file, bytes: image.bytes });
    edits.push(...edit(link));
    report.status = 'illustrated';
    report.image = file;
    report.placement = placementOf(
      flavor,
      yamlValue(deck.lines, planned[index]?.slide.frontmatter, 'layout'),
      link,
    );
  }
  const lines = [...deck.lines];
  for (const e of edits.sort((a, b) => b.at - a.at)) lines.splice(e.at, e.remove ?? 0, ...e.lines);
  return { flavor, slides, text: lines.join(deck.eol), files };
}

function placementOf(flavor: MarkdownFlavor, layout: string | undefined, link: string): Placement {
  if (flavor === 'marp') return { kind: 'marp-background', markup: `![bg right:40%](${link})` };
  if (layout !== undefined && BACKGROUND_LAYOUTS.has(layout))
    return { kind: 'slidev-layout', markup: `background: ${link}` };
  return { kind: 'slidev-layout', markup: `layout: image-right\nimage: ${link}` };
}

/** Marp: a split background right after the slide's heading (or at its top). */
function marpEdit(
  deck: SplitDeck,
  slide: MarkdownSlide,
  titleLine: number | undefined,
  link: string,
): Edit[] {
  const markup = `![bg right:40%](${link})`;
  if (titleLine !== undefined) return [{ at: titleLine + 1, lines: ['', markup] }];
  let at = slide.start;
  while (at < slide.end && (deck.lines[at] ?? '').trim() === '') at++;
  return [{ at, lines: [markup, ''] }];
}

/** Slidev: `layout: image-right` + `image:` in the slide's frontmatter (a `background:` on cover slides). */
function slidevEdit(deck: SplitDeck, slide: MarkdownSlide, layout: string | undefined, link: string): Edit[] {
  const wanted =
    layout !== undefined && BACKGROUND_LAYOUTS.has(layout)
      ? [`background: ${link}`]
      : ['layout: image-right', `image: ${link}`];
  const block = slide.frontmatter;
  if (block !== undefined) {
    const edits: Edit[] = [];
    const layoutLine = findKey(deck.lines, block, 'layout');
    if (layoutLine !== undefined && wanted[0]?.startsWith('layout:')) {
      edits.push({ at: layoutLine, lines: [wanted[0]], remove: 1 });
      edits.push({ at: block.end, lines: wanted.slice(1) });
    } else {
      edits.push({ at: block.end, lines: wanted });
    }
    return edits;
  }
  if (slide.separator < 0) return [{ at: 0, lines: ['---', ...wanted, '---', ''] }];
  return [{ at: slide.separator + 1, lines: [...wanted, '---'] }];
}

function findKey(lines: string[], block: { start: number; end: number }, key: string): number | undefined {
  for (let i = block.start; i < block.end; i++) if (new RegExp(`^${key}\\s*:`).test(lines[i] ?? '')) return i;
  return undefined;
}
