import type { GalleryView } from '../gallery/gallery-view.js';
import { pictureFile } from '../paths/picture-arg.js';

/** "Matryoshka: Show Gallery" (and "Show in Gallery" on a picture): the gallery view, at that picture. */
export async function showGalleryCommand(gallery: GalleryView, target?: unknown): Promise<void> {
  await gallery.show(pictureFile(target));
}
