import type { Box } from '../geometry.js';

// A slide is judged as shown full screen on a 1080-line display; beyond twice its own pixels a
// picture turns soft there, so a free-space frame grows no larger.
const SCREEN_LINES = 1080;
export const MAX_ENLARGEMENT = 2;

/**
 * The frame a picture gets in free space: its own aspect (nothing cropped), centred in the box, no
 * larger than the box and than MAX_ENLARGEMENT times its pixels on a full-screen slide.
 */
export function fitPicture(
  box: Box,
  image: { width: number; height: number },
  slide: { width: number; height: number },
): Box {
  const emuPerScreenPixel = slide.height / SCREEN_LINES;
  const scale = Math.min(
    box.width / image.width,
    box.height / image.height,
    MAX_ENLARGEMENT * emuPerScreenPixel,
  );
  const width = Math.round(image.width * scale);
  const height = Math.round(image.height * scale);
  return {
    x: Math.round(box.x + (box.width - width) / 2),
    y: Math.round(box.y + (box.height - height) / 2),
    width,
    height,
  };
}
