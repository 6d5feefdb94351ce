import type { GenerationRecord } from '../png/generation-record.js';

/** One picture in the gallery. */
export interface GalleryItem {
  /** Absolute file-system path (sent back by the webview on click). */
  path: string;
  /** Path shown under the picture, relative to the workspace. */
  label: string;
  /** URI the webview may load the picture from (webview.asWebviewUri). */
  src: string;
  record: GenerationRecord;
  modifiedMs: number;
}

/** What a gallery card can do with its picture. */
export const PICTURE_ACTIONS = [
  'insert',
  'open',
  'copyPrompt',
  'regenerate',
  'variations',
  'reveal',
  'delete',
] as const;
export type PictureAction = (typeof PICTURE_ACTIONS)[number];

/** Messages the gallery webview posts to the extension. */
export type GalleryMessage = { type: PictureAction; path: string } | { type: 'refresh' };

/** Messages the extension posts to the gallery webview. */
export type GalleryUpdate = { type: 'highlight'; path: string };

export function isGalleryMessage(value: unknown): value is GalleryMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; path?: unknown };
  if (v.type === 'refresh') return true;
  return (PICTURE_ACTIONS as readonly unknown[]).includes(v.type) && typeof v.path === 'string';
}
