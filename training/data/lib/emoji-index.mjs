// The concept dictionary: every Unicode emoji with its CLDR short name, keywords and group,
// from emojibase-data (MIT). Icon sets name their icons after the CLDR name ("red-heart"),
// after the Unicode character name ("heavyblackheart", fxemoji) or after a shortcode, so the
// index answers all three spellings with the same emoji.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Lowercase words joined by '-', accents and apostrophes dropped: "woman’s hat" -> "womans-hat". */
export function slug(text) {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'“”"]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Like slug but keeps apostrophes as separators: "woman’s hat" -> "woman-s-hat". */
function slugApostrophe(text) {
  return slug(text.replace(/[’']/g, ' '));
}

/** @param {string} text */
export function squash(text) {
  return slug(text).replace(/-/g, '');
}

/**
 * @typedef {{ hexcode: string, label: string, tags: string[], unicodeName: string | undefined,
 *   group: string, subgroup: string, order: number, emoji: string }} EmojiEntry
 */

export function loadEmojiIndex() {
  const data = require('emojibase-data/en/data.json');
  const meta = require('emojibase-data/meta/groups.json');
  const unicodeNames = require('emojibase-data/meta/unicode-names.json');
  const shortcodeSets = ['github', 'iamcal', 'emojibase', 'cldr'].map((name) =>
    require(`emojibase-data/en/shortcodes/${name}.json`),
  );

  /** @type {Map<string, EmojiEntry>} */
  const byHex = new Map();
  /** @type {Map<string, EmojiEntry>} exact slug of CLDR label, Unicode name or shortcode */
  const bySlug = new Map();
  /** @type {Map<string, EmojiEntry>} the same keys without separators (fxemoji style) */
  const bySquash = new Map();
  /** @type {Set<string>} slugs of skin-tone variants: recognised only to be dropped */
  const skinToneSlugs = new Set();

  const add = (key, entry, strong) => {
    if (!key) return;
    if (strong || !bySlug.has(key)) bySlug.set(key, entry);
    const sq = key.replace(/-/g, '');
    if (strong || !bySquash.has(sq)) bySquash.set(sq, entry);
  };

  for (const e of data) {
    if (e.group === undefined) continue; // regional indicators and other bare components
    /** @type {EmojiEntry} */
    const entry = {
      hexcode: e.hexcode,
      label: e.label,
      tags: e.tags ?? [],
      unicodeName: unicodeNames[e.hexcode],
      group: meta.groups[String(e.group)],
      subgroup: meta.subgroups[String(e.subgroup)],
      order: e.order ?? 1e6,
      emoji: e.emoji,
    };
    byHex.set(e.hexcode, entry);
    for (const s of e.skins ?? []) {
      skinToneSlugs.add(slug(s.label));
      skinToneSlugs.add(slugApostrophe(s.label));
    }
  }
  // CLDR names win over Unicode names and shortcodes, which only fill gaps.
  for (const entry of byHex.values()) {
    add(slug(entry.label), entry, true);
    add(slugApostrophe(entry.label), entry, true);
  }
  for (const entry of byHex.values()) {
    if (entry.unicodeName) add(slug(entry.unicodeName), entry, false);
  }
  for (const set of shortcodeSets) {
    for (const [hex, codes] of Object.entries(set)) {
      const entry = byHex.get(hex);
      if (!entry) continue;
      for (const code of Array.isArray(codes) ? codes : [codes]) add(slug(code), entry, false);
    }
  }
  return { byHex, bySlug, bySquash, skinToneSlugs };
}

// Names some sets use from older CLDR releases or in their own wording, mapped to the CLDR slug.
const ALIASES = {
  'crazy-face': 'zany-face',
  'man-in-suit-levitating': 'person-in-suit-levitating',
  'on-exclamation-arrow': 'on-arrow',
  'up-exclamation-button': 'up-button',
  'knocked-out-face': 'face-with-crossed-out-eyes',
  'face-with-symbols-over-mouth': 'face-with-symbols-on-mouth',
  'face-with-stuck-out-tongue-and-closed-eyes': 'squinting-face-with-tongue',
  'smiling-face-with-open-mouth-and-closed-eyes': 'grinning-squinting-face',
  'grinning-cat-face': 'grinning-cat',
  'kissing-cat-face': 'kissing-cat',
  'smiling-cat-face-with-heart-eyes': 'smiling-cat-with-heart-eyes',
  'piata': 'pinata',
  'red-wine-glass': 'wine-glass',
  'game-dice': 'game-die',
  'school-backpack': 'backpack',
  'exclamation-mark': 'red-exclamation-mark',
  'person-elf': 'elf',
  'person-fairy': 'fairy',
  'person-genie': 'genie',
  'person-mage': 'mage',
  'person-vampire': 'vampire',
  'person-zombie': 'zombie',
  'person-superhero': 'superhero',
  'person-supervillain': 'supervillain',
  'person-merpeople': 'merperson',
  'man-merpeople': 'merman',
  'woman-merpeople': 'mermaid',
  'person-wrestling': 'people-wrestling',
  'person-with-bunny-ears': 'people-with-bunny-ears',
  'man-with-bunny-ears': 'men-with-bunny-ears',
  'woman-with-bunny-ears': 'women-with-bunny-ears',
  'person-blonde-hair': 'person-blond-hair',
  'man-blonde-hair': 'man-blond-hair',
  'woman-blonde-hair': 'woman-blond-hair',
  'person-deaf': 'deaf-person',
  'man-deaf': 'deaf-man',
  'woman-deaf': 'deaf-woman',
};

const TONE_SUFFIX = /-(?:(?:light|medium-light|medium|medium-dark|dark)(?:-skin-tone)?|tone[1-5])$/;

/**
 * Finds the emoji an icon name stands for.
 * @param {ReturnType<typeof loadEmojiIndex>} index
 * @param {string} name Iconify icon name
 * @param {{ squashed?: boolean }} opts squashed: the set writes names without separators
 * @returns {{ kind: 'emoji', entry: EmojiEntry, variant: number } | { kind: 'skin-tone' } | { kind: 'none' }}
 */
export function matchIconName(index, name, opts = {}) {
  const direct = index.bySlug.get(name);
  if (direct) return { kind: 'emoji', entry: direct, variant: 0 };
  if (index.skinToneSlugs.has(name)) return { kind: 'skin-tone' };
  // Fluent writes "artist-dark", Noto "love-you-gesture-tone3": a skin-tone variant of a base
  // emoji that exists — but "vertical-traffic-light" is itself an emoji, matched above.
  const toneless = name.replace(TONE_SUFFIX, '');
  if (toneless !== name && matchIconName(index, toneless, opts).kind === 'emoji') return { kind: 'skin-tone' };
  // Streamline numbers alternative drawings of one emoji: "birthday-cake-2".
  const numbered = /^(.*)-(\d)$/.exec(name);
  if (numbered) {
    const base = index.bySlug.get(numbered[1]);
    if (base) return { kind: 'emoji', entry: base, variant: Number(numbered[2]) };
  }
  const alias = ALIASES[name];
  if (alias) {
    const target = index.bySlug.get(alias);
    if (target) return { kind: 'emoji', entry: target, variant: 0 };
  }
  const sq = index.bySquash.get(name.replace(/-/g, ''));
  if (sq && (opts.squashed || name.includes('-'))) return { kind: 'emoji', entry: sq, variant: 0 };
  return { kind: 'none' };
}
