import { FACES, type Face, RANGES } from './font-metrics.js';

/** A typeface as text is measured in: a metric-compatible face and its weight. */
export interface Font {
  face: Face;
  bold: boolean;
}

// Office and web typefaces by the metric-compatible face they are measured with.
const FACE_OF: Record<string, Face> = {
  calibri: 'carlito',
  'calibri light': 'carlito',
  carlito: 'carlito',
  cambria: 'caladea',
  caladea: 'caladea',
  arial: 'liberation-sans',
  helvetica: 'liberation-sans',
  'helvetica neue': 'liberation-sans',
  arimo: 'liberation-sans',
  'liberation sans': 'liberation-sans',
  aptos: 'liberation-sans',
  roboto: 'liberation-sans',
  'segoe ui': 'liberation-sans',
  'times new roman': 'liberation-serif',
  times: 'liberation-serif',
  tinos: 'liberation-serif',
  'liberation serif': 'liberation-serif',
  georgia: 'liberation-serif',
  garamond: 'liberation-serif',
  'arial narrow': 'liberation-sans-narrow',
  'liberation sans narrow': 'liberation-sans-narrow',
  'courier new': 'liberation-mono',
  courier: 'liberation-mono',
  cousine: 'liberation-mono',
  consolas: 'liberation-mono',
  'liberation mono': 'liberation-mono',
  verdana: 'dejavu-sans',
  tahoma: 'dejavu-sans',
  'dejavu sans': 'dejavu-sans',
  'open sans': 'dejavu-sans',
  'trebuchet ms': 'liberation-sans',
};
// A typeface we have no metrics for is measured in the widest face, so fits err on the safe side.
const UNKNOWN: Face = 'dejavu-sans';

/** The face a typeface name is measured in (the name as a:latin gives it). */
export function faceOf(typeface: string | undefined): Face {
  if (typeface === undefined || typeface.trim() === '') return 'carlito';
  return FACE_OF[typeface.trim().toLowerCase()] ?? UNKNOWN;
}

const average = new Map<string, number>();
function averageWidth(face: Face, bold: boolean): number {
  const key = `${face}/${bold}`;
  let value = average.get(key);
  if (value === undefined) {
    // Lowercase letters and the space: what running text is mostly made of.
    const sample = 'etaoinshrdlucmfwypvbgkqjxz ';
    value =
      [...sample].reduce((sum, c) => sum + charWidth(c.codePointAt(0) as number, face, bold), 0) /
      sample.length;
    average.set(key, value);
  }
  return value;
}

/** The advance of one code point in em. */
function charWidth(cp: number, face: Face, bold: boolean): number {
  const table = FACES[face][bold ? 'bold' : 'regular'];
  for (const [i, [lo, hi]] of RANGES.entries()) {
    if (cp >= lo && cp <= hi) {
      const width = table[i]?.[cp - lo] ?? 0;
      if (width > 0) return width / 1000;
      break;
    }
  }
  // CJK, kana, hangul and full-width forms are square; anything else unknown is an average glyph.
  if ((cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7af) || (cp >= 0xff00 && cp <= 0xff60))
    return 1;
  if (cp > 0xffff) return 1;
  return averageWidth(face, bold);
}

/** The width of a run of text in em. */
export function textWidth(text: string, font: Font): number {
  let width = 0;
  for (const c of text) width += charWidth(c.codePointAt(0) as number, font.face, font.bold);
  return width;
}

/** A typical character's width in em (lowercase running text). */
export const averageCharWidth = (font: Font): number => averageWidth(font.face, font.bold);

/** Single-spaced line height in em. */
export const lineHeight = (font: Font): number => Math.max(1.2, FACES[font.face].line);

/**
 * The lines a paragraph takes in `width` em, wrapped as PowerPoint wraps: at spaces, a word longer
 * than the line broken between characters.
 */
export function wrappedLines(paragraph: string, width: number, font: Font): number {
  if (width <= 0) return Number.POSITIVE_INFINITY;
  const space = textWidth(' ', font);
  let lines = 1;
  let used = 0;
  for (const word of paragraph.split(/\s+/).filter((w) => w.length > 0)) {
    let w = textWidth(word, font);
    const needed = used === 0 ? w : used + space + w;
    if (needed <= width) {
      used = needed;
      continue;
    }
    if (used > 0) lines++;
    // A word wider than the line runs on over as many lines as it needs.
    while (w > width) {
      lines++;
      w -= width;
    }
    used = w;
  }
  return lines;
}
