import type { Box } from '../geometry.js';
import { inheritedShapes, type SlideModel } from './deck-model.js';
import { isTitle, type Shape, type TextBody } from './shapes.js';
import { averageCharWidth, type Font, faceOf, lineHeight, wrappedLines } from './text-metrics.js';

const EMU_PER_POINT = 12_700;
const EMU_PER_INCH = 914_400;
// Text a size is set on nowhere (shape, layout, master) is drawn at 18 pt, PowerPoint's default.
const DEFAULT_POINTS = 18;
// Space before each paragraph in Office themes (about 10 pt at 28 pt body text).
const PARAGRAPH_EM = 0.35;
// PowerPoint's default text insets: 0.1 in left and right, 0.05 in top and bottom.
const INSET_X = 91_440;
const INSET_Y = 45_720;
// A bulleted placeholder's first-level indent (bullet and hanging indent).
const BULLET_INDENT = 0.375 * EMU_PER_INCH;

/** How a slide shape's text is drawn, each property from the shape, else its layout, else its master. */
export interface TextLook extends TextBody {
  fontSize: number;
  /** The face its text is measured in (the metric-compatible twin of its typeface). */
  font: Font;
  frameDrawn: boolean;
  bulleted: boolean;
}

export function textLook(shape: Shape, slide?: SlideModel): TextLook {
  const chain = [shape, ...(slide ? inheritedShapes(shape, slide) : [])];
  const first = <T>(get: (s: Shape) => T | undefined): T | undefined => {
    for (const s of chain) {
      const value = get(s);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const type = shape.placeholder?.type;
  const title = isTitle(shape);
  const styled = title ? slide?.textStyle?.title : type ? slide?.textStyle?.body : slide?.textStyle?.other;
  const anchor = first((s) => s.textBody?.anchor);
  const autofit = first((s) => s.textBody?.autofit);
  const styledFont = title
    ? slide?.textStyle?.titleFont
    : type
      ? slide?.textStyle?.bodyFont
      : slide?.textStyle?.otherFont;
  const typeface = first((s) => s.typeface) ?? styledFont ?? (title ? '+mj-lt' : '+mn-lt');
  // Theme fonts by reference: +mj-lt / +mj-ea … are the heading face, +mn-… the body face.
  const face = typeface.startsWith('+mj')
    ? slide?.themeFonts?.major
    : typeface.startsWith('+mn')
      ? slide?.themeFonts?.minor
      : typeface;
  return {
    fontSize: first((s) => s.fontSize) ?? styled ?? DEFAULT_POINTS,
    font: { face: faceOf(face), bold: chain.some((s) => s.bold === true) },
    frameDrawn: first((s) => s.frameDrawn) ?? false,
    // Body and content placeholders are bulleted by their master; text boxes and titles are not.
    bulleted: type === 'body' || type === 'obj' || (type !== undefined && !title && type !== 'subTitle'),
    ...(anchor ? { anchor } : title ? { anchor: 'ctr' as const } : {}),
    ...(autofit ? { autofit } : {}),
  };
}

/** Lines of the shape's text in a frame `width` EMU wide, wrapped word by word with its face's advance widths. */
function layout(
  shape: Shape,
  width: number,
  look: TextLook,
  indent = 0,
): { em: number; line: number; perLine: number; lines: number } | undefined {
  const em = look.fontSize * EMU_PER_POINT;
  const inner = width - 2 * INSET_X - indent;
  if (inner <= 0) return undefined;
  const perLine = Math.max(1, Math.floor(inner / (em * averageCharWidth(look.font))));
  const wrapped = shape.paragraphs.reduce((n, p) => n + wrappedLines(p, inner / em, look.font), 0);
  return { em, line: lineHeight(look.font), perLine, lines: wrapped + (shape.extraLines ?? 0) };
}

/** The lines the shape's text wraps to in a frame `width` EMU wide (undefined when no text fits). */
export function textLines(shape: Shape, width: number, look: TextLook = textLook(shape)): number | undefined {
  return layout(shape, width, look, look.bulleted ? BULLET_INDENT : 0)?.lines;
}

/** The height the shape's text takes in a frame `width` EMU wide, insets and paragraph spacing included. */
export function textHeight(
  shape: Shape,
  width: number,
  look: TextLook = textLook(shape),
): number | undefined {
  const text = layout(shape, width, look, look.bulleted ? BULLET_INDENT : 0);
  if (text === undefined) return undefined;
  return (text.lines * text.line + shape.paragraphs.length * PARAGRAPH_EM) * text.em + 2 * INSET_Y;
}

/**
 * Whether the shape's text still fits a narrower box at its own size, wrapped with its face's
 * advance widths; when in doubt it says no (bullet indent, paragraph spacing, 10% to spare, over 8
 * characters a line).
 */
export function textFits(shape: Shape, box: Box, look: TextLook = textLook(shape)): boolean {
  const text = layout(shape, box.width, look, look.bulleted ? BULLET_INDENT : 0);
  const height = textHeight(shape, box.width, look);
  if (text === undefined || height === undefined) return false;
  return height <= box.height * 0.9 && text.perLine > 8;
}

/**
 * Where the shape's text is drawn, which is what a picture must keep clear of:
 * - a frame that is drawn itself (a fill or an outline) is seen whole;
 * - text too long for its frame is drawn past it — below a top-anchored frame, above a
 *   bottom-anchored one, both ways when centred — unless PowerPoint shrinks it to fit;
 * - text shorter than an undrawn frame takes only its part of it (the top of a top-anchored
 *   frame …), with a quarter more and 0.15 in to spare, so a picture may use the empty rest.
 * Clamped to the slide. A turned frame counts whole.
 */
export function renderedTextBox(
  shape: Shape,
  box: Box,
  slide: { width: number; height: number },
  look: TextLook = textLook(shape),
): Box {
  // Turned text runs across its bounds: only the whole frame is a safe estimate.
  if (shape.paragraphs.length === 0 || shape.rotated) return box;
  const height = textHeight(shape, box.width, look);
  if (height === undefined) return box;
  const anchor = look.anchor ?? 't';
  if (height > box.height) {
    if (look.autofit === 'shrink') return box;
    const extra = height - box.height;
    const above = anchor === 'b' ? extra : anchor === 'ctr' ? extra / 2 : 0;
    const top = Math.max(0, box.y - above);
    const bottom = Math.min(slide.height, box.y + box.height + (extra - above));
    return { x: box.x, y: top, width: box.width, height: Math.max(box.height, bottom - top) };
  }
  if (look.frameDrawn) return box;
  const used = Math.min(box.height, height * 1.25 + 0.15 * EMU_PER_INCH);
  const y =
    anchor === 'b' ? box.y + box.height - used : anchor === 'ctr' ? box.y + (box.height - used) / 2 : box.y;
  return { x: box.x, y, width: box.width, height: used };
}
