import { MatryoshkaError } from '@matryoshka/core';
import type { Box } from '../geometry.js';
import type { OpcPackage } from './opc-package.js';
import { relsPartFor } from './part-names.js';
import { Relationships } from './relationships.js';
import { matchPlaceholder, readShapes, type Shape } from './shapes.js';
import {
  attr,
  child,
  descendants,
  parseXml,
  path,
  rootElement,
  runText,
  tagOf,
  type XmlDocument,
  type XmlNode,
} from './xml.js';

export interface SlideModel {
  /** 1-based position in the deck. */
  number: number;
  part: string;
  doc: XmlDocument;
  rels: Relationships;
  spTree: XmlNode | undefined;
  shapes: Shape[];
  layoutShapes: Shape[];
  masterShapes: Shape[];
  /** The text of the speaker notes' body. */
  notes: string;
  hidden: boolean;
  /** The slide itself sets a picture background. */
  pictureBackground: boolean;
  /** Its layout's type (`title`, `secHead`, `obj`, …), when the layout says. */
  layoutType?: string;
  /** The master's text sizes in points and typefaces (p:txStyles, first level), where it sets them. */
  textStyle?: TextStyle;
  /** The theme's heading (major) and body (minor) Latin typefaces, which +mj-lt and +mn-lt name. */
  themeFonts?: ThemeFonts;
}

export interface TextStyle {
  title?: number;
  body?: number;
  other?: number;
  titleFont?: string;
  bodyFont?: string;
  otherFont?: string;
}

export interface ThemeFonts {
  major?: string;
  minor?: string;
}

/** The Latin typefaces of a theme's font scheme. */
function readThemeFonts(theme: XmlNode): ThemeFonts {
  const scheme = path(theme, 'a:themeElements', 'a:fontScheme');
  const face = (tag: string) => attr(path(scheme, tag, 'a:latin'), 'typeface') || undefined;
  const major = face('a:majorFont');
  const minor = face('a:minorFont');
  return { ...(major ? { major } : {}), ...(minor ? { minor } : {}) };
}

/** First-level sizes of a master's p:txStyles (titleStyle, bodyStyle, otherStyle). */
function readTextStyle(root: XmlNode): TextStyle | undefined {
  const txStyles = child(root, 'p:txStyles');
  if (txStyles === undefined) return undefined;
  const style: TextStyle = {};
  for (const [key, tag] of [
    ['title', 'p:titleStyle'],
    ['body', 'p:bodyStyle'],
    ['other', 'p:otherStyle'],
  ] as const) {
    const defRPr = path(txStyles, tag, 'a:lvl1pPr', 'a:defRPr');
    const pt = Number(attr(defRPr, 'sz')) / 100;
    if (Number.isFinite(pt) && pt > 0) style[key] = pt;
    const typeface = attr(child(defRPr, 'a:latin'), 'typeface');
    if (typeface) style[`${key}Font`] = typeface;
  }
  return style;
}

export interface DeckModel {
  size: { width: number; height: number };
  slides: SlideModel[];
}

const damaged = (pkg: OpcPackage, what: string) =>
  new MatryoshkaError('INVALID_REQUEST', `${pkg.label} is not a valid presentation: ${what}`);

// 10 in × 7.5 in: the size ECMA-376 gives a presentation without p:sldSz.
const DEFAULT_SIZE = { width: 9_144_000, height: 6_858_000 };

/** Reads and parses one XML part; a part that is not well-formed is the deck's fault, named in the error. */
async function readXml(pkg: OpcPackage, part: string): Promise<XmlDocument> {
  const text = await pkg.readText(part);
  try {
    return parseXml(text);
  } catch (error) {
    throw damaged(pkg, `the part "${part}" is not well-formed XML: ${(error as Error).message}`);
  }
}

/** The relationships of a part (none when it has no .rels), refusing a .rels that is not well-formed. */
async function readRels(pkg: OpcPackage, source: string): Promise<Relationships> {
  const part = relsPartFor(source);
  const text = pkg.has(part) ? await pkg.readText(part) : undefined;
  try {
    return Relationships.parse(source, text);
  } catch (error) {
    throw damaged(pkg, `the part "${part}" is not well-formed XML: ${(error as Error).message}`);
  }
}

