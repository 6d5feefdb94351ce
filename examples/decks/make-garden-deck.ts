/**
 * Writes garden.pptx, a small real deck made with pptxgenjs, for `matryoshka slides`:
 *   npx tsx examples/decks/make-garden-deck.ts
 * It covers what the illustrator must handle: a title slide, full-width bullets (no free area until
 * the text is narrowed), bullets on the left, a layout with a picture placeholder, a slide that
 * already has a picture, and speaker-notes directives.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import PptxGenJS from 'pptxgenjs';

// A 2×2 PNG (green and white checks): the picture that slide 5 already has.
const CHECKS_PNG =
  'image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGPQ6w7///8/w/////W6wwE4cggbtX1I8wAAAABJRU5ErkJggg==';

export function buildGardenDeck(): PptxGenJS {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.title = 'A Year in the Garden';
  pptx.defineSlideMaster({
    title: 'PICTURE_RIGHT',
    background: { color: 'FFFFFF' },
    objects: [
      { placeholder: { options: { name: 'title', type: 'title', x: 0.6, y: 0.4, w: 12, h: 1.1 }, text: '' } },
      { placeholder: { options: { name: 'body', type: 'body', x: 0.6, y: 1.8, w: 6.4, h: 4.8 }, text: '' } },
      { placeholder: { options: { name: 'photo', type: 'pic', x: 7.6, y: 1.8, w: 5.1, h: 4.8 }, text: '' } },
    ],
  });

  const title = pptx.addSlide();
  title.addText('A Year in the Garden', {
    x: 0.8,
    y: 2.2,
    w: 11.7,
    h: 1.4,
    fontSize: 44,
    bold: true,
    align: 'center',
  });
  title.addText('Planting, growing and harvesting vegetables', {
    x: 0.8,
    y: 3.7,
    w: 11.7,
    h: 0.8,
    fontSize: 22,
    align: 'center',
    color: '555555',
  });
  title.addNotes('Welcome everyone.\nillustrate: a green sprout growing from the soil');

  const spring = pptx.addSlide();
  spring.addText('Spring: sowing seeds', { x: 0.6, y: 0.4, w: 12, h: 1.0, fontSize: 36, bold: true });
  spring.addText(
    [
      { text: 'Start tomatoes and peppers indoors in March', options: { bullet: true } },
      { text: 'Sow peas and spinach outside once the soil thaws', options: { bullet: true } },
      { text: 'Harden seedlings off for a week before planting out', options: { bullet: true } },
    ],
    { x: 0.6, y: 1.6, w: 12, h: 4.8, fontSize: 24, valign: 'top' },
  );

  const summer = pptx.addSlide();
  summer.addText('Summer: watering', { x: 0.6, y: 0.4, w: 7, h: 1.0, fontSize: 36, bold: true });
  summer.addText(
    [
      { text: 'Water deeply in the early morning', options: { bullet: true } },
      { text: 'Mulch to keep the soil cool and moist', options: { bullet: true } },
    ],
    { x: 0.6, y: 1.6, w: 7, h: 4.8, fontSize: 24, valign: 'top' },
  );

  const autumn = pptx.addSlide({ masterName: 'PICTURE_RIGHT' });
  autumn.addText('Autumn: the harvest', { placeholder: 'title' });
  autumn.addText('Pumpkins, apples and the last tomatoes', { placeholder: 'body' });

  const winter = pptx.addSlide();
  winter.addText('Winter: planning', { x: 0.6, y: 0.4, w: 7, h: 1.0, fontSize: 36, bold: true });
  winter.addText('Order seeds and sketch next year’s beds', { x: 0.6, y: 1.6, w: 7, h: 1.0, fontSize: 24 });
  winter.addImage({ data: CHECKS_PNG, x: 8.2, y: 1.6, w: 4, h: 4 });

  const rockets = pptx.addSlide();
  rockets.addText('Questions?', { x: 0.6, y: 0.4, w: 12, h: 1.0, fontSize: 36, bold: true });
  rockets.addNotes('illustrate: a red apple');

  const thanks = pptx.addSlide();
  thanks.addText('Thank you', { x: 0.6, y: 3, w: 12, h: 1.2, fontSize: 40, bold: true, align: 'center' });
  thanks.addNotes('illustrate: no');
  return pptx;
}

/**
 * pptxgenjs writes a "pic" master placeholder without its type, so PowerPoint would see a generic
 * content placeholder. Put the type back in the layout and on the slide, and drop the slide's own
 * frame so it inherits the layout's, as PowerPoint writes a slide made from such a layout.
 */
export async function fixPicturePlaceholder(deck: Uint8Array): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(deck);
  const layout = 'ppt/slideLayouts/slideLayout2.xml';
  const slide = 'ppt/slides/slide4.xml';
  const addType = (xml: string) => xml.replace(/<p:ph\s+idx="102"/, '<p:ph type="pic" idx="102"');
  zip.file(layout, addType(await (zip.file(layout) as JSZip.JSZipObject).async('string')));
  const slideXml = addType(await (zip.file(slide) as JSZip.JSZipObject).async('string')).replace(
    /(<p:cNvPr id="4" name=")Text 0("[\s\S]*?<p:spPr>)<a:xfrm>[\s\S]*?<\/a:xfrm>/,
    '$1Picture Placeholder 3$2',
  );
  zip.file(slide, slideXml);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = fileURLToPath(new URL('./garden.pptx', import.meta.url));
  const raw = (await buildGardenDeck().write({ outputType: 'uint8array' })) as Uint8Array;
  const bytes = await fixPicturePlaceholder(raw);
  await writeFile(out, bytes);
  console.log(`wrote ${out} (${bytes.length} bytes)`);
}
