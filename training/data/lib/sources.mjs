// The image sources: which npm package, how its pictures are named, and the style words that
// go into captions. Licences are read from the packages themselves at pack time.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { makeCaptions, nameWords } from './captions.mjs';
import { matchIconName, slug } from './emoji-index.mjs';
import { iconifySvg, loadIconifySet, resizeSvgDocument } from './iconify.mjs';

const require = createRequire(import.meta.url);

/**
 * @typedef {{ id: string, kind: 'iconify' | 'tabler' | 'lucide', package: string, style: string,
 *   phrase: string, noun?: 'emoji' | 'icon', squashedNames?: boolean, keepUnmatched?: boolean,
 *   anyName?: boolean, defaultOn: boolean, license?: string, licenseUrl?: string }} SourceDef
 *   license: overrides what the package declares; anyName: keep one-word names ("home") too
 */

/** @type {SourceDef[]} */
export const SOURCES = [
  { id: 'noto', kind: 'iconify', package: '@iconify-json/noto', style: 'noto emoji', phrase: 'noto emoji', keepUnmatched: true, defaultOn: true },
  { id: 'fluent', kind: 'iconify', package: '@iconify-json/fluent-emoji-flat', style: 'fluent flat emoji', phrase: 'flat emoji', keepUnmatched: true, defaultOn: true },
  { id: 'twemoji', kind: 'iconify', package: '@iconify-json/twemoji', style: 'twemoji', phrase: 'twemoji, flat emoji', keepUnmatched: true, defaultOn: true },
  // fxemoji names squash Unicode names ("blackheartsuit"); what does not match is unreadable.
  // Iconify's info.json says Apache-2.0, which is fxemoji's licence for code; its LICENSE.md puts
  // the visual design (the pictures we train on) under CC BY 4.0.
  { id: 'fxemoji', kind: 'iconify', package: '@iconify-json/fxemoji', style: 'fxemoji', phrase: 'firefox emoji', squashedNames: true, keepUnmatched: false, defaultOn: true, license: 'CC-BY-4.0', licenseUrl: 'https://mozilla.github.io/fxemoji/LICENSE.md' },
  { id: 'streamline', kind: 'iconify', package: '@iconify-json/streamline-emojis', style: 'streamline emoji', phrase: 'cartoon emoji', keepUnmatched: true, defaultOn: true },
  { id: 'tabler', kind: 'tabler', package: '@tabler/icons', style: 'line icon', phrase: 'line icon', defaultOn: false },
  { id: 'lucide', kind: 'lucide', package: 'lucide-static', style: 'line icon', phrase: 'line icon', defaultOn: false },
  // The v2 sets: more emoji styles and colour icon sets, so everyday objects have several drawings.
  { id: 'emojione', kind: 'iconify', package: '@iconify-json/emojione', style: 'emojione emoji', phrase: 'flat emoji', keepUnmatched: true, defaultOn: false },
  { id: 'noto-v1', kind: 'iconify', package: '@iconify-json/noto-v1', style: 'noto blob emoji', phrase: 'cartoon emoji', keepUnmatched: true, defaultOn: false },
  { id: 'fluent-color', kind: 'iconify', package: '@iconify-json/fluent-color', style: 'flat icon', phrase: 'flat icon', noun: 'icon', keepUnmatched: true, defaultOn: false },
  { id: 'flat-color', kind: 'iconify', package: '@iconify-json/flat-color-icons', style: 'flat icon', phrase: 'flat icon', noun: 'icon', keepUnmatched: true, anyName: true, defaultOn: false },
  { id: 'streamline-color', kind: 'iconify', package: '@iconify-json/streamline-ultimate-color', style: 'colour icon', phrase: 'colour icon', noun: 'icon', keepUnmatched: true, defaultOn: false },
  { id: 'streamline-freehand', kind: 'iconify', package: '@iconify-json/streamline-freehand-color', style: 'hand-drawn icon', phrase: 'hand-drawn colour icon', noun: 'icon', keepUnmatched: true, defaultOn: false },
];

/** Named source lists for --sources: the shipped emoji set, and everything the v2 model trains on. */
export const SOURCE_PRESETS = {
  emoji: SOURCES.filter((s) => s.defaultOn).map((s) => s.id),
  all: SOURCES.map((s) => s.id),
  v2: SOURCES.map((s) => s.id),
};

export function packageDir(pkg) {
  return dirname(require.resolve(`${pkg}/package.json`));
}

export function packageVersion(pkg) {
  return JSON.parse(readFileSync(join(packageDir(pkg), 'package.json'), 'utf8')).version;
}

// Country and subdivision flags are near-identical rectangles told apart only by small detail;
// keycaps and letters are text, and skin-tone swatches are colour patches.
const DROPPED_GROUPS = new Set(['component']);
const DROPPED_SUBGROUPS = new Set(['country-flag', 'subdivision-flag', 'keycap', 'alphanum']);
const UNMATCHED_JUNK = /^(letter-[a-z]|digit-|keycap|regional-indicator|flag-|unknown-flag|\d+$)|skin-tone|-tone\d$/;

/**
 * @typedef {{ concept: string, name: string, label: string, captions: string[], style: string,
 *   source: string, package: string, license: string, group: string, subgroup: string,
 *   order: number, svg: (pixels: number) => string, trim: boolean, bodyHash: string }} Candidate
 */

/**
 * Everything a source offers, already filtered and captioned, not yet rendered.
 * @param {SourceDef} def @param {ReturnType<import('./emoji-index.mjs').loadEmojiIndex>} index
 * @returns {{ candidates: Candidate[], license: string, licenseUrl: string, version: string, dropped: Record<string, number> }}
 */
