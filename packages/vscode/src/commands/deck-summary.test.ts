import { describe, expect, it } from 'vitest';
import { deckSummary } from './deck-summary.js';

describe('deckSummary', () => {
  it('counts illustrated and skipped slides and names the output file', () => {
    expect(deckSummary({ illustrated: 3, skipped: 1, output: '/ws/talk.illustrated.md', slides: [] })).toBe(
      'illustrated 3 slides, 1 slide skipped → talk.illustrated.md.',
    );
    expect(deckSummary({ illustrated: 1, skipped: 0, output: 'C:\\d\\a.illustrated.pptx', slides: [] })).toBe(
      'illustrated 1 slide → a.illustrated.pptx.',
    );
  });

  it('says why nothing was drawn', () => {
    expect(
      deckSummary({
        illustrated: 0,
        skipped: 2,
        output: null,
        slides: [
          { slide: 1, status: 'skipped', reason: 'has-picture' },
          { slide: 2, status: 'skipped', reason: 'no-text' },
        ],
      }),
    ).toBe('no slide needed a picture (2 slides skipped: has-picture, no-text).');
  });
});
