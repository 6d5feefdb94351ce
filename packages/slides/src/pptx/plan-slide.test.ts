import { describe, expect, it } from 'vitest';
import { overlaps, right } from '../geometry.js';
import type { SlideModel } from './deck-model.js';
import { hasPicture, isTitleSlide, planSlide, slideText } from './plan-slide.js';
import { Relationships } from './relationships.js';
import { readShapes } from './shapes.js';
import { parseXml, path, rootElement } from './xml.js';

const SIZE = { width: 12_192_000, height: 6_858_000 };
const NS =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';

const frame = (x: number, y: number, cx: number, cy: number, rot = 0) =>
  `<a:xfrm${rot ? ` rot="${rot * 60000}"` : ''}><a:off x="${x}" y="${y}"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm>`;

const textBox = (id: number, text: string, xfrm: string, ph = '') =>
  `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="Shape ${id}"/><p:cNvSpPr/><p:nvPr>${ph}</p:nvPr></p:nvSpPr><p:spPr>${xfrm}</p:spPr><p:txBody><a:bodyPr/><a:p><a:r><a:t>${text}</a:t></a:r></a:p></p:txBody></p:sp>`;

const bodyBox = (id: number, paragraphs: string[], xfrm: string, ph = '', spPr = '') =>
  `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="Shape ${id}"/><p:cNvSpPr/><p:nvPr>${ph}</p:nvPr></p:nvSpPr><p:spPr>${xfrm}${spPr}</p:spPr><p:txBody><a:bodyPr/>${paragraphs.map((t) => `<a:p><a:r><a:t>${t}</a:t></a:r></a:p>`).join('')}</p:txBody></p:sp>`;

const spTree = (shapes: string) =>
  `<p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${shapes}</p:spTree></p:cSld>`;

function slide(shapes: string, layoutShapes = '', masterShapes = ''): SlideModel {
  const doc = parseXml(`<?xml version="1.0"?><p:sld ${NS}>${spTree(shapes)}</p:sld>`);
  const tree = path(rootElement(doc), 'p:cSld', 'p:spTree');
  const layout = path(
    rootElement(parseXml(`<p:sldLayout ${NS}>${spTree(layoutShapes)}</p:sldLayout>`)),
    'p:cSld',
    'p:spTree',
  );
  return {
    number: 1,
    part: 'ppt/slides/slide1.xml',
    doc,
    rels: Relationships.parse('ppt/slides/slide1.xml', undefined),
    spTree: tree,
    shapes: readShapes(tree),
    layoutShapes: readShapes(layout),
    masterShapes: readShapes(
      path(
        rootElement(parseXml(`<p:sldMaster ${NS}>${spTree(masterShapes)}</p:sldMaster>`)),
        'p:cSld',
        'p:spTree',
      ),
    ),
    notes: '',
    hidden: false,
    pictureBackground: false,
  };
}

const inch = 914_400;

