import type { Box } from '../geometry.js';
import { coverCrop } from './cover-crop.js';
import type { SlideModel } from './deck-model.js';
import type { SlidePlan } from './plan-slide.js';
import {
  attr,
  attributesOf,
  child,
  childrenOf,
  descendants,
  element,
  path,
  rootElement,
  setAttr,
  tagOf,
  type XmlNode,
} from './xml.js';

const RELATIONSHIPS_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export interface PictureSpec {
  relId: string;
  image: { width: number; height: number };
  /** Alternative text: the prompt the picture was drawn from. */
  description: string;
}

/**
 * Edits the slide's XML tree in place: adds the picture (filling the placeholder it targets, so the
 * placeholder keeps its id, name and idx) and applies any narrowing of text boxes. Nothing else in
 * the tree is touched.
 */
export function insertPicture(
  slide: SlideModel,
  plan: Extract<SlidePlan, { kind: 'place' }>,
  spec: PictureSpec,
): void {
  const spTree = slide.spTree;
  if (spTree === undefined) throw new Error(`slide ${slide.number} has no shape tree`);
  const root = rootElement(slide.doc);
  if (attributesOf(root)['xmlns:r'] === undefined) setAttr(root, 'xmlns:r', RELATIONSHIPS_NS);

  for (const { shape, box } of plan.narrow) setFrame(shape.node, box);

  const box = plan.placement.box;
  const list = childrenOf(spTree);
  if (plan.target !== undefined) {
    const at = list.indexOf(plan.target.node);
    list.splice(at, 1, pictureFromPlaceholder(plan.target.node, box, spec));
    return;
  }
  const id = String(nextShapeId(spTree));
  const ph = plan.layoutPlaceholder?.placeholder;
  const nvPr =
    ph === undefined
      ? []
      : [element('p:ph', { type: 'pic', ...(ph.idx === undefined ? {} : { idx: ph.idx }) })];
  const picture = element('p:pic', {}, [
    element('p:nvPicPr', {}, [
      element('p:cNvPr', { id, name: `Illustration ${id}`, descr: spec.description }),
      element('p:cNvPicPr', {}, [element('a:picLocks', { noChangeAspect: '1' })]),
      element('p:nvPr', {}, nvPr),
    ]),
    blipFill(box, spec),
    element('p:spPr', {}, [xfrm(box), element('a:prstGeom', { prst: 'rect' }, [element('a:avLst')])]),
  ]);
  // p:extLst must stay the last child of p:spTree.
  const extLst = list.findIndex((n) => tagOf(n) === 'p:extLst');
  list.splice(extLst < 0 ? list.length : extLst, 0, picture);
}

/** Turns an empty `<p:sp>` picture placeholder into the `<p:pic>` PowerPoint makes when one is filled. */
function pictureFromPlaceholder(sp: XmlNode, box: Box, spec: PictureSpec): XmlNode {
  const nvSpPr = child(sp, 'p:nvSpPr');
  const cNvPr = child(nvSpPr, 'p:cNvPr') ?? element('p:cNvPr', { id: '0', name: 'Picture' });
  if (attr(cNvPr, 'descr') === undefined) setAttr(cNvPr, 'descr', spec.description);
  const nvPr = child(nvSpPr, 'p:nvPr') ?? element('p:nvPr');
  // The placeholder's own shape properties (geometry, outline) carry over; only the frame is made explicit.
  const spPr = child(sp, 'p:spPr') ?? element('p:spPr');
  const spPrChildren = childrenOf(spPr).filter((n) => tagOf(n) !== 'a:xfrm');
  return element('p:pic', {}, [
    element('p:nvPicPr', {}, [
      cNvPr,
      element('p:cNvPicPr', {}, [element('a:picLocks', { noGrp: '1', noChangeAspect: '1' })]),
      nvPr,
    ]),
    blipFill(box, spec),
    { 'p:spPr': [xfrm(box), ...spPrChildren], ...(spPr[':@'] === undefined ? {} : { ':@': spPr[':@'] }) },
  ]);
}

function blipFill(box: Box, spec: PictureSpec): XmlNode {
  const crop = coverCrop(spec.image, box);
  const cropped = crop.l + crop.t + crop.r + crop.b > 0;
  return element('p:blipFill', {}, [
    element('a:blip', { 'r:embed': spec.relId }),
    ...(cropped
      ? [element('a:srcRect', Object.fromEntries(Object.entries(crop).map(([k, v]) => [k, String(v)])))]
      : []),
    element('a:stretch', {}, [element('a:fillRect')]),
  ]);
}

function xfrm(box: Box): XmlNode {
  return element('a:xfrm', {}, [
    element('a:off', { x: String(Math.round(box.x)), y: String(Math.round(box.y)) }),
    element('a:ext', { cx: String(Math.round(box.width)), cy: String(Math.round(box.height)) }),
  ]);
}

/** Gives a shape an explicit frame (a:xfrm is the first child of p:spPr), keeping its rotation and flips. */
function setFrame(shape: XmlNode, box: Box): void {
  const spPr = child(shape, 'p:spPr');
  if (spPr === undefined) return;
  const existing = child(spPr, 'a:xfrm');
  if (existing === undefined) {
    childrenOf(spPr).unshift(xfrm(box));
    return;
  }
  const off = path(existing, 'a:off');
  const ext = path(existing, 'a:ext');
  if (off !== undefined) {
    setAttr(off, 'x', String(Math.round(box.x)));
    setAttr(off, 'y', String(Math.round(box.y)));
  }
  if (ext !== undefined) {
    setAttr(ext, 'cx', String(Math.round(box.width)));
    setAttr(ext, 'cy', String(Math.round(box.height)));
  }
}

function nextShapeId(spTree: XmlNode): number {
  let max = 0;
  for (const node of descendants(spTree, 'p:cNvPr')) max = Math.max(max, Number(attr(node, 'id')) || 0);
  const own = path(spTree, 'p:nvGrpSpPr', 'p:cNvPr');
  return Math.max(max, Number(attr(own, 'id')) || 0) + 1;
}
