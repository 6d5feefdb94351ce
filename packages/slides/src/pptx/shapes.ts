import { type Box, rotatedBounds } from '../geometry.js';
import { attr, child, childrenOf, descendants, path, runText, tagOf, type XmlNode } from './xml.js';

export interface Placeholder {
  /** The ph type; a ph without one is "obj" (content), per ECMA-376. */
  type: string;
  idx?: string;
}

export interface Shape {
  node: XmlNode;
  tag: string;
  id?: string;
  name?: string;
  placeholder?: Placeholder;
  /** The shape's own frame, before inheritance; undefined when it inherits one from its layout. */
  ownBox?: Box;
  /** Non-empty paragraphs, in order. */
  paragraphs: string[];
  /** A picture (p:pic, or a picture fill) is present in this shape or a shape inside it. */
  hasPicture: boolean;
  /** A chart, diagram, embedded object or media frame. */
  hasGraphic: boolean;
  /** The largest font size set on the shape's text, in points; undefined when all of it is inherited. */
  fontSize?: number;
  /** The Latin typeface its text sets (a name, or a theme font: +mj-lt, +mn-lt); undefined when inherited. */
  typeface?: string;
  /** Some of its text is set bold (then all of it is measured bold, to be safe). */
  bold?: boolean;
  /** How its text sits in its frame (a:bodyPr), where the shape itself says. */
  textBody?: TextBody;
  /** Its frame is turned (a:xfrm rot): its text does not run along the slide's axes. */
  rotated?: boolean;
  /** Lines its paragraphs do not show in `paragraphs`: empty paragraphs and line breaks. */
  extraLines?: number;
  /**
   * Whether the frame itself is drawn (a fill or an outline, its own or from its theme style):
   * then the whole frame is seen, not just its text. Undefined when the shape does not say.
   */
  frameDrawn?: boolean;
}

const FILLS = ['a:solidFill', 'a:gradFill', 'a:blipFill', 'a:pattFill', 'a:grpFill'];

/** A fill or outline the shape draws (p:spPr, else its theme style's fillRef/lnRef); undefined when unsaid. */
function readFrameDrawn(node: XmlNode): boolean | undefined {
  const spPr = child(node, 'p:spPr');
  const ln = child(spPr, 'a:ln');
  const style = child(node, 'p:style');
  const refDraws = (tag: string) => {
    const idx = attr(child(style, tag), 'idx');
    return idx === undefined ? undefined : idx !== '0';
  };
  const fill = FILLS.some((f) => child(spPr, f))
    ? true
    : child(spPr, 'a:noFill')
      ? false
      : refDraws('a:fillRef');
  const line = FILLS.some((f) => child(ln, f)) ? true : child(ln, 'a:noFill') ? false : refDraws('a:lnRef');
  if (fill === undefined && line === undefined) return undefined;
  return fill === true || line === true;
}

/** Where text that does not fit its frame goes: shrunk to fit, the frame grown, or drawn past it. */
export interface TextBody {
  anchor?: 't' | 'ctr' | 'b';
  autofit?: 'shrink' | 'grow' | 'none';
}

function readTextBody(node: XmlNode): TextBody | undefined {
  const bodyPr = path(node, 'p:txBody', 'a:bodyPr');
  if (bodyPr === undefined) return undefined;
  const anchor = attr(bodyPr, 'anchor');
  const autofit = child(bodyPr, 'a:normAutofit')
    ? 'shrink'
    : child(bodyPr, 'a:spAutoFit')
      ? 'grow'
      : child(bodyPr, 'a:noAutofit')
        ? 'none'
        : undefined;
  return {
    ...(anchor === 't' || anchor === 'ctr' || anchor === 'b' ? { anchor } : {}),
    ...(autofit ? { autofit } : {}),
  };
}

const TITLE_TYPES = new Set(['title', 'ctrTitle']);
const CHROME_TYPES = new Set(['dt', 'ftr', 'sldNum', 'hdr']);

export const isTitle = (shape: Shape): boolean =>
  shape.placeholder !== undefined && TITLE_TYPES.has(shape.placeholder.type);
export const isChrome = (shape: Shape): boolean =>
  shape.placeholder !== undefined && CHROME_TYPES.has(shape.placeholder.type);
export const isPicturePlaceholder = (shape: Shape): boolean => shape.placeholder?.type === 'pic';

/** The top-level shapes of a p:spTree (groups stay one shape: their frame bounds their children). */
export function readShapes(spTree: XmlNode | undefined): Shape[] {
  if (spTree === undefined) return [];
  const shapes: Shape[] = [];
  for (const node of childrenOf(spTree)) {
    const shape = readShape(node);
    if (shape !== undefined) shapes.push(shape);
  }
  return shapes;
}

