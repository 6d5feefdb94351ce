import { findFreeArea } from '../free-area.js';
import { area, type Box, overlaps, right } from '../geometry.js';
import type { Placement, SkipReason } from '../types.js';
import { effectiveBox, type SlideModel } from './deck-model.js';
import { isChrome, isPicturePlaceholder, isTitle, type Shape } from './shapes.js';
import { renderedTextBox, textFits, textLook } from './text-extent.js';

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

  const obstacles = obstaclesOf(slide, size);
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
      o.frame !== undefined &&
      o.fromSlide &&
      o.shape.tag === 'p:sp' &&
      !isTitle(o.shape) &&
      o.shape.paragraphs.length > 0;
    if (!wide || o.frame === undefined || right(o.box) <= narrowTo || o.box.x > size.width * 0.4)
      return o.box;
    const box = { ...o.frame, width: Math.round(narrowTo - o.frame.x) };
    if (
      box.width < size.width * 0.3 ||
      o.shape === undefined ||
      !textFits(o.shape, box, textLook(o.shape, slide))
    )
      return o.box;
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

interface Obstacle {
  /** What it covers on screen (for text, where its text is drawn). */
  box: Box;
  /** A slide shape's own frame. */
  frame?: Box;
  shape?: Shape;
  fromSlide: boolean;
}

function obstaclesOf(slide: SlideModel, size: { width: number; height: number }): Obstacle[] {
  const slideArea = size.width * size.height;
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
    // A text shape is an obstacle where its text is drawn (past its frame, or only part of it);
    // tables, groups and pictures where their frame is.
    const textOnly = shape.tag === 'p:sp' && !shape.hasPicture && !shape.hasGraphic;
    obstacles.push({
      box: textOnly ? renderedTextBox(shape, box, size, textLook(shape, slide)) : box,
      frame: box,
      shape,
      fromSlide: true,
    });
  }
  // Layout and master artwork is drawn on the slide too (logos, banners, bars, fixed captions);
  // their placeholders are not. Only a backdrop the content sits on may be drawn over: a picture
  // filling nearly the whole slide, or a plain panel over most of it.
  for (const shape of [...slide.layoutShapes, ...slide.masterShapes]) {
    if (shape.placeholder !== undefined || shape.ownBox === undefined) continue;
    const share = area(shape.ownBox) / slideArea;
    const picture = shape.hasPicture || shape.hasGraphic;
    const drawn = shape.paragraphs.length > 0 || shape.frameDrawn === true || shape.tag === 'p:cxnSp';
    if ((picture && share < 0.85) || (!picture && drawn && share < 0.6))
      obstacles.push({ box: shape.ownBox, fromSlide: false });
  }
  return obstacles;
}
