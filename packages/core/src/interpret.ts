import { type HueColour, isHueColour } from './recolour.js';
import { splitWords } from './split-words.js';

/** Why a word of the prompt was read as another (docs/model-bundle.md, "Reading prompts"). */
export const CHANGE_REASONS = [
  'plural',
  'inflection',
  'spelling',
  'synonym',
  'broader',
  'colour',
  'purpose',
  'style',
  'motion',
] as const;
export type ChangeReason = (typeof CHANGE_REASONS)[number];

export interface PromptChange {
  /** The words of the prompt, as typed (lower-cased). */
  from: string;
  /** What the model is given instead; "" when the words were dropped. */
  to: string;
  reason: ChangeReason;
}

/** How a prompt was read: the text the model was given and every change from what was typed. */
export interface Interpretation {
  text: string;
  changes: PromptChange[];
  /** A colour word taken out of the text, to be applied to the drawn picture (recolour.ts). */
  recolour?: HueColour;
}

/** The bundle's table (tokenizer.json "interpret"): [read as, why, "word word …"] per target. */
export interface InterpretTable {
  version: 1;
  groups: Array<[string, ChangeReason, string]>;
  /** Real words the model does not know, never "corrected" into one it does ("chat" is not "cat"). */
  keep?: string;
  /** Colour + word pairs the training captions have ("red apple"): other pairs are recoloured. */
  pairs?: string[];
}

// Picture nouns a style phrase ends with: "a line icon of a house" is "a house, line icon".
const PICTURE_NOUNS = new Set([
  'icon',
  'icons',
  'emoji',
  'emojis',
  'drawing',
  'illustration',
  'picture',
  'image',
  'sticker',
  'clipart',
  'symbol',
  'logo',
  'sketch',
  'graphic',
  'photo',
  'photograph',
]);
// Words that open a purpose or relative clause: "a padlock for security" draws a padlock.
const CLAUSE_WORDS = new Set(['for', 'that', 'which', 'who', 'representing', 'symbolizing', 'symbolising']);
const ARTICLES = new Set(['a', 'an', 'the', 'some']);
// Words after a colour that do not name what it colours ("red and blue").
const NOT_A_THING = new Set([
  'and',
  'or',
  'with',
  'on',
  'in',
  'of',
  'a',
  'an',
  'to',
  'is',
  'color',
  'colour',
  'colored',
  'coloured',
]);
// Words said with a vowel first, roughly: "an elephant", "an umbrella", but "a unicorn".
const VOWEL_SOUND = /^(?:[aeio]|u(?!ni|s[eu]|ten|ku))/;
const IRREGULAR: Record<string, string> = {
  children: 'child',
  mice: 'mouse',
  geese: 'goose',
  feet: 'foot',
  teeth: 'tooth',
  people: 'person',
  women: 'woman',
  men: 'man',
  oxen: 'ox',
  dice: 'die',
  leaves: 'leaf',
  knives: 'knife',
  wolves: 'wolf',
  loaves: 'loaf',
};

/**
 * Reads prompts the way people write them, onto the words a model knows: a style phrase moved to
 * where the captions put it, purpose clauses dropped, then each unknown (or rarely seen) word
 * through the bundle's table, its lemma (plurals, -ing, -ed), and spelling correction against the
 * vocabulary. The Python twin (training/mdm/interpret.py) follows the same steps in the same order.
 */
export class PromptReader {
  private readonly known: Map<string, number>;
  private readonly table: Map<string, [string, ChangeReason]>;
  private readonly candidates: Array<[string, string]>;
  private readonly keep: Set<string>;
  private readonly pairs: Set<string> | undefined;

  constructor(vocab: readonly string[], aliases: Record<string, string>, table?: InterpretTable) {
    this.known = new Map();
    vocab.forEach((word, id) => {
      if (id >= 3 && !this.known.has(word)) this.known.set(word, id);
    });
    for (const word of Object.keys(aliases)) if (!this.known.has(word)) this.known.set(word, vocab.length);
    this.table = new Map();
    for (const [to, reason, words] of table?.groups ?? [])
      for (const word of words.split(' ')) if (!this.table.has(word)) this.table.set(word, [to, reason]);
    this.keep = new Set(table?.keep ? table.keep.split(' ') : []);
    this.pairs = table?.pairs ? new Set(table.pairs) : undefined;
    // Spelling targets: words long enough to be told apart from others by one edit, with their sound.
    this.candidates = [...this.known.keys(), ...this.table.keys()]
      .filter((w) => w.length >= 3 && /^[a-z]+$/.test(w))
      .map((w) => [w, soundOf(w)]);
  }

