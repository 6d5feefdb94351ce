import { z } from 'zod';
import { fnv1a32 } from './fnv1a.js';
import { CHANGE_REASONS, type Interpretation, PromptReader } from './interpret.js';
import { splitWords } from './split-words.js';

export { splitWords };

export const PAD_ID = 0;
export const UNK_ID = 1;
export const BOS_ID = 2;

export const TokenizerSpecSchema = z.object({
  type: z.literal('matryoshka-word-ngram'),
  version: z.literal(1),
  maxTokens: z.number().int().min(1),
  ngram: z.object({
    n: z.number().int().min(1),
    buckets: z.number().int().min(1),
    perToken: z.number().int().min(1),
    hash: z.literal('fnv1a32'),
  }),
  vocab: z.array(z.string()).min(3),
  /** Words read as another word before lookup and n-grams (e.g. "the" -> "a"); absent in older bundles. */
  aliases: z.record(z.string(), z.string()).optional(),
  /** How prompts are read onto the vocabulary (interpret.ts); absent in older bundles. */
  interpret: z
    .object({
      version: z.literal(1),
      groups: z.array(z.tuple([z.string(), z.enum(CHANGE_REASONS), z.string()])),
      keep: z.string().optional(),
      pairs: z.array(z.string()).optional(),
    })
    .optional(),
});
export type TokenizerSpec = z.output<typeof TokenizerSpecSchema>;

export interface EncodedText {
  /** [maxTokens] token ids, 0 = padding. */
  tokens: Int32Array;
  /** [maxTokens * perToken] n-gram bucket ids, 0 = padding. */
  ngrams: Int32Array;
  /** The words as the model saw them (after normalisation), for diagnostics. */
  words: string[];
  /** Words that are not in the vocabulary (they still reach the model through their n-grams). */
  unknownWords: string[];
  /** Words dropped because the prompt exceeds maxTokens. */
  truncatedWords: number;
}

const encoder = new TextEncoder();

/** The first `limit` character n-grams of "<word>", as code-point strings. */
export function wordNgrams(word: string, n: number, limit: number): string[] {
  const chars = [...`<${word}>`];
  if (chars.length <= n) return [chars.join('')];
  const grams: string[] = [];
  for (let i = 0; i + n <= chars.length && grams.length < limit; i++)
    grams.push(chars.slice(i, i + n).join(''));
  return grams;
}

export class Tokenizer {
  readonly maxTokens: number;
  readonly perToken: number;
  private readonly ids: Map<string, number>;
  private readonly aliases: Map<string, string>;
  private readonly reader: PromptReader;

  constructor(readonly spec: TokenizerSpec) {
    this.maxTokens = spec.maxTokens;
    this.perToken = spec.ngram.perToken;
    this.ids = new Map();
    this.aliases = new Map(Object.entries(spec.aliases ?? {}));
    // First occurrence wins, should a vocabulary ever repeat a word.
    spec.vocab.forEach((word, id) => {
      if (!this.ids.has(word)) this.ids.set(word, id);
    });
    this.reader = new PromptReader(spec.vocab, spec.aliases ?? {}, spec.interpret);
  }

  /** The prompt read onto the words the model knows (interpret.ts); encode its `text`. */
  read(prompt: string): Interpretation {
    return this.reader.read(prompt);
  }

  encode(text: string): EncodedText {
    const { n, buckets, perToken } = this.spec.ngram;
    // An alias to "" drops the word: fillers such as "cute" that the captions tie to one picture.
    const words = splitWords(text)
      .map((word) => this.aliases.get(word) ?? word)
      .filter((word) => word !== '');
    const kept = words.slice(0, this.maxTokens - 1);
    const tokens = new Int32Array(this.maxTokens);
    const ngrams = new Int32Array(this.maxTokens * perToken);
    const unknownWords: string[] = [];
    tokens[0] = BOS_ID;
    kept.forEach((word, i) => {
      const id = this.ids.get(word);
      if (id === undefined) unknownWords.push(word);
      tokens[i + 1] = id ?? UNK_ID;
      wordNgrams(word, n, perToken).forEach((gram, j) => {
        ngrams[(i + 1) * perToken + j] = 1 + (fnv1a32(encoder.encode(gram)) % buckets);
      });
    });
    return { tokens, ngrams, words: kept, unknownWords, truncatedWords: words.length - kept.length };
  }
}