function readShape(node: XmlNode): Shape | undefined {
  const tag = tagOf(node);
  if (tag === 'mc:AlternateContent') {
    // Consumers that do not know the Choice's namespace use the Fallback; geometry is the same in both.
    const branch = child(node, 'mc:Choice') ?? child(node, 'mc:Fallback');
    const inner =
      branch === undefined ? undefined : childrenOf(branch).find((c) => tagOf(c).startsWith('p:'));
    const shape = inner === undefined ? undefined : readShape(inner);
    return shape === undefined ? undefined : { ...shape, node, tag };
  }
  if (!['p:sp', 'p:pic', 'p:graphicFrame', 'p:grpSp', 'p:cxnSp', 'p:contentPart'].includes(tag))
    return undefined;
  const nv = childrenOf(node).find((c) => tagOf(c).startsWith('p:nv'));
  const cNvPr = child(nv, 'p:cNvPr');
  const ph = path(nv, 'p:nvPr', 'p:ph');
  const xfrm =
    tag === 'p:graphicFrame'
      ? child(node, 'p:xfrm')
      : tag === 'p:grpSp'
        ? path(node, 'p:grpSpPr', 'a:xfrm')
        : path(node, 'p:spPr', 'a:xfrm');
  const pictureFill =
    descendants(node, 'p:pic').length > 0 ||
    descendants(node, 'a:blipFill').length > 0 ||
    descendants(node, 'p:blipFill').length > 0;
  const graphicData = descendants(node, 'a:graphicData').map((g) => attr(g, 'uri') ?? '');
  const idx = attr(ph, 'idx');
  const ownBox = readBox(xfrm);
  const textBody = readTextBody(node);
  const allParagraphs = descendants(node, 'a:p');
  const extraLines =
    descendants(node, 'a:br').length + allParagraphs.filter((p) => runText(p).trim() === '').length;
  const frameDrawn = tag === 'p:sp' ? readFrameDrawn(node) : undefined;
  const runProps = ['a:rPr', 'a:defRPr', 'a:endParaRPr'].flatMap((t) => descendants(node, t));
  const sizes = runProps
    .map((r) => Number(attr(r, 'sz')) / 100)
    .filter((pt) => Number.isFinite(pt) && pt > 0);
  const typeface = runProps.map((r) => attr(child(r, 'a:latin'), 'typeface')).find((t) => t);
  const bold = runProps.some((r) => attr(r, 'b') === '1' || attr(r, 'b') === 'true');
  return {
    node,
    tag,
    ...(attr(cNvPr, 'id') === undefined ? {} : { id: attr(cNvPr, 'id') }),
    ...(attr(cNvPr, 'name') === undefined ? {} : { name: attr(cNvPr, 'name') }),
    ...(ph === undefined
      ? {}
      : { placeholder: { type: attr(ph, 'type') ?? 'obj', ...(idx === undefined ? {} : { idx }) } }),
    ...(ownBox === undefined ? {} : { ownBox }),
    paragraphs: allParagraphs
      .map((p) => runText(p).replace(/\s+/g, ' ').trim())
      .filter((text) => text.length > 0),
    hasPicture: tag === 'p:pic' || pictureFill,
    // Tables are text laid out in a grid: they block space but are not pictures.
    hasGraphic: graphicData.some((uri) => !uri.endsWith('/table')) || tag === 'p:contentPart',
    ...(sizes.length ? { fontSize: Math.max(...sizes) } : {}),
    ...(typeface ? { typeface } : {}),
    ...(bold ? { bold } : {}),
    ...(textBody ? { textBody } : {}),
    ...(extraLines > 0 ? { extraLines } : {}),
    ...(Number(attr(xfrm, 'rot') ?? 0) % 21_600_000 !== 0 ? { rotated: true } : {}),
    ...(frameDrawn === undefined ? {} : { frameDrawn }),
  };
}

/** An a:xfrm (or p:xfrm) as a box, rotation applied; undefined when it has no offset or extent. */
export function readBox(xfrm: XmlNode | undefined): Box | undefined {
  const off = child(xfrm, 'a:off');
  const ext = child(xfrm, 'a:ext');
  if (off === undefined || ext === undefined) return undefined;
  const box = {
    x: Number(attr(off, 'x')),
    y: Number(attr(off, 'y')),
    width: Number(attr(ext, 'cx')),
    height: Number(attr(ext, 'cy')),
  };
  if (![box.x, box.y, box.width, box.height].every(Number.isFinite)) return undefined;
  const rotation = Number(attr(xfrm, 'rot') ?? 0) / 60000;
  return rotation % 180 === 0 ? box : rotatedBounds(box, rotation);
}

/** Finds the layout (or master) placeholder a slide placeholder inherits from: by idx, else by type. */
export function matchPlaceholder(candidates: Shape[], placeholder: Placeholder): Shape | undefined {
  const withPh = candidates.filter((c) => c.placeholder !== undefined);
  if (placeholder.idx !== undefined) {
    const byIdx = withPh.find((c) => c.placeholder?.idx === placeholder.idx);
    if (byIdx !== undefined) return byIdx;
  }
  const type = placeholder.type;
  const sameType = (t: string) => t === type || (TITLE_TYPES.has(t) && TITLE_TYPES.has(type));
  const byType = withPh.find((c) => sameType(c.placeholder?.type ?? ''));
  if (byType !== undefined) return byType;
  // Masters only carry a "body" placeholder for every kind of content placeholder.
  if (type === 'obj' || type === 'body' || type === 'subTitle' || type === 'pic') {
    return withPh.find((c) => c.placeholder?.type === 'body');
  }
  return undefined;
}
