// Captions say what the picture shows, in the words a user would type: the CLDR short name
// ("red heart"), never the typographic Unicode name ("heavy black heart").

const PLURAL_END = /(?<![su])s$/; // "sparkles", "grapes" — but not "bus", "glass", "octopus"
const SINGULAR_S = new Set(['rhinoceros', 'chess', 'cactus', 'octopus', 'bus', 'lotus', 'circus', 'bonus', 'abacus', 'hibiscus', 'walrus']);
const ING_NOUNS = new Set(['ring', 'king', 'wing', 'building', 'pudding', 'sling', 'string', 'swing', 'spring', 'stocking', 'ping']);
// Mass nouns read wrong with "a": "spaghetti", "cooked rice", "building construction".
const MASS_NOUNS = new Set(['spaghetti', 'popcorn', 'butter', 'salt', 'sushi', 'bread', 'bacon', 'falafel', 'fondue', 'oden', 'dango', 'rice', 'construction', 'money', 'mail', 'lightning', 'fire', 'water', 'tea', 'coffee', 'sake', 'mate', 'baggage', 'luggage', 'chart increasing', 'chart decreasing']);
const CONSONANT_SOUND = /^(uni|use|usa|eu|one|once|ufo|ukulele|u-)/i;
const VOWEL_SOUND = /^(hour|honest|8|11|18|mrs?\b)/i;
// Typographic words in Unicode character names that describe the glyph, not the picture.
const NON_DESCRIPTIVE = /\b(black|white|heavy|cjk|ideograph|squared|negative|variation)\b/i;

/** "a red heart", "an apple", "sparkles", "2 hearts" */
export function withArticle(phrase) {
  const text = phrase.trim();
  const words = text.split(/\s+/);
  const head = words[0].toLowerCase();
  // The head noun decides the article: "a face with tears of joy", "sparkles".
  const core = text.split(/\s(?:with|of|in|on|and|for|from|at|holding|over|under|wearing)\s/)[0].split(/\s+/);
  const last = core[core.length - 1].toLowerCase().replace(/[^a-z0-9]/g, '');
  if (/^\d/.test(head) && !VOWEL_SOUND.test(head)) return text;
  if (['the', 'a', 'an', 'two', 'three', 'some', 'people', 'men', 'women'].includes(head)) return text;
  if (PLURAL_END.test(last) && !SINGULAR_S.has(last) && !last.endsWith('ss')) return text;
  if (MASS_NOUNS.has(last) || MASS_NOUNS.has(core.join(' ').toLowerCase())) return text;
  // A bare verb phrase takes no article: "rolling on the floor laughing".
  if (core.length === 1 && /ing$/.test(last) && !ING_NOUNS.has(last)) return text;
  const vowel = (/^[aeiou]/i.test(head) && !CONSONANT_SOUND.test(head)) || VOWEL_SOUND.test(head);
  return `${vowel ? 'an' : 'a'} ${text}`;
}

/** "man, woman, boy" -> "man, woman and boy" */
function listWords(text) {
  const parts = text.split(/,\s*/);
  return parts.length < 2 ? text : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * Plain words from a CLDR label, whose "head: detail" form reads badly in a sentence:
 * "family: man, woman, boy" -> "family of man, woman and boy", "man: bald" -> "bald man",
 * "person running: facing right" -> "person running facing right", "five-thirty" -> "clock
 * showing five-thirty".
 */
export function labelWords(label) {
  let text = label.replace(/[“”"]/g, '').replace(/’/g, "'").replace(/\s+/g, ' ').trim();
  const colon = /^([^:]+): (.+)$/.exec(text);
  if (colon) {
    const [, head, detail] = colon;
    if (detail === 'bald') text = `bald ${head}`;
    else if (/^facing /.test(detail)) text = `${head} ${detail}`;
    else if (head === 'family') text = `family of ${listWords(detail)}`;
    else if (head === 'kiss' || head === 'couple with heart') text = `${head}, ${listWords(detail)}`;
    else if (/ (hair|beard)$/.test(detail)) text = `${head} with ${detail}`;
    else text = `${head}, ${detail}`;
  }
  if (/(o'clock|-thirty)$/.test(text)) text = `clock showing ${text}`;
  return text;
}

/** "cat-face" -> "cat face"; drops Iconify/icon-set suffixes that are not words. */
export function nameWords(name) {
  return name
    .replace(/-\d+$/, '')
    .replace(/-(filled|outline|off)$/, (m) => (m === '-off' ? ' off' : ''))
    .replace(/-/g, ' ')
    .trim();
}

/** Keywords that add information: not already in the label, and real words. */
export function usefulTags(tags, label, max = 3) {
  const inLabel = new Set(label.toLowerCase().split(/[^a-z]+/));
  const out = [];
  for (const tag of tags) {
    const t = String(tag).toLowerCase().trim();
    // Four letters at least: drops chat slang ("cya", "gtg") that CLDR lists as keywords.
    if (!/^[a-z][a-z -]{3,}$/.test(t)) continue;
    if (t.split(' ').every((w) => inLabel.has(w))) continue;
    if (out.includes(t)) continue;
    out.push(t);
    if (out.length === max) break;
  }
  return out;
}

/**
 * 2–4 captions for one image.
 * @param {{ label: string, tags?: string[], unicodeName?: string, phrase: string, noun: string }} c
 *   phrase: the style words ("flat emoji"); noun: what the picture is ("emoji", "icon")
 */
export function makeCaptions(c) {
  const words = labelWords(c.label);
  // Line icons are named for what they stand for ("calendar pause"), so the first caption says
  // it is an icon of that; an emoji's name is what it depicts.
  const first = c.noun === 'icon' ? withArticle(`${words} icon`) : withArticle(words);
  const captions = [first, `${withArticle(words)}, ${c.phrase}`];
  const tags = usefulTags(c.tags ?? [], words);
  if (tags.length > 0) captions.push(`${words} ${c.noun}: ${tags.join(', ')}`);
  if (c.unicodeName && !NON_DESCRIPTIVE.test(c.unicodeName)) {
    const uni = c.unicodeName.toLowerCase();
    const same = uni.replace(/[^a-z]/g, '') === words.toLowerCase().replace(/[^a-z]/g, '');
    if (!same && captions.length < 4) captions.push(withArticle(uni));
  }
  return captions;
}
