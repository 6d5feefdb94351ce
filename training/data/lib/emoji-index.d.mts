export interface EmojiEntry {
  hexcode: string;
  label: string;
  tags: string[];
  unicodeName: string | undefined;
  group: string;
  subgroup: string;
  order: number;
  emoji: string;
}
export interface EmojiIndex {
  byHex: Map<string, EmojiEntry>;
  bySlug: Map<string, EmojiEntry>;
  bySquash: Map<string, EmojiEntry>;
  skinToneSlugs: Set<string>;
}
export type IconMatch = { kind: 'emoji'; entry: EmojiEntry; variant: number } | { kind: 'skin-tone' } | { kind: 'none' };
export function slug(text: string): string;
export function squash(text: string): string;
export function loadEmojiIndex(): EmojiIndex;
export function matchIconName(index: EmojiIndex, name: string, opts?: { squashed?: boolean }): IconMatch;
