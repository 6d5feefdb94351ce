import * as vscode from 'vscode';
import type { GalleryView } from '../gallery/gallery-view.js';

/** "Matryoshka: Show Gallery" (and "Show in Gallery" on a picture): the gallery view, at that picture. */
export async function showGalleryCommand(gallery: GalleryView, uri?: vscode.Uri): Promise<void> {
  await gallery.show(uri instanceof vscode.Uri && uri.scheme === 'file' ? uri.fsPath : undefined);
}