describe('planSlide', () => {
  it('keeps clear of text drawn past its frame, unless PowerPoint shrinks it to fit', () => {
    const points = Array.from(
      { length: 9 },
      (_, i) =>
        `<a:p><a:r><a:rPr sz="2400"/><a:t>Point ${i} of a long list that runs well past the bottom of its box</a:t></a:r></a:p>`,
    ).join('');
    const overflowing = (bodyPr: string) =>
      `<p:sp><p:nvSpPr><p:cNvPr id="2" name="Notes"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>${frame(0.5 * inch, 0.5 * inch, 7 * inch, 1.2 * inch)}</p:spPr><p:txBody>${bodyPr}${points}</p:txBody></p:sp>`;
    const plan = planSlide(slide(overflowing('<a:bodyPr/>')), SIZE);
    // Drawn from 0.5 in down to about 6 in: a picture may sit to its right, never below its frame on its left.
    expect(plan.kind).toBe('place');
    if (plan.kind === 'place') {
      const text = { x: 0.5 * inch, y: 0.5 * inch, width: 7 * inch, height: 5.5 * inch };
      expect(overlaps(plan.placement.box, text)).toBe(false);
      expect(plan.placement.box.x).toBeGreaterThanOrEqual(7.5 * inch);
    }
    const shrunk = planSlide(
      slide(overflowing('<a:bodyPr><a:normAutofit fontScale="55000"/></a:bodyPr>')),
      SIZE,
    );
    expect(shrunk.kind).toBe('place');
    if (shrunk.kind === 'place') expect(shrunk.placement.box.y).toBeGreaterThanOrEqual(1.7 * inch);
  });

  it('treats a rotated text box by the area it really covers', () => {
    // 6 in × 1 in turned 90° about its centre (9 in, 3.5 in): a column 1 in wide and 6 in tall.
    const rotated = textBox(2, 'Sideways', frame(6 * inch, 3 * inch, 6 * inch, 1 * inch, 90));
    const [shape] = slide(rotated).shapes;
    const box = shape?.ownBox;
    expect(box?.x).toBeCloseTo(8.5 * inch, -1);
    expect(box?.y).toBeCloseTo(0.5 * inch, -1);
    expect(box?.width).toBeCloseTo(1 * inch, -1);
    expect(box?.height).toBeCloseTo(6 * inch, -1);
    const plan = planSlide(slide(rotated), SIZE);
    if (plan.kind === 'place') expect(overlaps(plan.placement.box, box ?? plan.placement.box)).toBe(false);
  });

  it('fills an empty picture placeholder whose frame comes from the master, through the layout', () => {
    const ph = (id: number, xfrm: string, attrs: string) =>
      `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="P${id}"/><p:cNvSpPr/><p:nvPr><p:ph ${attrs}/></p:nvPr></p:nvSpPr><p:spPr>${xfrm}</p:spPr></p:sp>`;
    const onSlide = ph(3, '', 'type="pic" idx="14"');
    const inLayout = ph(4, '', 'type="pic" idx="14"');
    const inMaster = ph(5, frame(inch, 2 * inch, 4 * inch, 3 * inch), 'type="body" idx="1"');
    const plan = planSlide(slide(onSlide, inLayout, inMaster), SIZE);
    expect(plan).toMatchObject({
      kind: 'place',
      placement: { kind: 'placeholder', box: { x: inch, y: 2 * inch, width: 4 * inch, height: 3 * inch } },
    });
  });

  it('uses the layout’s picture placeholder when the slide does not', () => {
    const title = textBox(2, 'Harvest', frame(inch, inch / 2, 10 * inch, inch), '<p:ph type="title"/>');
    const layoutPicture = `<p:sp><p:nvSpPr><p:cNvPr id="5" name="Picture"/><p:cNvSpPr/><p:nvPr><p:ph type="pic" idx="13"/></p:nvPr></p:nvSpPr><p:spPr>${frame(7 * inch, 2 * inch, 5 * inch, 4 * inch)}</p:spPr></p:sp>`;
    const plan = planSlide(slide(title, layoutPicture), SIZE);
    expect(plan).toMatchObject({
      kind: 'place',
      placement: {
        kind: 'layout-placeholder',
        box: { x: 7 * inch, y: 2 * inch, width: 5 * inch, height: 4 * inch },
      },
    });
  });

  it('by default moves and resizes nothing: a slide whose text leaves no room gets no picture', () => {
    const title = textBox(2, 'Spring', frame(inch / 2, inch / 3, 12 * inch, inch), '<p:ph type="title"/>');
    const long = 'Sow peas and beans in rows a hand apart, then water them every morning. '.repeat(16);
    const body = textBox(3, long, frame(inch / 2, 1.6 * inch, 12.3 * inch, 5.5 * inch), '<p:ph idx="1"/>');
    expect(planSlide(slide(title + body), SIZE)).toMatchObject({ kind: 'skip', reason: 'no-space' });
  });

  it('short text in a large frame leaves the empty rest of it to the picture, never over the text', () => {
    const title = textBox(2, 'Spring', frame(inch / 2, inch / 3, 12 * inch, inch), '<p:ph type="title"/>');
    const body = bodyBox(
      3,
      ['Sow peas', 'Water daily'],
      frame(inch / 2, 1.6 * inch, 12.3 * inch, 5.5 * inch),
      '<p:ph idx="1"/>',
    );
    const plan = planSlide(slide(title + body), SIZE);
    expect(plan.kind).toBe('place');
    if (plan.kind !== 'place') return;
    // Two 18 pt lines take about 0.9 in from the frame's top: the picture starts below them.
    expect(plan.placement.box.y).toBeGreaterThan(2.4 * inch);
    expect(plan.narrow).toHaveLength(0);
  });

  it('a frame with its own fill or outline is seen whole, so its empty part is not free', () => {
    const filled = bodyBox(
      3,
      ['Sow peas'],
      frame(inch / 2, 1.6 * inch, 12.3 * inch, 5.5 * inch),
      '',
      '<a:solidFill><a:srgbClr val="EEEEEE"/></a:solidFill>',
    );
    const themed =
      `${bodyBox(4, ['Sow peas'], frame(inch / 2, 1.6 * inch, 12.3 * inch, 5.5 * inch))}`.replace(
        '</p:spPr>',
        '</p:spPr><p:style><a:lnRef idx="2"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="1"><a:schemeClr val="accent1"/></a:fillRef><a:effectRef idx="0"><a:schemeClr val="accent1"/></a:effectRef><a:fontRef idx="minor"/></p:style>',
      );
    const title = textBox(2, 'Spring', frame(inch / 2, inch / 3, 12 * inch, inch), '<p:ph type="title"/>');
    for (const box of [filled, themed]) {
      expect(planSlide(slide(title + box), SIZE)).toMatchObject({ kind: 'skip', reason: 'no-space' });
    }
  });

  it('with makeRoom, never narrows a box whose text would no longer fit at its size', () => {
    const title = textBox(2, 'Spring', frame(inch / 2, inch / 3, 12 * inch, inch), '<p:ph type="title"/>');
    // About 20 lines at 18 pt once narrowed to 60 % of the slide, in a box with room for 16.
    const long = 'Sow peas and beans in rows a hand apart, then water them every morning. '.repeat(16);
    const body = textBox(3, long, frame(inch / 2, 1.6 * inch, 12.3 * inch, 5.5 * inch), '<p:ph idx="1"/>');
    expect(planSlide(slide(title + body), SIZE, { makeRoom: true })).toMatchObject({
      kind: 'skip',
      reason: 'no-space',
    });
  });

  it('with makeRoom, narrows a full-width body to 60 % of the slide and puts the picture beside it', () => {
    const title = textBox(2, 'Spring', frame(inch / 2, inch / 3, 12 * inch, inch), '<p:ph type="title"/>');
    // Ten short points fill the frame's height; none of them wraps at 60 % of the width.
    const points = Array.from({ length: 10 }, (_, i) => `Sow row ${i + 1}`);
    const body = bodyBox(3, points, frame(inch / 2, 1.6 * inch, 12.3 * inch, 5.5 * inch), '<p:ph idx="1"/>');
    expect(planSlide(slide(title + body), SIZE)).toMatchObject({ kind: 'skip', reason: 'no-space' });
    const plan = planSlide(slide(title + body), SIZE, { makeRoom: true });
    expect(plan.kind).toBe('place');
    if (plan.kind !== 'place') return;
    expect(plan.placement.kind).toBe('beside-text');
    expect(plan.narrow).toHaveLength(1);
    expect(right(plan.narrow[0]?.box ?? plan.placement.box)).toBe(SIZE.width * 0.6);
    expect(plan.placement.box.x).toBeGreaterThan(SIZE.width * 0.6);
  });

  it('skips a slide whose title fills it rather than covering text', () => {
    // Its own fill makes the whole frame seen, text or not.
    const title = bodyBox(
      2,
      ['Big'],
      frame(0, 0, SIZE.width, SIZE.height),
      '<p:ph type="ctrTitle"/>',
      '<a:solidFill><a:srgbClr val="203040"/></a:solidFill>',
    );
    expect(planSlide(slide(title), SIZE)).toMatchObject({ kind: 'skip', reason: 'no-space' });
  });

  describe('keeps clear of the layout’s and master’s artwork', () => {
    const pic = (id: number, xfrm: string) =>
      `<p:pic><p:nvPicPr><p:cNvPr id="${id}" name="Art ${id}"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rId9"/></p:blipFill><p:spPr>${xfrm}</p:spPr></p:pic>`;
    const band = (id: number, xfrm: string) =>
      `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="Band ${id}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>${xfrm}<a:solidFill><a:srgbClr val="1F4E79"/></a:solidFill></p:spPr></p:sp>`;
    const title = textBox(
      2,
      'Our garden plan',
      frame(inch / 2, inch / 2, 6 * inch, inch),
      '<p:ph type="title"/>',
    );
    const placedClear = (
      plan: ReturnType<typeof planSlide>,
      art: { x: number; y: number; width: number; height: number },
    ) => plan.kind === 'skip' || !overlaps(plan.placement.box, art);

    it('a large picture in the layout (half the slide) is never covered', () => {
      const art = { x: SIZE.width / 2, y: 0, width: SIZE.width / 2, height: SIZE.height };
      const plan = planSlide(slide(title, pic(7, frame(art.x, art.y, art.width, art.height))), SIZE);
      expect(placedClear(plan, art)).toBe(true);
      expect(plan.kind).toBe('place');
    });

    it('a filled banner without text in the master is artwork too', () => {
      const art = { x: SIZE.width - 3 * inch, y: 0, width: 3 * inch, height: SIZE.height };
      const plan = planSlide(slide(title, '', band(8, frame(art.x, art.y, art.width, art.height))), SIZE);
      expect(plan.kind).toBe('place');
      expect(placedClear(plan, art)).toBe(true);
    });

    it('a background picture over the whole slide is a backdrop, not an obstacle', () => {
      const plan = planSlide(slide(title, pic(7, frame(0, 0, SIZE.width, SIZE.height))), SIZE);
      expect(plan.kind).toBe('place');
    });
  });

  it('lets the picture take the place of an empty placeholder', () => {
    const empty = `<p:sp><p:nvSpPr><p:cNvPr id="4" name="Content"/><p:cNvSpPr/><p:nvPr><p:ph idx="2"/></p:nvPr></p:nvSpPr><p:spPr>${frame(0, 0, SIZE.width, SIZE.height)}</p:spPr><p:txBody><a:bodyPr/><a:p/></p:txBody></p:sp>`;
    expect(planSlide(slide(empty), SIZE).kind).toBe('place');
  });
});

