// The training data packer (training/data/pack.mjs), run for real on a small subset of the
// installed emoji packages: the files it writes are what the PyTorch loader memory-maps.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCaptions, withArticle } from '../training/data/lib/captions.mjs';
import { loadEmojiIndex, matchIconName } from '../training/data/lib/emoji-index.mjs';
import { NearDuplicateFilter, THUMB_RES } from '../training/data/lib/near-duplicates.mjs';
import { npyHeader, readNpyHeader } from '../training/data/lib/npy.mjs';
import { isHeldOut } from '../training/data/lib/split.mjs';

const run = promisify(execFile);
const RES = 32;
const LIMIT = 160;

interface PackedImage {
  concept: string;
  name: string;
  captions: string[];
  style: string;
  source: string;
  license: string;
  group: string;
  subgroup: string;
  split: 'train' | 'heldout';
}

describe('pack.mjs on a subset', () => {
  let dir: string;
  let stdout: string;
  let npy: Buffer;
  let meta: {
    count: number;
    resolution: number;
    images: PackedImage[];
    sources: { id: string; images: number }[];
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mdm-pack-'));
    // A large held-out fraction so that a small subset has concepts on both sides.
    const out = await run(process.execPath, [
      'training/data/pack.mjs',
      '--res',
      String(RES),
      '--out',
      dir,
      '--limit',
      String(LIMIT),
      '--heldout',
      '0.3',
      '--supersample',
      '2',
      '--quiet',
    ]);
    stdout = out.stdout;
    npy = readFileSync(join(dir, `images_${RES}.npy`));
    meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a valid .npy v1.0 header with shape [N, res, res, 3] and the data right after it', () => {
    const h = readNpyHeader(npy);
    expect(h.descr).toBe('|u1');
    expect(h.fortranOrder).toBe(false);
    expect(h.shape).toEqual([LIMIT, RES, RES, 3]);
    expect(h.dataOffset % 64).toBe(0);
    expect(npy.length).toBe(h.dataOffset + LIMIT * RES * RES * 3);
    expect(meta.count).toBe(LIMIT);
    expect(meta.images).toHaveLength(LIMIT);
  });

  it('gives every image 2–4 non-empty captions that name what it shows', () => {
    for (const im of meta.images) {
      expect(im.captions.length).toBeGreaterThanOrEqual(2);
      expect(im.captions.length).toBeLessThanOrEqual(4);
      for (const c of im.captions) expect(c.trim().length).toBeGreaterThan(2);
      expect(im.style.length).toBeGreaterThan(0);
      expect(im.license).toMatch(/^(Apache-2\.0|MIT|CC-BY-4\.0)$/);
    }
    // The Unicode name of U+1F600 is "GRINNING FACE": the first subset rows are smileys.
    const grin = meta.images.filter((im) => im.concept === 'emoji:1F600');
    expect(grin.length).toBeGreaterThanOrEqual(3);
    expect(grin[0]?.captions[0]).toBe('a grinning face');
  });

  it('aligns styles: several images per concept, from different packages', () => {
    const byConcept = new Map<string, Set<string>>();
    for (const im of meta.images) {
      const set = byConcept.get(im.concept) ?? new Set();
      set.add(im.source);
      byConcept.set(im.concept, set);
    }
    const multi = [...byConcept.values()].filter((s) => s.size >= 2).length;
    expect(multi / byConcept.size).toBeGreaterThan(0.8);
  });

  it('splits by concept: no concept is in both splits, and both splits are used', () => {
    const splits = new Map<string, Set<string>>();
    for (const im of meta.images) {
      const s = splits.get(im.concept) ?? new Set();
      s.add(im.split);
      splits.set(im.concept, s);
    }
    for (const [concept, s] of splits) expect(s.size, concept).toBe(1);
    const values = meta.images.map((im) => im.split);
    expect(values).toContain('heldout');
    expect(values).toContain('train');
  });

  it('stores real pictures: every image has ink, and the border stays white', () => {
    const h = readNpyHeader(npy);
    const size = RES * RES * 3;
    for (let i = 0; i < LIMIT; i++) {
      const img = npy.subarray(h.dataOffset + i * size, h.dataOffset + (i + 1) * size);
      let ink = 0;
      for (let p = 0; p < img.length; p += 3) {
        if (Math.min(img[p] ?? 255, img[p + 1] ?? 255, img[p + 2] ?? 255) < 200) ink++;
      }
      expect(ink / (RES * RES), meta.images[i]?.name).toBeGreaterThan(0.02);
      // The top-left pixel lies in the fixed white margin.
      expect([img[0], img[1], img[2]]).toEqual([255, 255, 255]);
    }
  });

  it('packs the same images in the same order at another resolution', async () => {
    const other = mkdtempSync(join(tmpdir(), 'mdm-pack-'));
    try {
      await run(process.execPath, [
        'training/data/pack.mjs',
        '--res',
        '48',
        '--out',
        other,
        '--limit',
        String(LIMIT),
        '--heldout',
        '0.3',
        '--supersample',
        '2',
        '--no-preview',
        '--quiet',
      ]);
      const meta48 = JSON.parse(readFileSync(join(other, 'meta.json'), 'utf8'));
      expect(meta48.resolution).toBe(48);
      expect(meta48.images).toEqual(meta.images);
      expect(readNpyHeader(readFileSync(join(other, 'images_48.npy'))).shape).toEqual([LIMIT, 48, 48, 3]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('prints a summary with counts per source', () => {
    expect(stdout).toMatch(/packed 160 images of \d+ concepts at 32px/);
    for (const s of meta.sources) expect(stdout).toContain(s.id);
    expect(stdout).toMatch(/held out: \d+ concepts/);
  });
});

describe('pack.mjs helpers', () => {
  it('matches icon names to emoji across naming schemes', () => {
    const index = loadEmojiIndex();
    const hex = (name: string, squashed = false) => {
      const m = matchIconName(index, name, { squashed });
      return m.kind === 'emoji' ? m.entry.hexcode : m.kind;
    };
    expect(hex('red-heart')).toBe('2764');
    expect(hex('heavyblackheart', true)).toBe('2764'); // fxemoji spells Unicode names
    expect(hex('artist-dark')).toBe('skin-tone'); // fluent
    expect(hex('love-you-gesture-tone3')).toBe('skin-tone'); // noto
    expect(hex('vertical-traffic-light')).toBe('1F6A6'); // an emoji, not a skin tone
    expect(hex('crazy-face')).toBe('1F92A'); // older CLDR name
    const variant = matchIconName(index, 'birthday-cake-2');
    expect(variant.kind === 'emoji' && variant.variant).toBe(2);
  });

  it('writes plain-word captions with the right article', () => {
    expect(withArticle('apple')).toBe('an apple');
    expect(withArticle('unicorn')).toBe('a unicorn');
    expect(withArticle('sparkles')).toBe('sparkles');
    expect(withArticle('face with tears of joy')).toBe('a face with tears of joy');
    const caps: string[] = makeCaptions({
      label: 'red heart',
      tags: ['emotion', 'heart', 'love', 'red'],
      unicodeName: 'HEAVY BLACK HEART',
      phrase: 'flat emoji',
      noun: 'emoji',
    });
    expect(caps).toEqual(['a red heart', 'a red heart, flat emoji', 'red heart emoji: emotion, love']);
  });

  it('drops a picture that repeats another concept of the same set, and nothing else', () => {
    const size = THUMB_RES * THUMB_RES * 3;
    const base = Uint8Array.from({ length: size }, (_, i) => (i * 37) % 256);
    const nudged = base.map((v) => Math.min(255, v + 2)); // RMS ≈ 2: the same picture
    const other = base.map((v, i) => (i % 3 === 0 ? 255 - v : v)); // a different picture
    const f = new NearDuplicateFilter();
    f.add('fluent', 'emoji:1F482', 'guard', base);
    expect(f.find('fluent', 'emoji:1F482-200D-2642-FE0F', nudged)?.name).toBe('guard');
    expect(f.find('fluent', 'emoji:1F482', nudged)).toBeNull(); // a second drawing of one concept
    expect(f.find('noto', 'emoji:1F482-200D-2642-FE0F', nudged)).toBeNull(); // another set's style
    expect(f.find('fluent', 'emoji:1F600', other)).toBeNull();
  });

  it('pads .npy headers to 64 bytes and holds ~5% of concepts out, deterministically', () => {
    for (const n of [1, 99, 123456]) expect(npyHeader([n, 64, 64, 3]).length % 64).toBe(0);
    let held = 0;
    for (let i = 0; i < 4000; i++) held += isHeldOut(`c${i}`, 'seed', 0.05) ? 1 : 0;
    expect(held).toBeGreaterThan(150);
    expect(held).toBeLessThan(250);
    expect(isHeldOut('emoji:2764', 's', 0.05)).toBe(isHeldOut('emoji:2764', 's', 0.05));
  });
});