export async function loadDeck(pkg: OpcPackage): Promise<DeckModel> {
  const rootRels = await readRels(pkg, '');
  const main = rootRels.find('officeDocument')?.part;
  if (main === undefined || !pkg.has(main)) throw damaged(pkg, 'the package names no main presentation part');
  const presentation = rootElement(await readXml(pkg, main));
  if (tagOf(presentation) !== 'p:presentation') {
    throw damaged(pkg, `its main part "${main}" is not a PresentationML presentation`);
  }
  const presentationRels = await readRels(pkg, main);
  const sldSz = child(presentation, 'p:sldSz');
  const size =
    sldSz === undefined
      ? DEFAULT_SIZE
      : {
          width: Number(attr(sldSz, 'cx')) || DEFAULT_SIZE.width,
          height: Number(attr(sldSz, 'cy')) || DEFAULT_SIZE.height,
        };

  type PartShapes = {
    shapes: Shape[];
    rels: Relationships;
    type: string | undefined;
    textStyle: TextStyle | undefined;
    themeFonts: ThemeFonts | undefined;
  };
  const shapesCache = new Map<string, PartShapes>();
  const shapesOf = async (part: string | undefined): Promise<PartShapes> => {
    if (part === undefined || !pkg.has(part))
      return {
        shapes: [],
        rels: Relationships.parse(part ?? '', undefined),
        type: undefined,
        textStyle: undefined,
        themeFonts: undefined,
      };
    const cached = shapesCache.get(part);
    if (cached !== undefined) return cached;
    const root = rootElement(await readXml(pkg, part));
    const rels = await readRels(pkg, part);
    // Only a master has a theme; a theme that cannot be read only costs the typeface names.
    const themePart = rels.find('theme')?.part;
    const themeFonts =
      themePart !== undefined && pkg.has(themePart)
        ? await readXml(pkg, themePart).then(
            (theme) => readThemeFonts(rootElement(theme)),
            () => undefined,
          )
        : undefined;
    const entry = {
      shapes: readShapes(path(root, 'p:cSld', 'p:spTree')),
      rels,
      type: attr(root, 'type'),
      textStyle: readTextStyle(root),
      themeFonts,
    };
    shapesCache.set(part, entry);
    return entry;
  };

  const slides: SlideModel[] = [];
  const ids = descendants(child(presentation, 'p:sldIdLst') ?? {}, 'p:sldId');
  for (const [index, sldId] of ids.entries()) {
    const relId = attr(sldId, 'r:id');
    const part = relId === undefined ? undefined : presentationRels.byId(relId)?.part;
    if (part === undefined || !pkg.has(part))
      throw damaged(pkg, `slide ${index + 1} points to a part that is missing`);
    const doc = await readXml(pkg, part);
    const root = rootElement(doc);
    const rels = await readRels(pkg, part);
    const layout = await shapesOf(rels.find('slideLayout')?.part);
    const master = await shapesOf(layout.rels.find('slideMaster')?.part);
    const notesPart = rels.find('notesSlide')?.part;
    const notes =
      notesPart !== undefined && pkg.has(notesPart) ? notesText(await readXml(pkg, notesPart)) : '';
    slides.push({
      number: index + 1,
      part,
      doc,
      rels,
      spTree: path(root, 'p:cSld', 'p:spTree'),
      shapes: readShapes(path(root, 'p:cSld', 'p:spTree')),
      layoutShapes: layout.shapes,
      masterShapes: master.shapes,
      notes,
      hidden: attr(root, 'show') === '0',
      pictureBackground: descendants(path(root, 'p:cSld', 'p:bg') ?? {}, 'a:blipFill').length > 0,
      ...(layout.type === undefined ? {} : { layoutType: layout.type }),
      ...(master.textStyle === undefined ? {} : { textStyle: master.textStyle }),
      ...(master.themeFonts === undefined ? {} : { themeFonts: master.themeFonts }),
    });
  }
  if (slides.length === 0) throw damaged(pkg, 'it has no slides');
  return { size, slides };
}

/** The box a slide shape occupies: its own frame, else its layout placeholder's, else its master's. */
export function effectiveBox(shape: Shape, slide: SlideModel): Box | undefined {
  if (shape.ownBox !== undefined) return shape.ownBox;
  if (shape.placeholder === undefined) return undefined;
  const fromLayout = matchPlaceholder(slide.layoutShapes, shape.placeholder);
  if (fromLayout?.ownBox !== undefined) return fromLayout.ownBox;
  const masterKey = fromLayout?.placeholder ?? shape.placeholder;
  return matchPlaceholder(slide.masterShapes, masterKey)?.ownBox;
}

/** The layout placeholder a slide placeholder inherits from, and that one's master placeholder. */
export function inheritedShapes(shape: Shape, slide: SlideModel): Shape[] {
  if (shape.placeholder === undefined) return [];
  const fromLayout = matchPlaceholder(slide.layoutShapes, shape.placeholder);
  const fromMaster = matchPlaceholder(slide.masterShapes, fromLayout?.placeholder ?? shape.placeholder);
  return [fromLayout, fromMaster].filter((s): s is Shape => s !== undefined);
}

/** Notes text: the notes page's body placeholder (not the slide image or page number). */
function notesText(doc: XmlDocument): string {
  const shapes = readShapes(path(rootElement(doc), 'p:cSld', 'p:spTree'));
  const body = shapes.filter(
    (s) => s.placeholder?.type === 'body' || (s.placeholder === undefined && s.paragraphs.length > 0),
  );
  return body.map((s) => descendants(s.node, 'a:p').map(runText).join('\n')).join('\n');
}
