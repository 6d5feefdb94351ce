import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, readFixture } from './fixtures.test-support.js';
import { fnv1a32 } from './fnv1a.js';
import { splitWords, Tokenizer, TokenizerSpecSchema, wordNgrams } from './tokenizer.js';

interface TokenizerVectors {
  tokenizer: string;
  cases: Array<{ text: string; words: string[]; tokens: number[]; ngrams: number[][] }>;
}

const shared = readFixture<TokenizerVectors>('tokenizer-vectors.json');

describe.skipIf(!shared)(
  'Tokenizer against the Python encoder (test/fixtures/tokenizer-vectors.json)',
  () => {
    const vectors = shared as TokenizerVectors;
    const spec = TokenizerSpecSchema.parse(
      JSON.parse(readFileSync(`${FIXTURES_DIR}${vectors?.tokenizer}`, 'utf8')),
    );
    const tokenizer = new Tokenizer(spec);

    it('has at least 30 shared cases', () => {
      expect(vectors.cases.length).toBeGreaterThanOrEqual(30);
    });

    it.each(vectors?.cases ?? [])('encodes $text identically', (c) => {
      const encoded = tokenizer.encode(c.text);
      expect(splitWords(c.text).slice(0, spec.maxTokens - 1)).toEqual(c.words.slice(0, spec.maxTokens - 1));
      expect(Array.from(encoded.tokens)).toEqual(c.tokens);
      const rows = Array.from({ length: spec.maxTokens }, (_, i) =>
        Array.from(encoded.ngrams.subarray(i * spec.ngram.perToken, (i + 1) * spec.ngram.perToken)),
      );
      expect(rows).toEqual(c.ngrams);
    });
  },
);

describe('tokenizer rules', () => {
  it('FNV-1a 32 matches the published test values', () => {
    const utf8 = (s: string) => new TextEncoder().encode(s);
    expect(fnv1a32(utf8(''))).toBe(0x811c9dc5);
    expect(fnv1a32(utf8('a'))).toBe(0xe40c292c);
    expect(fnv1a32(utf8('foobar'))).toBe(0xbf9cf968);
  });

  it('splits on ASCII punctuation and whitespace, keeps non-ASCII code points inside words', () => {
    expect(splitWords('A red-apple, 2 CAFÉS!')).toEqual(['a', 'red', 'apple', '2', 'cafés']);
    expect(splitWords('🍎 apple')).toEqual(['🍎', 'apple']);
    // NFKC folds the full-width letters into ASCII before splitting.
    expect(splitWords('ＡＢＣ')).toEqual(['abc']);
  });

  it('forms n-grams over code points, not UTF-16 units', () => {
    expect(wordNgrams('a', 3, 12)).toEqual(['<a>']);
    expect(wordNgrams('🍎', 3, 12)).toEqual(['<🍎>']);
    expect(wordNgrams('apple', 3, 2)).toEqual(['<ap', 'app']);
  });

  it('truncates long prompts and reports unknown words', () => {
    const tokenizer = new Tokenizer({
      type: 'matryoshka-word-ngram',
      version: 1,
      maxTokens: 4,
      ngram: { n: 3, buckets: 16, perToken: 2, hash: 'fnv1a32' },
      vocab: ['<pad>', '<unk>', '<bos>', 'red'],
    });
    const encoded = tokenizer.encode('red appel red red red');
    expect(Array.from(encoded.tokens)).toEqual([2, 3, 1, 3]);
    expect(encoded.unknownWords).toEqual(['appel']);
    expect(encoded.truncatedWords).toBe(2);
    expect(Array.from(encoded.ngrams.subarray(0, 2))).toEqual([0, 0]);
    expect(encoded.ngrams.every((g) => g >= 0 && g <= 16)).toBe(true);
  });

  // A small spec for the alias tests: special ids 0-2, then the given words.
  const aliasSpec = (maxTokens: number, words: string[]) => ({
    type: 'matryoshka-word-ngram' as const,
    version: 1 as const,
    maxTokens,
    ngram: { n: 3, buckets: 64, perToken: 4, hash: 'fnv1a32' as const },
    vocab: ['<pad>', '<unk>', '<bos>', ...words],
  });

  it('reads aliased words as their target, n-grams included; bundles without aliases keep the word', () => {
    const spec = aliasSpec(6, ['a', 'sun', 'the']);
    const aliased = new Tokenizer({ ...spec, aliases: { the: 'a' } });
    const plain = new Tokenizer(spec);
    const theSun = aliased.encode('The sun');
    expect(Array.from(theSun.tokens)).toEqual([2, 3, 4, 0, 0, 0]);
    expect(Array.from(theSun.ngrams)).toEqual(Array.from(aliased.encode('a sun').ngrams));
    expect(theSun.words).toEqual(['a', 'sun']);
    expect(Array.from(plain.encode('The sun').tokens)).toEqual([2, 5, 4, 0, 0, 0]);
    expect(TokenizerSpecSchema.parse({ ...spec, aliases: { the: 'a' } }).aliases).toEqual({ the: 'a' });
    expect(() => TokenizerSpecSchema.parse({ ...spec, aliases: { the: 3 } })).toThrow();
  });

  it('drops words aliased to "", so they neither take a token slot nor add n-grams', () => {
    const spec = { ...aliasSpec(4, ['a', 'cat', 'cute']), aliases: { cute: '', little: '' } };
    const tok = new Tokenizer(spec);
    const dropped = tok.encode('a cute little cat');
    expect(Array.from(dropped.tokens)).toEqual([2, 3, 4, 0]);
    expect(dropped.words).toEqual(['a', 'cat']);
    expect(dropped.truncatedWords).toBe(0);
    expect(Array.from(dropped.ngrams)).toEqual(Array.from(tok.encode('a cat').ngrams));
    const plain = new Tokenizer({ ...spec, aliases: {} });
    expect(Array.from(plain.encode('a cute cat').tokens)).toEqual([2, 3, 5, 4]);
  });
});
