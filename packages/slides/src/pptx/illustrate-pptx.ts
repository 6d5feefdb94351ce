import { type GeneratedImage, MatryoshkaError } from '@matryoshka/core';
import { type DecideOptions, decideSlide } from '../decide-slide.js';
import type { SlideReport } from '../types.js';
import { ContentTypes } from './content-types.js';
import { loadDeck, type SlideModel } from './deck-model.js';
import { fitPicture } from './fit-picture.js';
import { insertPicture } from './insert-picture.js';
import type { PackageLimits } from './limits.js';
import { OpcPackage } from './opc-package.js';
import { relativeTarget, relsPartFor } from './part-names.js';
import { hasPicture, isTitleSlide, planSlide, type SlidePlan, slideText } from './plan-slide.js';
import { IMAGE_RELATIONSHIP } from './relationships.js';
import { buildXml } from './xml.js';

export type Painter = (report: SlideReport, index: number, total: number) => Promise<GeneratedImage>;

/** What a run has decided before it draws: the deck's size, the slides to draw, the files it will write. */
export interface DeckPlan {
  slideCount: number;
  planned: number;
  /** Files written beside the deck (Markdown pictures); the deck itself is the caller's. */
  files: string[];
}

/** Shared by both formats: called once after planning, before anything is drawn; throws to stop. */
export type Prepare = (plan: DeckPlan) => Promise<void>;

export interface PptxRun extends DecideOptions {
  label: string;
  limits: PackageLimits;
  makeRoom: boolean;
  dryRun: boolean;
  prepare: Prepare;
  paint: Painter;
}

/** Plans every slide, paints the ones that get a picture, and returns the edited package's bytes. */
export async function illustratePptx(
  input: Uint8Array,
  run: PptxRun,
): Promise<{ bytes?: Uint8Array; slides: SlideReport[] }> {
  const pkg = await OpcPackage.open(input, run.label, run.limits);
  const deck = await loadDeck(pkg);
  const planned: Array<{
    report: SlideReport;
    slide: SlideModel;
    plan: Extract<SlidePlan, { kind: 'place' }>;
  }> = [];
  const slides: SlideReport[] = [];
  for (const slide of deck.slides) {
    const text = slideText(slide);
    const report = await decideSlide(
      {
        number: slide.number,
        ...text,
        notes: slide.notes,
        hasPicture: hasPicture(slide),
        hidden: slide.hidden,
      },
      run,
    );
    // A cover or section slide is designed around its title: a picture wedged beside it spoils it,
    // so it gets one only when its notes ask (illustrate: <prompt>).
    if (report.status === 'planned' && report.promptSource !== 'notes' && isTitleSlide(slide)) {
      slides.push({
        slide: report.slide,
        ...(report.title === undefined ? {} : { title: report.title }),
        status: 'skipped',
        reason: 'title-slide',
        detail:
          'a title or section slide keeps its design (add "illustrate: <prompt>" to its notes for a picture)',
        ...(report.prompt === undefined ? {} : { prompt: report.prompt }),
      });
      continue;
    }
    if (report.status === 'planned') {
      const plan = planSlide(slide, deck.size, { makeRoom: run.makeRoom });
      if (plan.kind === 'skip') {
        slides.push({
          slide: report.slide,
          ...(report.title === undefined ? {} : { title: report.title }),
          status: 'skipped',
          reason: plan.reason,
          detail: plan.detail,
          ...(report.prompt === undefined ? {} : { prompt: report.prompt }),
        });
        continue;
      }
      report.placement = plan.placement;
      planned.push({ report, slide, plan });
    }
    slides.push(report);
  }
  await run.prepare({ slideCount: deck.slides.length, planned: planned.length, files: [] });
  if (run.dryRun || planned.length === 0) return { slides };

  const contentTypes = parseContentTypes(await pkg.readText('[Content_Types].xml'), run.label);
  let typesChanged = false;
  for (const [index, { report, slide, plan }] of planned.entries()) {
    const image = await run.paint(report, index, planned.length);
    // In free space the picture takes its own shape and a size it can bear; a placeholder's frame is the author's.
    if (plan.placement.kind === 'free-area' || plan.placement.kind === 'beside-text') {
      plan.placement.box = fitPicture(plan.placement.box, image, deck.size);
    }
    const extension = image.format === 'jpeg' ? 'jpeg' : image.format;
    const media = freeMediaName(pkg, slide.number, extension);
    if (contentTypes.ensureDefault(extension, image.mimeType)) typesChanged = true;
    pkg.writeBytes(media, image.bytes);
    const relId = slide.rels.add(IMAGE_RELATIONSHIP, relativeTarget(slide.part, media));
    insertPicture(slide, plan, { relId, image, description: report.prompt ?? '' });
    pkg.writeText(slide.part, buildXml(slide.doc));
    pkg.writeText(relsPartFor(slide.part), slide.rels.toXml());
    report.status = 'illustrated';
    report.image = media;
  }
  if (typesChanged) {
    pkg.writeText('[Content_Types].xml', contentTypes.toXml());
  }
  return { bytes: await pkg.toBytes(), slides };
}

function parseContentTypes(xml: string, label: string): ContentTypes {
  try {
    return ContentTypes.parse(xml);
  } catch (error) {
    throw new MatryoshkaError(
      'INVALID_REQUEST',
      `${label}: "[Content_Types].xml" is not well-formed XML: ${(error as Error).message}`,
    );
  }
}

function freeMediaName(pkg: OpcPackage, slide: number, extension: string): string {
  for (let n = 1; ; n++) {
    const name = `ppt/media/illustration-slide${slide}${n === 1 ? '' : `-${n}`}.${extension}`;
    if (!pkg.has(name)) return name;
  }
}
