import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { editDistance, type InterpretTable, lemmas, PromptReader } from './interpret.js';

const vectors = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/interpret-vectors.json', import.meta.url), 'utf8'),
) as {
  vocab: string[];
  aliases: Record<string, string>;
  interpret: InterpretTable;
  cases: Array<{ prompt: string; text: string; changes: unknown[]; recolour?: string }>;
};

describe('PromptReader', () => {
  const reader = new PromptReader(vectors.vocab, vectors.aliases, vectors.interpret);

  it('reads every shared vector exactly as the Python twin must', () => {
    for (const c of vectors.cases)
      expect(reader.read(c.prompt), c.prompt).toEqual({
        text: c.text,
        changes: c.changes,
        ...(c.recolour ? { recolour: c.recolour } : {}),
      });
  });

  it('leaves words it cannot place as typed, for the unknown-word warning', () => {
    expect(reader.read('a quokka').changes).toEqual([]);
  });

  it('without a table still reads plurals and spelling', () => {
    const bare = new PromptReader(vectors.vocab, {});
    expect(bare.read('birds').text).toBe('bird');
    expect(bare.read('a kitty').text).toBe('a kitty');
    expect(bare.read('a hart').text).toBe('a heart');
  });
});

describe('the rules', () => {
  it('edit distance counts a transposition as one edit and stops past the limit', () => {
    expect(editDistance('rokcet', 'rocket', 2)).toBe(1);
    expect(editDistance('aple', 'apple', 2)).toBe(1);
    expect(editDistance('cat', 'dog', 1)).toBe(2);
  });

  it('lemmas: plurals and inflections, most likely first', () => {
    expect(lemmas('berries')[0]).toEqual(['berry', 'plural']);
    expect(lemmas('leaves').map(([w]) => w)).toContain('leaf');
    expect(lemmas('running').map(([w]) => w)).toContain('run');
    expect(lemmas('mice')[0]).toEqual(['mouse', 'plural']);
  });
});
