import { describe, expect, it } from 'vitest';
import { commandLink, isLinkLocation, linkPictureActions } from './link-picture-actions.js';

const at = { document: 'file:///w/README.md', line: 3, character: 7 };

describe('linkPictureActions', () => {
  it('offers all four on a generated PNG, the link location to Regenerate and the file to the others', () => {
    const actions = linkPictureActions('file:///w/images/heart.png', true, at);
    expect(actions.map((a) => a.command)).toEqual([
      'matryoshka.regenerate',
      'matryoshka.variations',
      'matryoshka.showInGallery',
      'matryoshka.copyPrompt',
    ]);
    expect(actions[0]?.args).toEqual([at]);
    expect(actions[1]?.args).toEqual(['file:///w/images/heart.png']);
  });

  it('offers only what the file supports', () => {
    // A photo without a record: vary it, but there is no prompt to redraw or copy, and no gallery card.
    expect(linkPictureActions('file:///w/photo.JPG', false, at).map((a) => a.title)).toEqual([
      'Variations of This Image',
    ]);
    // An animated clip: the gallery shows it; the engine does not vary GIFs.
    expect(linkPictureActions('file:///w/clip.gif', true, at).map((a) => a.command)).toEqual([
      'matryoshka.regenerate',
      'matryoshka.showInGallery',
      'matryoshka.copyPrompt',
    ]);
    expect(linkPictureActions('file:///w/doc.pdf', false, at)).toEqual([]);
  });
});

describe('commandLink', () => {
  it('encodes the arguments so that the hover hands them back intact', () => {
    const [regenerate] = linkPictureActions('file:///w/a b.png', true, at);
    const link = commandLink(regenerate as never);
    const match = /^\[Regenerate with a New Seed\]\(command:matryoshka\.regenerate\?([^)\s]+)\)$/.exec(link);
    expect(match).not.toBeNull();
    expect(JSON.parse(decodeURIComponent(match?.[1] ?? ''))).toEqual([at]);
  });
});

describe('isLinkLocation', () => {
  it('accepts what linkPictureActions passes and nothing else', () => {
    expect(isLinkLocation(at)).toBe(true);
    for (const other of [
      undefined,
      null,
      'file:///w/a.png',
      { document: 'x', line: 1.5, character: 0 },
      {},
    ]) {
      expect(isLinkLocation(other)).toBe(false);
    }
  });
});
