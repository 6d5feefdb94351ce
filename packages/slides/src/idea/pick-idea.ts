import { contentWords, FRAME_WORDS, lookupForms } from './slide-words.js';
import { TOPICS } from './topics.js';

/** What a slide's picture shows, and why. */
export interface SlideIdea {
  /** The prompt for the picture, e.g. "a calendar". */
  picture: string;
  /** topic: a designer's picture for an idea; word: a thing the slide names that the model knows. */
  source: 'topic' | 'word';
  /** The slide words it came from, as written. */
  words: string;
}

/** Whether the model draws a word as itself (known, read as itself or its singular). */
export type KnowsWord = (word: string) => Promise<boolean>;

const TOPIC_OF = new Map<string, string>();
for (const { picture, words } of TOPICS)
  for (const w of words) if (!TOPIC_OF.has(w)) TOPIC_OF.set(w, picture);

// A title says what the slide is about; body text only supports it.
const TITLE_WEIGHT = 1;
const BODY_WEIGHT = 0.4;
const TOPIC_SCORE = 3;
/** Frame words ("Budget overview", "Gardening tips") say little of what the slide is about. */
const FRAME_TOPIC_SCORE = 2.4;
/** A thing the slide names and the model draws beats an idea's stand-in, unless the idea is the title's head. */
const WORD_SCORE = 2.9;
/** The main phrase of a title (before "of", ":", …) names the subject; its last word most of all. */
const MAIN_PHRASE_BONUS = 0.15;
const HEAD_BONUS = 0.3;
/** Below this, nothing on the slide is drawable enough: no picture rather than a blob. */
const MIN_SCORE = 1.1;

interface Candidate extends SlideIdea {
  score: number;
}

/**
 * One drawable idea for a slide: each content word of the title (then the first body points) is
 * matched against designers' pictures for abstract topics (schedule → a calendar) and, with
 * `knows`, against the things the model can draw by name (tulips → a tulip). Later title words
 * weigh a little more (the head of an English noun phrase comes last); undefined when nothing fits.
 */
export async function pickIdea(
  title: string | undefined,
  body: readonly string[],
  knows?: KnowsWord,
): Promise<SlideIdea | undefined> {
  const parts = [
    { text: title ?? '', weight: TITLE_WEIGHT },
    ...body.slice(0, 4).map((text) => ({ text, weight: BODY_WEIGHT })),
  ];
  let best: Candidate | undefined;
  const consider = (candidate: Candidate) => {
    if (!best || candidate.score > best.score) best = candidate;
  };
  for (const { text, weight } of parts) {
    const words = contentWords(text);
    for (const [i, slideWord] of words.entries()) {
      const { raw, phrase, head } = slideWord;
      const bonus = phrase === 0 ? (head ? HEAD_BONUS : MAIN_PHRASE_BONUS) : 0;
      const next = words[i + 1];
      const pair =
        next && next.phrase === phrase
          ? (TOPIC_OF.get(`${slideWord.word} ${next.word}`) ?? TOPIC_OF.get(`${raw} ${next.raw}`))
          : undefined;
      if (pair) {
        consider({
          picture: pair,
          source: 'topic',
          words: `${raw} ${next?.raw}`,
          score: weight * (TOPIC_SCORE + HEAD_BONUS),
        });
        continue;
      }
      const form = lookupForms(slideWord).find((f) => TOPIC_OF.has(f));
      if (form !== undefined) {
        const base = FRAME_WORDS.has(form) ? FRAME_TOPIC_SCORE : TOPIC_SCORE;
        consider({
          picture: TOPIC_OF.get(form) as string,
          source: 'topic',
          words: raw,
          score: weight * (base + bonus),
        });
      } else if (
        knows &&
        slideWord.word.length >= 3 &&
        !FRAME_WORDS.has(slideWord.word) &&
        (best?.score ?? 0) < weight * (WORD_SCORE + bonus) &&
        (await knows(slideWord.word))
      ) {
        consider({
          picture: article(slideWord.word),
          source: 'word',
          words: raw,
          score: weight * (WORD_SCORE + bonus),
        });
      }
    }
  }
  if (!best || best.score < MIN_SCORE) return undefined;
  const { score: _score, ...idea } = best;
  return idea;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}
