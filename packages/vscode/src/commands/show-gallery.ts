import { GalleryPanel } from '../gallery/gallery-panel.js';
import type { Services } from '../services.js';

/** "Matryoshka: Show Gallery": this workspace's generated images with their prompts; click to insert. */
export function showGalleryCommand(services: Services): void {
  GalleryPanel.show(services);
}
