import type { Box } from '../geometry.js';
import type { Shape } from './shapes.js';

const EMU_PER_POINT = 12_700;
// Body text a size is not set on is drawn at the theme's body size: 18 pt in Office's default theme.
const DEFAULT_POINTS = 18;
// An average glyph of a proportional Latin font is about half an em wide; lines are 1.2 em apart.
const EM_PER_CHAR = 0.5;
const LINE_EM = 1.2;
// PowerPoint's default text insets: 0.1 in left and right, 0.05 in top and bottom.
const INSET_X = 91_440;
const INSET_Y = 45_720;

/** Lines of the shape's text at its own size in a frame `width` EMU wide (characters at an average glyph width). */
function layout(shape: Shape, width: number): { em: number; perLine: number; lines: number } | undefined {
  const em = (shape.fontSize ?? DEFAULT_POINTS) * EMU_PER_POINT;
  const inner = width - 2 * INSET_X;
  if (inner <= 0) return undefined;
  const perLine = Math.max(1, Math.floor(inner / (em * EM_PER_CHAR)));
  const lines = shape.paragraphs.reduce((n, p) => n + Math.max(1, Math.ceil(p.length / perLine)), 0);
  return { em, perLine, lines };
}

/** The height the shape's text takes in a frame `width` EMU wide, insets included. */
export function textHeight(shape: Shape, width: number): number | undefined {
  const text = layout(shape, width);
  return text === undefined ? undefined : text.lines * LINE_EM * text.em + 2 * INSET_Y;
}

/**
 * Whether the shape's text still fits a narrower box at its own size. An estimate, not font
 * metrics: when in doubt it says no (0.1 in insets all round, 10% to spare, over 8 characters a line).
 */
export function textFits(shape: Shape, box: Box): boolean {
  const text = layout(shape, box.width);
  if (text === undefined) return false;
  return text.lines * LINE_EM * text.em <= (box.height - 2 * INSET_X) * 0.9 && text.perLine > 8;
}

/**
 * Where the shape's text is drawn: its frame, or more where the text overflows it — below a
 * top-anchored frame, above a bottom-anchored one, both ways when centred (titles inherit a centred
 * or bottom anchor; body text a top one). Text that PowerPoint shrinks to fit stays in its frame.
 * Clamped to the slide.
 */
export function renderedTextBox(
  shape: Shape,
  box: Box,
  slide: { width: number; height: number },
  title = false,
): Box {
  if (shape.paragraphs.length === 0 || shape.textBody?.autofit === 'shrink') return box;
  const height = textHeight(shape, box.width);
  if (height === undefined || height <= box.height) return box;
  const extra = height - box.height;
  const anchor = shape.textBody?.anchor ?? (title ? 'ctr' : 't');
  const above = anchor === 'b' ? extra : anchor === 'ctr' ? extra / 2 : 0;
  const top = Math.max(0, box.y - above);
  const bottom = Math.min(slide.height, box.y + box.height + (extra - above));
  return { x: box.x, y: top, width: box.width, height: Math.max(box.height, bottom - top) };
}
