import { findFreeArea } from '../free-area.js';
import { area, type Box, overlaps, right } from '../geometry.js';
import type { Placement, SkipReason } from '../types.js';
import { effectiveBox, type SlideModel } from './deck-model.js';
import { isChrome, isPicturePlaceholder, isTitle, type Shape } from './shapes.js';

export interface SlideText {
  title?: string;
  body: string[];
}

/** A text shape whose frame is narrowed so a picture fits beside it. */
export interface Narrowing {
  shape: Shape;
  box: Box;
}

export type SlidePlan =
  | {
      kind: 'place';
      placement: Placement & { box: Box };
      target?: Shape;
      layoutPlaceholder?: Shape;
      narrow: Narrowing[];
    }
  | { kind: 'skip'; reason: SkipReason; detail: string };

/** The slide's title and body text, top to bottom, footer/date/number placeholders left out. */
export function slideText(slide: SlideModel): SlideText {
  const title = slide.shapes.find((s) => isTitle(s) && s.paragraphs.length > 0);
  const others = slide.shapes
    .filter((s) => s !== title && !isChrome(s) && s.paragraphs.length > 0)
    .map((s) => ({ s, box: effectiveBox(s, slide) }))
    .sort((a, b) => (a.box?.y ?? 0) - (b.box?.y ?? 0) || (a.box?.x ?? 0) - (b.box?.x ?? 0))
    .map(({ s }) => s);
  // Without a title placeholder, the topmost text (often a pptxgenjs/LibreOffice text box) is the title.
  const titleText = title?.paragraphs.join(' ') ?? others.shift()?.paragraphs.join(' ');
  return {
    ...(titleText === undefined ? {} : { title: titleText }),
    body: others.flatMap((s) => s.paragraphs),
  };
}

// Layouts whose slides are the deck's cover or a section divider, designed around their title.
const TITLE_LAYOUTS = new Set(['title', 'secHead']);

/** A cover or section slide: its layout says so, or it carries a centred title (ctrTitle). */
export function isTitleSlide(slide: SlideModel): boolean {
  return (
    TITLE_LAYOUTS.has(slide.layoutType ?? '') || slide.shapes.some((s) => s.placeholder?.type === 'ctrTitle')
  );
}

export function hasPicture(slide: SlideModel): boolean {
  return slide.pictureBackground || slide.shapes.some((s) => s.hasPicture || s.hasGraphic);
}

export interface PlanOptions {
  /** Narrow a body text box when nothing else makes room, if its text still fits (never by default). */
  makeRoom?: boolean;
}

/**
 * Where a picture goes on this slide, or why it cannot go anywhere. Changes nothing. By default the
 * author's shapes are never moved or resized: an empty picture placeholder, else free space.
 */