export function collectSource(def, index) {
  if (def.kind === 'iconify') return collectIconify(def, index);
  return collectLineIcons(def);
}

function collectIconify(def, index) {
  const dir = packageDir(def.package);
  const { set, info } = loadIconifySet(dir);
  const license = def.license ?? info.license?.spdx ?? info.license?.title ?? 'unknown';
  const licenseUrl = def.licenseUrl ?? info.license?.url ?? '';
  const dropped = { skinTone: 0, unmatched: 0, flagKeycapComponent: 0, duplicate: 0 };
  /** @type {Candidate[]} */
  const candidates = [];
  const seen = new Set();
  for (const name of Object.keys(set.icons)) {
    const m = matchIconName(index, name, { squashed: def.squashedNames });
    let concept;
    let label;
    let tags = [];
    let unicodeName;
    let group = 'other';
    let subgroup = 'other';
    let order = 1e6;
    if (m.kind === 'skin-tone') {
      dropped.skinTone++;
      continue;
    }
    if (m.kind === 'emoji') {
      const e = m.entry;
      if (DROPPED_GROUPS.has(e.group) || DROPPED_SUBGROUPS.has(e.subgroup)) {
        dropped.flagKeycapComponent++;
        continue;
      }
      concept = `emoji:${e.hexcode}`;
      label = e.label;
      tags = e.tags;
      // Sequences (ZWJ families, gendered roles) have names glued from their parts
      // ("information desk person, female sign"): only single characters have a usable one.
      unicodeName = /^[0-9A-F]+(-FE0F)?$/.test(e.hexcode) ? e.unicodeName : undefined;
      group = e.group;
      subgroup = e.subgroup;
      order = e.order;
    } else {
      if (!def.keepUnmatched || UNMATCHED_JUNK.test(name) || (!def.anyName && !name.includes('-') && def.noun !== 'icon')) {
        dropped.unmatched++;
        continue;
      }
      concept = `name:${slug(nameWords(name))}`;
      label = nameWords(name);
    }
    // Numbered alternatives of one emoji ("birthday-cake-2") are different drawings: keep each.
    const variant = m.kind === 'emoji' ? m.variant : 0;
    const bodyHash = createHash('sha1').update(set.icons[name].body).digest('hex');
    const key = `${concept}#${variant}`;
    if (seen.has(key) || seen.has(bodyHash)) {
      dropped.duplicate++;
      continue;
    }
    seen.add(key);
    seen.add(bodyHash);
    candidates.push({
      concept,
      name,
      label,
      captions: makeCaptions({ label, tags, unicodeName, phrase: def.phrase, noun: def.noun ?? 'emoji' }),
      style: def.style,
      source: def.id,
      package: def.package,
      license,
      group,
      subgroup,
      order,
      svg: (pixels) => iconifySvg(set, name, pixels),
      // Geometric shapes come in small/medium/large versions: cropping would make them equal.
      trim: subgroup !== 'geometric',
      bodyHash,
    });
  }
  return { candidates, license, licenseUrl, declaredLicense: info.license?.spdx ?? '', version: packageVersion(def.package), dropped };
}

function collectLineIcons(def) {
  const dir = packageDir(def.package);
  const dropped = { unmatched: 0, duplicate: 0 };
  /** @type {{ name: string, file: string, tags: string[], category: string }[]} */
  const entries = [];
  if (def.kind === 'tabler') {
    const meta = JSON.parse(readFileSync(join(dir, 'icons.json'), 'utf8'));
    for (const [name, m] of Object.entries(meta)) {
      const file = join(dir, 'icons', 'outline', `${name}.svg`);
      entries.push({ name, file, tags: [...(m.tags ?? []), ...(m.category ? [m.category] : [])], category: m.category || 'other' });
    }
  } else {
    const tags = JSON.parse(readFileSync(join(dir, 'tags.json'), 'utf8'));
    for (const file of readdirSync(join(dir, 'icons'))) {
      if (!file.endsWith('.svg')) continue;
      const name = file.slice(0, -4);
      entries.push({ name, file: join(dir, 'icons', file), tags: tags[name] ?? [], category: 'other' });
    }
  }
  const license = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).license ?? 'unknown';
  /** @type {Candidate[]} */
  const candidates = [];
  const seen = new Set();
  for (const e of entries) {
    let text;
    try {
      text = readFileSync(e.file, 'utf8');
    } catch {
      dropped.unmatched++;
      continue;
    }
    const bodyHash = createHash('sha1').update(text.replace(/<!--[\s\S]*?-->/g, '').replace(/class="[^"]*"/g, '')).digest('hex');
    if (seen.has(bodyHash)) {
      dropped.duplicate++;
      continue;
    }
    seen.add(bodyHash);
    const label = nameWords(e.name);
    candidates.push({
      concept: `icon:${slug(label)}`,
      name: e.name,
      label,
      captions: makeCaptions({ label, tags: e.tags, phrase: def.phrase, noun: 'icon' }),
      style: def.style,
      source: def.id,
      package: def.package,
      license,
      group: 'icon',
      subgroup: slug(e.category) || 'other',
      order: 2e6,
      svg: (pixels) => resizeSvgDocument(text, pixels),
      trim: true,
      bodyHash,
    });
  }
  const homepage = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).homepage ?? '';
  return { candidates, license, licenseUrl: homepage, declaredLicense: license, version: packageVersion(def.package), dropped };
}
