import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@matryoshka/core';
import { afterAll, describe, expect, it } from 'vitest';
import { type KnowsWord, pickIdea } from './pick-idea.js';
import { TOPICS } from './topics.js';

// The shipped model's tokenizer (no ONNX session is opened: readPrompt needs only the vocabulary).
const MODELS = fileURLToPath(new URL('../../../../models/', import.meta.url));
const engine = createEngine({ modelsDir: MODELS });
afterAll(() => engine.close());

const knows: KnowsWord = async (word) => {
  const r = await engine.readPrompt(word, { model: 'emoji-256' });
  return r.unknownWords.length === 0 && r.interpretation.changes.every((c) => c.reason === 'plural');
};

interface Labelled {
  title: string;
  body: string[];
  accept: string[];
  orNone?: boolean;
}
const load = (file: string) =>
  (JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as { slides: Labelled[] }).slides;

/** The share of slides whose picture is one a designer accepts (or none, where none is right). */
async function score(slides: Labelled[], label: string): Promise<number> {
  let right = 0;
  const wrong: string[] = [];
  for (const slide of slides) {
    const idea = await pickIdea(slide.title, slide.body, knows);
    const ok =
      idea === undefined
        ? slide.accept.length === 0 || slide.orNone === true
        : slide.accept.includes(idea.picture);
    if (ok) right++;
    else
      wrong.push(
        `"${slide.title}" → ${idea?.picture ?? 'none'} (wanted ${slide.accept.join(' | ') || 'none'})`,
      );
  }
  console.info(
    `${label}: ${right}/${slides.length} = ${((100 * right) / slides.length).toFixed(1)}%\n${wrong.join('\n')}`,
  );
  return right / slides.length;
}

describe('pickIdea', () => {
  it('writes every topic picture in words the shipped model knows, read as they are', async () => {
    const misread: string[] = [];
    for (const { picture } of TOPICS) {
      const r = await engine.readPrompt(picture, { model: 'emoji-256' });
      if (r.unknownWords.length > 0 || r.interpretation.text !== picture)
        misread.push(`${picture} → ${r.interpretation.text}`);
    }
    expect(misread).toEqual([]);
  });

  it('leaves LaTeX, code, numbers and filler out of the idea', async () => {
    expect(await pickIdea('Solving $\\frac{a}{b}$ with `lock()`', [], knows)).toBeUndefined();
    expect(await pickIdea('Section 3: 2014–2015', ['1.', '2.'], knows)).toBeUndefined();
  });

  it('prefers the title over the bullets, and a designer topic over a word', async () => {
    expect(await pickIdea('Security', ['a cat'], knows)).toMatchObject({
      picture: 'a lock',
      source: 'topic',
    });
    expect(await pickIdea('Bears', ['our budget'], knows)).toMatchObject({
      picture: 'a bear',
      source: 'word',
    });
  });

  it("takes the subject, not the word that frames it, as a title's head", async () => {
    expect(await pickIdea('Winter operations', [], knows)).toMatchObject({ picture: 'a snowflake' });
    expect(await pickIdea('Introduction to chemistry', [], knows)).toMatchObject({ picture: 'a test tube' });
    // A title of frame words alone still has a head.
    expect(await pickIdea('Introduction', [], knows)).toMatchObject({ picture: 'a waving hand' });
  });

  it('picks the picture a designer would on the labelled slides (accuracy printed, kept above 85%)', async () => {
    expect(await score(load('./labelled-slides.json'), 'slide ideas, tuning set')).toBeGreaterThanOrEqual(
      0.85,
    );
  });

  it('on slides written after the tuning (accuracy printed; 63% when first measured, 70% after frame words; kept above 60%)', async () => {
    expect(await score(load('./heldout-slides.json'), 'slide ideas, held-out set')).toBeGreaterThanOrEqual(
      0.6,
    );
  });

  it('on a second held-out set, written before the frame-word change (60% before it, 72.5% after; kept above 50%)', async () => {
    expect(
      await score(load('./heldout-slides-2.json'), 'slide ideas, held-out set 2'),
    ).toBeGreaterThanOrEqual(0.5);
  });
});