  read(prompt: string): Interpretation {
    const changes: PromptChange[] = [];
    let words = splitWords(prompt);
    words = this.moveStyle(words, changes);
    words = dropClause(words, changes);
    words = this.joinCompounds(words, changes);
    const out: string[] = [];
    for (const word of words) {
      const read = this.readWord(word);
      if (read === undefined) {
        out.push(word);
        continue;
      }
      changes.push({ from: word, to: read.to, reason: read.reason });
      if (read.to === '') continue;
      const next = read.to.split(' ');
      // "a elefant" is read as "an elephant": the article follows the word it now stands before.
      const last = out.length - 1;
      if (out[last] === 'a' || out[last] === 'an')
        out[last] = VOWEL_SOUND.test(next[0] as string) ? 'an' : 'a';
      out.push(...next);
    }
    const recolour = this.pairs ? this.takeColour(out, changes) : undefined;
    return { text: out.join(' '), changes, ...(recolour ? { recolour } : {}) };
  }

  /**
   * The first hue colour before a known word it was never seen with ("yellow star"), taken out of
   * the words: the model draws the thing as it knows it and the engine recolours it.
   */
  private takeColour(out: string[], changes: PromptChange[]): HueColour | undefined {
    for (let i = 0; i + 1 < out.length; i++) {
      const [colour, next] = [out[i] as string, out[i + 1] as string];
      if (!isHueColour(colour) || !this.known.has(next) || NOT_A_THING.has(next)) continue;
      if (this.pairs?.has(`${colour} ${next}`)) return undefined;
      out.splice(i, 1);
      if (out[i - 1] === 'a' || out[i - 1] === 'an') out[i - 1] = VOWEL_SOUND.test(next) ? 'an' : 'a';
      changes.push({ from: colour, to: '', reason: 'colour' });
      return colour;
    }
    return undefined;
  }

  /** "paint brush" → "paintbrush" when the joined word is known and seen more often than a part. */
  private joinCompounds(words: string[], changes: PromptChange[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const [a, b] = [words[i] as string, words[i + 1]];
      const joined = b === undefined ? undefined : this.known.get(a + b);
      const rank = (w: string) => this.known.get(w) ?? Number.MAX_SAFE_INTEGER;
      if (
        b !== undefined &&
        joined !== undefined &&
        /^[a-z]{2,}$/.test(a) &&
        /^[a-z]{2,}$/.test(b) &&
        joined < Math.max(rank(a), rank(b))
      ) {
        changes.push({ from: `${a} ${b}`, to: a + b, reason: 'spelling' });
        out.push(a + b);
        i++;
      } else {
        out.push(a);
      }
    }
    return out;
  }

  /** "a line icon of a house" → "a house line icon": the order the captions use. */
  private moveStyle(words: string[], changes: PromptChange[]): string[] {
    const of = words.indexOf('of');
    if (of < 1 || of > 4 || of === words.length - 1) return words;
    const noun = words[of - 1] as string;
    if (!PICTURE_NOUNS.has(noun)) return words;
    const head = words.slice(0, of).filter((w) => !ARTICLES.has(w));
    const rest = words.slice(of + 1);
    const moved = [...rest, ...head];
    changes.push({ from: words.slice(0, of + 1).join(' '), to: head.join(' '), reason: 'style' });
    return moved;
  }

  private readWord(word: string): { to: string; reason: ChangeReason } | undefined {
    const id = this.known.get(word);
    const entry = this.table.get(word);
    // The table also remaps words the vocabulary has but the training saw only a few times.
    if (entry) return { to: entry[0], reason: entry[1] };
    if (id !== undefined || !/[a-z]/.test(word)) return undefined;
    for (const [lemma, reason] of lemmas(word)) {
      if (this.known.has(lemma)) return { to: lemma, reason };
      const via = this.table.get(lemma);
      if (via) return { to: via[0], reason: via[1] };
    }
    // A real word the model lacks stays as typed: "chat" is not a misspelt "cat".
    if (this.keep.has(word) || lemmas(word).some(([lemma]) => this.keep.has(lemma))) return undefined;
    // A misspelt plural ("aples") is corrected through its singular.
    const corrected = this.correct(word) ?? firstOf(lemmas(word), ([lemma]) => this.correct(lemma));
    if (corrected === undefined) return undefined;
    const via = this.table.get(corrected);
    return { to: via ? via[0] : corrected, reason: 'spelling' };
  }

