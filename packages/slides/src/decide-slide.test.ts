import { describe, expect, it } from 'vitest';
import { decideSlide, type SlideFacts } from './decide-slide.js';

const facts = (over: Partial<SlideFacts> = {}): SlideFacts => ({
  number: 3,
  title: 'Project roadmap',
  body: ['Pumpkins in autumn'],
  notes: '',
  hasPicture: false,
  hidden: false,
  ...over,
});

describe('decideSlide', () => {
  it('plans a bare slide from the idea of its text, says why, and seeds it', async () => {
    const report = await decideSlide(facts(), { force: false, style: 'pixel art' });
    expect(report).toMatchObject({
      status: 'planned',
      prompt: 'a calendar, pixel art',
      promptSource: 'topic',
      why: '"roadmap" is pictured as a calendar',
    });
    expect(report.seed).toEqual(expect.any(Number));
  });

  it('draws a thing the slide names when the model knows it, and nothing when nothing fits', async () => {
    const knows = async (word: string) => ['tulip', 'pumpkin'].includes(word);
    const tulips = await decideSlide(facts({ title: 'Spring tulips', body: [] }), { force: false, knows });
    expect(tulips).toMatchObject({ prompt: 'a tulip', promptSource: 'word' });
    const vague = await decideSlide(facts({ title: 'Stage 1 — March 2014 to mid-2015', body: [] }), {
      force: false,
      knows,
    });
    expect(vague).toMatchObject({ status: 'skipped', reason: 'no-idea' });
  });

  it('lets a notes directive replace the prompt, keeping the deck style', async () => {
    const report = await decideSlide(facts({ notes: 'illustrate: a pumpkin' }), {
      force: false,
      style: 'pixel art',
    });
    expect(report).toMatchObject({ prompt: 'a pumpkin, pixel art', promptSource: 'notes' });
  });

  it('skips slides that already have a picture unless forced', async () => {
    expect(await decideSlide(facts({ hasPicture: true }), { force: false })).toMatchObject({
      status: 'skipped',
      reason: 'has-picture',
    });
    expect((await decideSlide(facts({ hasPicture: true }), { force: true })).status).toBe('planned');
    // A directive does not count as force: illustrating an illustrated deck again changes nothing.
    expect(
      (await decideSlide(facts({ hasPicture: true, notes: 'illustrate: a logo' }), { force: false })).status,
    ).toBe('skipped');
  });

  it('never overrides "illustrate: no", not even with force or a selection', async () => {
    const no = facts({ notes: 'illustrate: no' });
    expect(await decideSlide(no, { force: true, selected: new Set([3]) })).toMatchObject({
      reason: 'directive',
    });
  });

  it('skips hidden slides unless they are selected or have a directive', async () => {
    expect(await decideSlide(facts({ hidden: true }), { force: false })).toMatchObject({ reason: 'hidden' });
    expect(
      (await decideSlide(facts({ hidden: true }), { force: false, selected: new Set([3]) })).status,
    ).toBe('planned');
    expect(
      (await decideSlide(facts({ hidden: true, notes: 'illustrate: a cat' }), { force: false })).status,
    ).toBe('planned');
  });

  it('skips unselected slides and slides with nothing to draw from', async () => {
    expect(await decideSlide(facts(), { force: false, selected: new Set([1]) })).toMatchObject({
      reason: 'not-selected',
    });
    const { title: _title, ...untitled } = facts();
    expect(await decideSlide({ ...untitled, body: [] }, { force: false })).toMatchObject({
      reason: 'no-text',
    });
  });
});