describe('slideText and hasPicture', () => {
  it('reads the title placeholder first, the rest top to bottom, and leaves out footers', () => {
    const lower = textBox(3, 'Second point', frame(inch, 4 * inch, 5 * inch, inch));
    const upper = textBox(4, 'First point', frame(inch, 2 * inch, 5 * inch, inch));
    const footer = textBox(
      5,
      'ACME confidential',
      frame(inch, 7 * inch, 5 * inch, inch / 2),
      '<p:ph type="ftr" idx="11"/>',
    );
    const title = textBox(
      2,
      'Title &amp; more',
      frame(inch, inch / 2, 5 * inch, inch),
      '<p:ph type="title"/>',
    );
    expect(slideText(slide(lower + upper + footer + title))).toEqual({
      title: 'Title & more',
      body: ['First point', 'Second point'],
    });
  });

  it('sees pictures inside groups and charts as pictures, tables not', () => {
    const group = `<p:grpSp><p:nvGrpSpPr><p:cNvPr id="7" name="Group"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr>${frame(0, 0, inch, inch)}</p:grpSpPr><p:pic><p:nvPicPr><p:cNvPr id="8" name="Logo"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rId2"/></p:blipFill><p:spPr/></p:pic></p:grpSp>`;
    const graphic = (uri: string) =>
      `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="9" name="G"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/><a:ext cx="1" cy="1"/></p:xfrm><a:graphic><a:graphicData uri="${uri}"/></a:graphic></p:graphicFrame>`;
    expect(hasPicture(slide(group))).toBe(true);
    expect(hasPicture(slide(graphic('http://schemas.openxmlformats.org/drawingml/2006/chart')))).toBe(true);
    expect(hasPicture(slide(graphic('http://schemas.openxmlformats.org/drawingml/2006/table')))).toBe(false);
  });

  it('tells cover and section slides (a centred title, or a title or section layout) from content slides', () => {
    const cover = textBox(
      2,
      'Our garden',
      frame(inch, 2 * inch, 10 * inch, 2 * inch),
      '<p:ph type="ctrTitle"/>',
    );
    const title = textBox(2, 'Spring', frame(inch / 2, inch / 3, 12 * inch, inch), '<p:ph type="title"/>');
    expect(isTitleSlide(slide(cover))).toBe(true);
    expect(isTitleSlide(slide(title))).toBe(false);
    expect(isTitleSlide({ ...slide(title), layoutType: 'secHead' })).toBe(true);
    expect(isTitleSlide({ ...slide(title), layoutType: 'obj' })).toBe(false);
  });
});
