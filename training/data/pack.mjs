#!/usr/bin/env node
// Packs the offline training set: renders every usable emoji/icon SVG from the installed npm
// packages at one resolution into a single memory-mappable uint8 array plus per-image metadata.
//   node training/data/pack.mjs --res 64 --out training/data/packed/emoji64
// See training/data/README.md for the output format.
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import sharp from 'sharp';
import { loadEmojiIndex } from './lib/emoji-index.mjs';
import { NearDuplicateFilter, THUMB_RES } from './lib/near-duplicates.mjs';
import { NpyUint8Writer } from './lib/npy.mjs';
import { inkFraction, renderSvg } from './lib/render.mjs';
import { SOURCE_PRESETS, SOURCES, collectSource, packageVersion } from './lib/sources.mjs';
import { isHeldOut } from './lib/split.mjs';

const HELP = `Usage: node training/data/pack.mjs --res 64 --out DIR [options]
  --res N           output side in pixels (default 64; 128 also packed for the 128-px stage)
  --out DIR         output folder (created; its images_<res>.npy and meta.json are replaced)
  --sources LIST    comma-separated ids, or a preset: "emoji" (default), "v2" (every set); ids: ${SOURCES.map((s) => s.id).join(', ')}
  --limit N         pack at most N images (concepts in emoji order; for tests and quick looks)
  --heldout F       fraction of concepts held out (default 0.05)
  --seed S          seed of the held-out split (default "matryoshka-heldout-v1")
  --supersample K   render at K x res before cropping and downscaling (default 4)
  --margin F        blank margin on each side as a fraction of res (default 0.0625)
  --gzip            also write images_<res>.npy.gz (~4x smaller: to carry the set to another machine)
  --no-preview      do not write preview.png (a 16-wide grid sampled over the set)
  --quiet           only the final summary`;

function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      res: { type: 'string', default: '64' },
      out: { type: 'string' },
      sources: { type: 'string', default: 'emoji' },
      limit: { type: 'string' },
      heldout: { type: 'string', default: '0.05' },
      seed: { type: 'string', default: 'matryoshka-heldout-v1' },
      supersample: { type: 'string', default: '4' },
      margin: { type: 'string', default: '0.0625' },
      gzip: { type: 'boolean', default: false },
      'no-preview': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const res = Number(values.res);
  if (!Number.isInteger(res) || res < 8 || res > 1024) throw new UsageError(`--res must be an integer 8..1024, got ${values.res}`);
  if (!values.out) throw new UsageError('--out DIR is required');
  const ids = SOURCE_PRESETS[values.sources] ?? values.sources.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of ids) {
    if (!SOURCES.some((s) => s.id === id)) throw new UsageError(`unknown source "${id}"; known: ${SOURCES.map((s) => s.id).join(', ')}`);
  }
  const limit = values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit);
  if (!(limit > 0)) throw new UsageError(`--limit must be positive, got ${values.limit}`);
  const heldout = Number(values.heldout);
  if (!(heldout >= 0 && heldout < 1)) throw new UsageError(`--heldout must be in [0, 1), got ${values.heldout}`);
  const supersample = Number(values.supersample);
  if (!(supersample >= 1 && supersample <= 8)) throw new UsageError('--supersample must be 1..8');
  const margin = Number(values.margin);
  if (!(margin >= 0 && margin < 0.4)) throw new UsageError('--margin must be in [0, 0.4)');
  return { res, out: resolve(values.out), ids, limit, heldout, seed: values.seed, supersample, margin, gzip: values.gzip, preview: !values['no-preview'], quiet: values.quiet };
}

class UsageError extends Error {}

