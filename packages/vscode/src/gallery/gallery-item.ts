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

/** Messages the gallery webview posts to the extension. */
export type GalleryMessage =
  | { type: 'insert'; path: string }
  | { type: 'open'; path: string }
  | { type: 'refresh' };

export function isGalleryMessage(value: unknown): value is GalleryMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; path?: unknown };
  if (v.type === 'refresh') return true;
  return (v.type === 'insert' || v.type === 'open') && typeof v.path === 'string';
}
