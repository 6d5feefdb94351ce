/** a:srcRect insets, in thousandths of a percent, that crop an image to fill a frame without distortion. */
export interface SourceRect {
  l: number;
  t: number;
  r: number;
  b: number;
}

// Some of the picture always stays visible, however extreme the frame.
const MAX_SIDE = 49_999;

export function coverCrop(
  image: { width: number; height: number },
  frame: { width: number; height: number },
): SourceRect {
  const imageAspect = image.width / image.height;
  const frameAspect = frame.width / frame.height;
  if (Math.abs(imageAspect - frameAspect) < 1e-6) return { l: 0, t: 0, r: 0, b: 0 };
  if (imageAspect > frameAspect) {
    const side = Math.min(MAX_SIDE, Math.round(((1 - frameAspect / imageAspect) / 2) * 100_000));
    return { l: side, t: 0, r: side, b: 0 };
  }
  const side = Math.min(MAX_SIDE, Math.round(((1 - imageAspect / frameAspect) / 2) * 100_000));
  return { l: 0, t: side, r: 0, b: side };
}
