/**
 * Words that say nothing about what a slide is about: function words, words about the deck itself
 * ("Blank with default title", "Office theme") and bare colours — a subject is never its layout or a colour.
 */
const STOP = new Set(
  (
    'a an the and or but nor of to in on at by for from with without into onto over under about as is are was were be ' +
    'been being am do does did have has had will would can could should may might must shall this that these those it its ' +
    'our your their my his her we you they i he she them us me not no yes all any each every some more most less few many ' +
    'much very also just only than then so such via per vs etc e.g i.e new old next last first second third one two three ' +
    'four five six seven eight nine ten part section chapter slide slides page deck presentation item items thing ' +
    'things way ways what which when while how why who whom whose here there now today tomorrow yesterday use using used ' +
    'make made get got let see look like key main general other others own same up down out off again further once both ' +
    'open remote deep healthy basic basics simple easy hard great better full general special important common modern current final late whole total different similar various possible available personal major minor own night day days evening weekend tonight north south east west left right big small high low lot lots january february march april may june july august september october november december mon tue wed thu fri sat sun ' +
    'theme themes blank default layout layouts title titles subtitle text texts caption captions content contents placeholder placeholders sample samples example examples template templates heading headings master ' +
    'red orange yellow green blue purple pink brown black white grey gray gold silver'
  ).split(' '),
);

/** A slide word as the topic map and the model's vocabulary spell it: lower case, singular. */
export function singular(word: string): string {
  if (word.length <= 3 || word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ches|shes|xes|zes|sses)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

// Words after which a title's main phrase has ended ("Bears of North America": bears).
const BREAKS = new Set(
  'of for in on at with to from by about into over under via and or vs versus'.split(' '),
);

/**
 * Words that frame a subject rather than name one — what is done with it or said about it
 * ("Introduction to chemistry", "Winter operations", "Gardening tips"): never a phrase's head
 * while the phrase has another word. Singular, lower case.
 */
export const FRAME_WORDS = new Set(
  (
    'overview summary recap plan planning year month week quarter result outcome product policy work process ' +
    'system status update list step next data number figure report time detail method case about business ' +
    'company management support review design feature issue value start form application item action ' +
    'introduction intro history basic basics fundamental fundamentals essential essentials tip trick guide ' +
    'guideline training assessment evaluation analysis program programme initiative project strategy season ' +
    'operation compliance efficiency conservation awareness exploration change cycle practice principle trend ' +
    'challenge lesson course workshop session class lecture day tour series matter problem solution option ' +
    'approach framework service industry sector research study lifecycle'
  ).split(' '),
);

export interface SlideWord {
  raw: string;
  word: string;
  /** Which phrase of the text: a new one starts after a preposition, a colon, a dash or a comma. */
  phrase: number;
  /** The last content word of its phrase that is not a frame word: in English the head noun. */
  head: boolean;
}

/**
 * The content words of one piece of slide text, in order: LaTeX, code, URLs and numbers removed,
 * stop words dropped. Both the word as written and its singular are kept for matching.
 */
export function contentWords(text: string): SlideWord[] {
  const clean = text
    .replace(/\$\$[\s\S]*?\$\$|\$[^$\n]*\$/g, ' ') // LaTeX
    .replace(/\\[a-zA-Z]+(\{[^}]*\})?/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/<[^>]+>/g, ' ');
  const words: SlideWord[] = [];
  let phrase = 0;
  let open = false; // whether the current phrase has a content word yet
  for (const match of clean.matchAll(/[\p{L}][\p{L}\p{N}&'’-]*|[:;,.!?—–()]/gu)) {
    const token = match[0];
    const raw = token
      .toLowerCase()
      .replace(/[’']s$/, '')
      .replace(/['’-]+$/, '');
    const breaks = /^[:;,.!?—–()]$/.test(token) || BREAKS.has(raw);
    if (breaks) {
      if (open) phrase++;
      open = false;
      continue;
    }
    if (raw.length < 2 || STOP.has(raw)) continue;
    words.push({ raw, word: singular(raw), phrase, head: false });
    open = true;
  }
  // Each phrase's head: its last word that does not frame the subject, else its last word.
  const framing = (w: SlideWord) => FRAME_WORDS.has(w.word) || FRAME_WORDS.has(w.raw);
  const heads = new Map<number, SlideWord>();
  for (const w of words) {
    const held = heads.get(w.phrase);
    if (held === undefined || !framing(w) || framing(held)) heads.set(w.phrase, w);
  }
  for (const w of heads.values()) w.head = true;
  return words;
}

/** Spellings to look a word up under: as written, singular, and without -ing / -ed. */
export function lookupForms({ raw, word }: { raw: string; word: string }): string[] {
  const forms = [raw, word];
  for (const suffix of ['ing', 'ed']) {
    if (raw.length > suffix.length + 2 && raw.endsWith(suffix)) {
      const stem = raw.slice(0, -suffix.length);
      forms.push(stem, `${stem}e`);
      if (stem.at(-1) === stem.at(-2)) forms.push(stem.slice(0, -1));
    }
  }
  return [...new Set(forms)];
}
