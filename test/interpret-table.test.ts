import { describe, expect, it } from 'vitest';
import { PromptReader } from '../packages/core/src/index.js';
// @ts-expect-error: a plain ES module of the training side, without types.
import { buildTable } from '../training/data/interpret-table.mjs';

// The table builder on a tiny vocabulary with real WordNet: what each of its rules gives the engine.
const vocab = [
  '<pad>',
  '<unk>',
  '<bos>',
  'a',
  'cat',
  'dog',
  'heart',
  'red',
  'lock',
  'calendar',
  'face',
  'cats',
  'mobile',
  'phone',
];
const counts = new Map([
  ['cat', 400],
  ['dog', 300],
  ['heart', 500],
  ['red', 200],
  ['lock', 50],
  ['calendar', 40],
  ['face', 900],
  ['cats', 2],
  ['mobile', 30],
  ['phone', 30],
]);

describe('interpret-table.mjs', () => {
  const { table } = buildTable(vocab, {}, { counts });
  const reader = new PromptReader(vocab, {}, table);
  const read = (prompt: string) => reader.read(prompt).text;

  it('reads a plural the captions rarely say as its frequent singular', () => {
    expect(read('cats')).toBe('cat');
  });

  it('keeps real words the model lacks instead of "correcting" them into known ones', () => {
    expect(table.keep.split(' ')).toContain('chat');
    expect(read('a chat')).toBe('a chat');
    expect(read('a red haert')).toBe('a red heart');
  });

  it('leaves a word nobody writes to spelling correction', () => {
    expect(read('a calender')).toBe('a calendar');
  });

  it('drops style words the model lacks, never reading them as things', () => {
    expect(read('a sticker of a heart')).toBe('a heart');
    expect(read('a simple red heart')).toBe('a red heart');
  });

  it('reads words newer than WordNet, or used in a newer sense, as the picture people mean', () => {
    expect(read('a smartphone')).toBe('a mobile phone');
    expect(read('an android')).toBe('a mobile phone');
  });

  it('maps colour names and broader terms onto known words', () => {
    expect(read('a crimson heart')).toBe('a red heart');
    expect(read('a padlock')).toBe('a lock');
    expect(read('a puppy')).toMatch(/^a dog/);
  });
}, 300_000);