  /**
   * The known word one edit away (two for words of ten letters or more), by spelling or by sound
   * ("elefant" is "elephant" before "elegant"; a sound match costs half an edit); ties go to the more
   * frequent word.
   */
  private correct(word: string): string | undefined {
    if (word.length < 4 || !/^[a-z]+$/.test(word)) return undefined;
    // Two edits only for long words: "spinning" must not become "grinning".
    const limit = word.length >= 10 ? 2 : 1;
    const sound = soundOf(word);
    let best: string | undefined;
    let bestDistance = limit + 1;
    let bestRank = Number.POSITIVE_INFINITY;
    for (const [candidate, candidateSound] of this.candidates) {
      if (Math.abs(candidate.length - word.length) > limit + 1) continue;
      const d = Math.min(
        editDistance(word, candidate, limit),
        editDistance(sound, candidateSound, limit) + 0.5,
      );
      const rank = this.known.get(candidate) ?? Number.MAX_SAFE_INTEGER;
      if (
        d < bestDistance ||
        (d === bestDistance && (rank < bestRank || (rank === bestRank && candidate < (best ?? '~'))))
      ) {
        best = candidate;
        bestDistance = d;
        bestRank = rank;
      }
    }
    return bestDistance <= limit ? best : undefined;
  }
}

/** A word as it sounds, roughly: "ph" as "f", "ck" as "k", doubled letters once ("elephant" ~ "elefant"). */
export function soundOf(word: string): string {
  return word
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/(.)\1+/g, '$1');
}

function firstOf<T, R>(items: readonly T[], pick: (item: T) => R | undefined): R | undefined {
  for (const item of items) {
    const found = pick(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Purpose and relative clauses after the subject ("… for security", "… that shows growth") go. */
function dropClause(words: string[], changes: PromptChange[]): string[] {
  const at = words.findIndex((w, i) => i >= 2 && CLAUSE_WORDS.has(w));
  if (at < 0) return words;
  changes.push({ from: words.slice(at).join(' '), to: '', reason: 'purpose' });
  return words.slice(0, at);
}

/** Candidate lemmas of an inflected word, most likely first. */
export function lemmas(word: string): Array<[string, ChangeReason]> {
  const out: Array<[string, ChangeReason]> = [];
  const irregular = IRREGULAR[word];
  if (irregular) out.push([irregular, 'plural']);
  const stem = (suffix: string) => word.slice(0, -suffix.length);
  if (word.length > 4 && word.endsWith('ies')) out.push([`${stem('ies')}y`, 'plural']);
  if (word.length > 4 && word.endsWith('ves'))
    out.push([`${stem('ves')}f`, 'plural'], [`${stem('ves')}fe`, 'plural']);
  if (word.length > 3 && word.endsWith('es')) out.push([stem('es'), 'plural']);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) out.push([stem('s'), 'plural']);
  if (word.length > 5 && word.endsWith('ing')) {
    const base = stem('ing');
    out.push([base, 'inflection'], [`${base}e`, 'inflection']);
    if (base.at(-1) === base.at(-2)) out.push([base.slice(0, -1), 'inflection']);
  }
  if (word.length > 4 && word.endsWith('ed')) {
    const base = stem('ed');
    out.push([base, 'inflection'], [`${base}e`, 'inflection']);
    if (base.at(-1) === base.at(-2)) out.push([base.slice(0, -1), 'inflection']);
  }
  return out;
}

/** Optimal string alignment distance (a transposition is one edit), or limit + 1 once it exceeds limit. */
export function editDistance(a: string, b: string, limit: number): number {
  const m = a.length;
  const n = b.length;
  let before = new Array<number>(n + 1).fill(0);
  let previous = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const current = new Array<number>(n + 1).fill(0);
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (before[j - 2] as number) + 1);
      current[j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return Math.min(previous[n] as number, limit + 1);
}

/** One line for people: `read as "a red heart" (crimson → red: colour)`; undefined when nothing changed. */
export function describeInterpretation(reading: Interpretation): string | undefined {
  if (reading.changes.length === 0) return undefined;
  const changes = reading.changes.map((c) =>
    c.reason === 'colour' && c.to === '' && c.from === reading.recolour
      ? `${c.from} → the picture recoloured ${c.from}`
      : `${c.from} → ${c.to === '' ? '(dropped)' : c.to}: ${c.reason}`,
  );
  return `read as "${reading.text}" (${changes.join('; ')})`;
}
