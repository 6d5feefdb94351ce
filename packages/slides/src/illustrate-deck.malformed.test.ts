import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatryoshkaError } from '@matryoshka/core';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { illustrateDeck } from './index.js';
import { readZipDirectory } from './pptx/zip-directory.js';
import { exampleDeck, tinyEngine } from './test-support/tiny-engine.test-support.js';
import type { IllustrateOptions } from './types.js';

const engine = tinyEngine();
afterAll(() => engine.close());

/** Writes `bytes` as deck.pptx in a fresh folder, runs the illustrator, and returns its error and the folder's files. */
async function failure(bytes: Uint8Array, options: IllustrateOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'slides-bad-'));
  const input = join(dir, 'deck.pptx');
  await writeFile(input, bytes);
  const error = await illustrateDeck(input, { engine, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(MatryoshkaError.isInstance(error), String(error)).toBe(true);
  // Nothing written: no output, no temporary file, the input as it was.
  expect(readdirSync(dir)).toEqual(['deck.pptx']);
  expect(Buffer.compare(await readFile(input), Buffer.from(bytes))).toBe(0);
  return error as MatryoshkaError;
}

async function gardenWith(edit: (zip: JSZip) => void | Promise<void>): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(await readFile(exampleDeck('garden.pptx')));
  await edit(zip);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** Rewrites the declared uncompressed size of one entry, in both its local header and the directory. */
function lieAboutSize(zip: Uint8Array, name: string, declared: number): Uint8Array {
  const out = new Uint8Array(zip);
  const view = new DataView(out.buffer);
  const encoded = new TextEncoder().encode(name);
  for (let i = 0; i + 46 < out.length; i++) {
    const signature = view.getUint32(i, true);
    const [nameAt, sizeAt] =
      signature === 0x04034b50 ? [30, 22] : signature === 0x02014b50 ? [46, 24] : [-1, -1];
    if (nameAt < 0) continue;
    const nameLength = view.getUint16(i + (signature === 0x04034b50 ? 26 : 28), true);
    if (nameLength !== encoded.length) continue;
    if (
      Buffer.compare(Buffer.from(out.subarray(i + nameAt, i + nameAt + nameLength)), Buffer.from(encoded)) !==
      0
    )
      continue;
    view.setUint32(i + sizeAt, declared, true);
  }
  return out;
}

describe('big but honest media is not mistaken for a bomb', () => {
  it('copies a large stored video through untouched, still stored, whatever the XML limits', async () => {
    const video = randomBytes(3 * 1024 * 1024);
    const deck = await gardenWith((zip) => {
      zip.file('ppt/media/talk.mp4', video, { compression: 'STORE' });
    });
    const dir = mkdtempSync(join(tmpdir(), 'slides-big-'));
    const input = join(dir, 'deck.pptx');
    await writeFile(input, deck);
    const output = join(dir, 'out.pptx');
    await illustrateDeck(input, { engine, output, slides: '3', limits: { maxPartBytes: 1024 * 1024 } });
    const bytes = await readFile(output);
    const entry = readZipDirectory(bytes, 'out.pptx').find((e) => e.name === 'ppt/media/talk.mp4');
    expect(entry).toMatchObject({ method: 0, uncompressedSize: video.length });
    const copy = await (await JSZip.loadAsync(bytes)).file('ppt/media/talk.mp4')?.async('uint8array');
    expect(Buffer.compare(Buffer.from(copy ?? []), video)).toBe(0);
  });
});

describe('malformed decks get a clear error and nothing is written', () => {
  it('a file that is not a zip', async () => {
    const error = await failure(new TextEncoder().encode('# My talk\n\nThis is Markdown saved as .pptx\n'));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).toMatch(/deck\.pptx is not a zip archive/);
  });

  it('a truncated download', async () => {
    const whole = await readFile(exampleDeck('garden.pptx'));
    const error = await failure(whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(error.message).toMatch(/not a zip archive|truncated|damaged/);
  });

  it('a zip bomb caught from its declared sizes', async () => {
    const bomb = await gardenWith((zip) => {
      zip.file('ppt/media/filler.bin', new Uint8Array(64 * 1024 * 1024));
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const error = await failure(bomb);
    expect(error.message).toMatch(/"ppt\/media\/filler\.bin" would inflate \d+-fold .*zip bomb/);
  });

  it('a zip bomb that lies about its sizes is stopped while inflating', async () => {
    const padded = await gardenWith(async (zip) => {
      const xml = await (zip.file('ppt/presentation.xml') as JSZip.JSZipObject).async('string');
      // 3 MiB of a comment makes the part big but keeps it valid XML.
      zip.file('ppt/presentation.xml', xml.replace('?>', `?><!--${' '.repeat(3 * 1024 * 1024)}-->`));
    });
    const liar = lieAboutSize(padded, 'ppt/presentation.xml', 2000);
    const error = await failure(liar, { limits: { maxPartBytes: 1024 * 1024 } });
    expect(error.message).toMatch(/"ppt\/presentation\.xml" inflates past 1\.0 MiB/);
  });

  it('a package with its content types missing', async () => {
    const error = await failure(await gardenWith((zip) => void zip.remove('[Content_Types].xml')));
    expect(error.message).toMatch(/the package part "\[Content_Types\]\.xml" is missing/);
  });

  it('a slide that the presentation lists but the package lacks', async () => {
    const error = await failure(await gardenWith((zip) => void zip.remove('ppt/slides/slide3.xml')));
    expect(error.message).toMatch(/slide 3 points to a part that is missing/);
  });

  it('a slide that is not well-formed XML', async () => {
    const deck = await gardenWith(async (zip) => {
      const xml = await (zip.file('ppt/slides/slide2.xml') as JSZip.JSZipObject).async('string');
      zip.file('ppt/slides/slide2.xml', xml.replace('</p:spTree>', '</p:spTre>'));
    });
    const error = await failure(deck);
    expect(error.message).toMatch(/the part "ppt\/slides\/slide2\.xml" is not well-formed XML/);
  });

  it('a package that is not a presentation', async () => {
    const docx = new JSZip();
    docx.file(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    );
    docx.file(
      '_rels/.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    );
    docx.file(
      'word/document.xml',
      '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
    );
    const error = await failure(await docx.generateAsync({ type: 'uint8array' }));
    expect(error.message).toMatch(/is not a PresentationML presentation/);
  });

  it('a huge embedded image', async () => {
    const header = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
    header.writeUInt32BE(13, 8);
    header.write('IHDR', 12, 'latin1');
    header.writeUInt32BE(60_000, 16);
    header.writeUInt32BE(60_000, 20);
    const deck = await gardenWith((zip) => void zip.file('ppt/media/image-5-1.png', header));
    const error = await failure(deck);
    expect(error.message).toMatch(
      /embedded image "ppt\/media\/image-5-1\.png" is 60000×60000 pixels \(3600 megapixels\)/,
    );
  });
});
