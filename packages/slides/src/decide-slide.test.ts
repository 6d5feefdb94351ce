import { describe, expect, it } from 'vitest';
import { decideSlide, type SlideFacts } from './decide-slide.js';

const facts = (over: Partial<SlideFacts> = {}): SlideFacts => ({
  number: 3,
  title: 'Harvest',
  body: ['Pumpkins'],
  notes: '',
  hasPicture: false,
  hidden: false,
  ...over,
});

describe('decideSlide', () => {
  it('plans a bare slide from its text, with a seed', () => {
    const report = decideSlide(facts(), { force: false, style: 'pixel art' });
    expect(report).toMatchObject({
      status: 'planned',
      prompt: 'Harvest, Pumpkins, pixel art',
      promptSource: 'slide',
    });
    expect(report.seed).toEqual(expect.any(Number));
  });

  it('lets a notes directive replace the prompt, keeping the deck style', () => {
    const report = decideSlide(facts({ notes: 'illustrate: a pumpkin' }), {
      force: false,
      style: 'pixel art',
    });
    expect(report).toMatchObject({ prompt: 'a pumpkin, pixel art', promptSource: 'notes' });
  });

  it('skips slides that already have a picture unless forced', () => {
    expect(decideSlide(facts({ hasPicture: true }), { force: false })).toMatchObject({
      status: 'skipped',
      reason: 'has-picture',
    });
    expect(decideSlide(facts({ hasPicture: true }), { force: true }).status).toBe('planned');
    // A directive does not count as force: illustrating an illustrated deck again changes nothing.
    expect(
      decideSlide(facts({ hasPicture: true, notes: 'illustrate: a logo' }), { force: false }).status,
    ).toBe('skipped');
  });

  it('never overrides "illustrate: no", not even with force or a selection', () => {
    const no = facts({ notes: 'illustrate: no' });
    expect(decideSlide(no, { force: true, selected: new Set([3]) })).toMatchObject({ reason: 'directive' });
  });

  it('skips hidden slides unless they are selected or have a directive', () => {
    expect(decideSlide(facts({ hidden: true }), { force: false })).toMatchObject({ reason: 'hidden' });
    expect(decideSlide(facts({ hidden: true }), { force: false, selected: new Set([3]) }).status).toBe(
      'planned',
    );
    expect(decideSlide(facts({ hidden: true, notes: 'illustrate: a cat' }), { force: false }).status).toBe(
      'planned',
    );
  });

  it('skips unselected slides and slides with nothing to draw from', () => {
    expect(decideSlide(facts(), { force: false, selected: new Set([1]) })).toMatchObject({
      reason: 'not-selected',
    });
    const { title: _title, ...untitled } = facts();
    expect(decideSlide({ ...untitled, body: [] }, { force: false })).toMatchObject({ reason: 'no-text' });
  });
});