async function main() {
  const opts = parseCli(process.argv.slice(2));
  const started = performance.now();
  const log = opts.quiet ? () => {} : (msg) => console.error(msg);

  const index = loadEmojiIndex();
  const sources = [];
  let candidates = [];
  for (const id of opts.ids) {
    const def = SOURCES.find((s) => s.id === id);
    const got = collectSource(def, index);
    sources.push({ id, def, ...got });
    candidates.push(...got.candidates);
    log(`${id}: ${got.candidates.length} candidates (dropped ${JSON.stringify(got.dropped)})`);
  }
  // Emoji order (CLDR's), then source order: neighbours in the file are styles of one concept.
  const sourceRank = new Map(opts.ids.map((id, i) => [id, i]));
  candidates.sort((a, b) => a.order - b.order || a.concept.localeCompare(b.concept) || sourceRank.get(a.source) - sourceRank.get(b.source) || a.name.localeCompare(b.name));
  if (candidates.length > opts.limit) candidates = candidates.slice(0, opts.limit);

  mkdirSync(opts.out, { recursive: true });
  const npyName = `images_${opts.res}.npy`;
  const tmpNpy = join(opts.out, `${npyName}.partial`);
  const writer = new NpyUint8Writer(tmpNpy, [opts.res, opts.res, 3]);
  const images = [];
  const failures = [];
  const previewTiles = [];
  // Preview tiles are spread evenly over the whole set, not just its first (smiley) rows.
  const previewStep = Math.max(1, Math.ceil(candidates.length / 256));
  const renderStart = performance.now();
  const nearDuplicates = new NearDuplicateFilter();
  const dropped = [];
  for (const c of candidates) {
    let rgb;
    try {
      // Checks run on a fixed-size render so that the same images pass at every --res.
      const thumb = await renderSvg(c.svg(THUMB_RES * 2), THUMB_RES, { marginFraction: opts.margin, trim: c.trim });
      // Under 0.5% ink is a render that lost its shapes (unsupported SVG feature), not a picture.
      if (inkFraction(thumb) < 0.005) throw new Error('almost blank render');
      const twin = nearDuplicates.find(c.source, c.concept, thumb);
      if (twin) {
        dropped.push({ source: c.source, name: c.name, concept: c.concept, sameAs: twin.name, reason: 'near-duplicate' });
        continue;
      }
      nearDuplicates.add(c.source, c.concept, c.name, thumb);
      rgb = await renderSvg(c.svg(opts.res * opts.supersample), opts.res, { marginFraction: opts.margin, trim: c.trim });
    } catch (err) {
      failures.push({ source: c.source, name: c.name, error: String(err?.message ?? err) });
      continue;
    }
    writer.append(rgb);
    if (opts.preview && images.length % previewStep === 0 && previewTiles.length < 256) previewTiles.push(rgb);
    images.push({
      concept: c.concept,
      name: c.name,
      label: c.label,
      captions: c.captions,
      style: c.style,
      source: c.package,
      license: c.license,
      group: c.group,
      subgroup: c.subgroup,
      split: isHeldOut(c.concept, opts.seed, opts.heldout) ? 'heldout' : 'train',
    });
    if (images.length % 500 === 0) log(`  rendered ${images.length}/${candidates.length}`);
  }
  const renderMs = performance.now() - renderStart;
  const count = writer.close();

  const concepts = new Map();
  for (const im of images) concepts.set(im.concept, im.split);
  const perSource = sources.map((s) => {
    const mine = images.filter((im) => im.source === s.def.package);
    return {
      id: s.id,
      package: s.def.package,
      version: s.version,
      license: s.license,
      licenseUrl: s.licenseUrl,
      declaredLicense: s.declaredLicense,
      style: s.def.style,
      images: mine.length,
      concepts: new Set(mine.map((im) => im.concept)).size,
      dropped: s.dropped,
      failed: failures.filter((f) => f.source === s.id).length,
      nearDuplicates: dropped.filter((d) => d.source === s.id).length,
    };
  });
  const meta = {
    format: 'matryoshka-packed-images',
    version: 1,
    resolution: opts.res,
    count,
    npy: npyName,
    layout: 'uint8 [count, res, res, 3], RGB on white, C order; images[i] describes row i',
    heldout: { fraction: opts.heldout, seed: opts.seed, by: 'concept' },
    render: { supersample: opts.supersample, margin: opts.margin, trim: 'all but the geometric subgroup', emojibaseData: packageVersion('emojibase-data') },
    sources: perSource,
    failures,
    nearDuplicates: dropped,
    images,
  };
  // Renames, not overwrites: a training run that has the old files open keeps reading them intact.
  writeFileSync(join(opts.out, 'meta.json.partial'), `${JSON.stringify(meta, null, 1)}\n`);
  renameSync(tmpNpy, join(opts.out, npyName));
  renameSync(join(opts.out, 'meta.json.partial'), join(opts.out, 'meta.json'));
  if (opts.preview && previewTiles.length > 0) await writePreview(join(opts.out, 'preview.png'), previewTiles, opts.res);
  const gz = join(opts.out, `${npyName}.gz`);
  if (opts.gzip) {
    await pipeline(createReadStream(join(opts.out, npyName)), createGzip({ level: 6 }), createWriteStream(`${gz}.partial`));
    renameSync(`${gz}.partial`, gz);
  } else {
    rmSync(gz, { force: true }); // a copy from an earlier run would no longer match
  }

  const heldConcepts = [...concepts.values()].filter((s) => s === 'heldout').length;
  const heldImages = images.filter((im) => im.split === 'heldout').length;
  const totalMs = performance.now() - started;
  console.log(`packed ${count} images of ${concepts.size} concepts at ${opts.res}px into ${opts.out}`);
  for (const s of perSource) {
    console.log(`  ${s.id.padEnd(11)} ${String(s.images).padStart(5)} images ${String(s.concepts).padStart(5)} concepts  ${s.license.padEnd(11)} ${s.package}@${s.version}${s.failed ? `  (${s.failed} failed to render)` : ''}`);
  }
  const multi = [...groupCounts(images).values()].filter((n) => n > 1).length;
  console.log(`  dropped as near-duplicates of another concept in the same set: ${dropped.length}`);
  console.log(`  concepts with 2+ images: ${multi}; held out: ${heldConcepts} concepts / ${heldImages} images`);
  const mib = (f) => (statSync(join(opts.out, f)).size / 2 ** 20).toFixed(1);
  console.log(`  ${npyName} ${mib(npyName)} MiB${opts.gzip ? `, ${npyName}.gz ${mib(`${npyName}.gz`)} MiB` : ''}, meta.json ${mib('meta.json')} MiB`);
  console.log(`  render ${(renderMs / Math.max(1, candidates.length)).toFixed(2)} ms/image (with the ${THUMB_RES}px check render), total ${(totalMs / 1000).toFixed(1)} s; ${failures.length} failed`);
}

function groupCounts(images) {
  const m = new Map();
  for (const im of images) m.set(im.concept, (m.get(im.concept) ?? 0) + 1);
  return m;
}

/** A 16-wide grid, to eyeball framing and colours. */
async function writePreview(path, tiles, res) {
  const cols = 16;
  const rows = Math.ceil(tiles.length / cols);
  const canvas = Buffer.alloc(cols * res * rows * res * 3, 255);
  tiles.forEach((tile, i) => {
    const ox = (i % cols) * res;
    const oy = Math.floor(i / cols) * res;
    for (let y = 0; y < res; y++) {
      tile.copy(canvas, ((oy + y) * cols * res + ox) * 3, y * res * 3, (y + 1) * res * 3);
    }
  });
  await sharp(canvas, { raw: { width: cols * res, height: rows * res, channels: 3 } }).png().toFile(path);
}

main().catch((err) => {
  if (err instanceof UsageError) {
    console.error(`pack: ${err.message}\n\n${HELP}`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