export function planSlide(
  slide: SlideModel,
  size: { width: number; height: number },
  { makeRoom = false }: PlanOptions = {},
): SlidePlan {
  const slideArea = size.width * size.height;
  // Only a placeholder with no text of its own: filling it must not drop anything the author wrote.
  const emptyPicture = slide.shapes.find(
    (s) => isPicturePlaceholder(s) && !s.hasPicture && s.tag === 'p:sp' && s.paragraphs.length === 0,
  );
  if (emptyPicture !== undefined) {
    const box = effectiveBox(emptyPicture, slide);
    if (box !== undefined && area(box) > 0) {
      return { kind: 'place', placement: { kind: 'placeholder', box }, target: emptyPicture, narrow: [] };
    }
  }

  const obstacles = obstaclesOf(slide, slideArea);
  const usedIdx = new Set<string | undefined>(
    slide.shapes.map((s) => s.placeholder?.idx).filter((idx) => idx !== undefined),
  );
  const layoutPicture = slide.layoutShapes.find(
    (s) =>
      isPicturePlaceholder(s) &&
      s.ownBox !== undefined &&
      area(s.ownBox) > 0 &&
      !usedIdx.has(s.placeholder?.idx) &&
      !obstacles.some((o) => overlaps(o.box, s.ownBox as Box)),
  );
  if (layoutPicture?.ownBox !== undefined) {
    return {
      kind: 'place',
      placement: { kind: 'layout-placeholder', box: layoutPicture.ownBox },
      layoutPlaceholder: layoutPicture,
      narrow: [],
    };
  }

  const free = findFreeArea(
    size,
    obstacles.map((o) => o.box),
  );
  if (free !== undefined) return { kind: 'place', placement: { kind: 'free-area', box: free }, narrow: [] };
  if (!makeRoom) {
    return {
      kind: 'skip',
      reason: 'no-space',
      detail:
        'no free area large enough for a picture without moving or covering anything (makeRoom may narrow a text box)',
    };
  }

  // No room: narrow wide body text boxes to the left 60 % of the slide, as a designer would.
  const narrowTo = size.width * 0.6;
  const narrow: Narrowing[] = [];
  const moved = obstacles.map((o) => {
    // Only plain shapes can be given a new frame (their a:xfrm lives in p:spPr).
    const wide =
      o.shape !== undefined &&
      o.fromSlide &&
      o.shape.tag === 'p:sp' &&
      !isTitle(o.shape) &&
      o.shape.paragraphs.length > 0;
    if (!wide || right(o.box) <= narrowTo || o.box.x > size.width * 0.4) return o.box;
    const box = { ...o.box, width: Math.round(narrowTo - o.box.x) };
    if (box.width < size.width * 0.3 || o.shape === undefined || !textFits(o.shape, box)) return o.box;
    narrow.push({ shape: o.shape, box });
    return box;
  });
  if (narrow.length > 0) {
    const beside = findFreeArea(size, moved);
    if (beside !== undefined)
      return { kind: 'place', placement: { kind: 'beside-text', box: beside }, narrow };
  }
  return {
    kind: 'skip',
    reason: 'no-space',
    detail: 'no free area large enough for a picture without covering text',
  };
}

const EMU_PER_POINT = 12_700;
// Body text a size is not set on is drawn at the theme's body size: 18 pt in Office's default theme.
const DEFAULT_POINTS = 18;
// An average glyph of a proportional Latin font is about half an em wide; lines are 1.2 em apart.
const EM_PER_CHAR = 0.5;
const LINE_EM = 1.2;

/**
 * Whether the shape's text still fits a narrower box at its own size: lines estimated from its
 * characters at an average glyph width, against the box's height (insets of 0.1 in each side).
 * An estimate, not font metrics: when in doubt it says no, and the slide gets no picture.
 */
export function textFits(shape: Shape, box: Box): boolean {
  const em = (shape.fontSize ?? DEFAULT_POINTS) * EMU_PER_POINT;
  const inset = 91_440;
  const width = box.width - 2 * inset;
  if (width <= 0) return false;
  const perLine = Math.max(1, Math.floor(width / (em * EM_PER_CHAR)));
  const lines = shape.paragraphs.reduce((n, p) => n + Math.max(1, Math.ceil(p.length / perLine)), 0);
  // A bullet's indent takes about two characters of each line.
  return lines * LINE_EM * em <= (box.height - 2 * inset) * 0.9 && perLine > 8;
}

interface Obstacle {
  box: Box;
  shape?: Shape;
  fromSlide: boolean;
}

function obstaclesOf(slide: SlideModel, slideArea: number): Obstacle[] {
  const obstacles: Obstacle[] = [];
  for (const shape of slide.shapes) {
    // An empty placeholder shows nothing in a slide show; the picture may take its place.
    const empty =
      shape.placeholder !== undefined &&
      shape.paragraphs.length === 0 &&
      !shape.hasPicture &&
      !shape.hasGraphic;
    const box = effectiveBox(shape, slide);
    if (empty || box === undefined || area(box) === 0) continue;
    // A full-slide decoration (background art as a shape) would block everything; text still counts.
    if (shape.paragraphs.length === 0 && area(box) > 0.6 * slideArea) continue;
    obstacles.push({ box, shape, fromSlide: true });
  }
  // Layout and master artwork (logos, fixed captions) is drawn on the slide too, placeholders are not.
  for (const shape of [...slide.layoutShapes, ...slide.masterShapes]) {
    if (shape.placeholder !== undefined || shape.ownBox === undefined) continue;
    const visible = shape.paragraphs.length > 0 || shape.hasPicture || shape.hasGraphic;
    if (visible && area(shape.ownBox) < 0.4 * slideArea)
      obstacles.push({ box: shape.ownBox, fromSlide: false });
  }
  return obstacles;
}
