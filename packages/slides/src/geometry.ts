/** An axis-aligned rectangle; in EMU for PPTX (914400 per inch). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const right = (b: Box): number => b.x + b.width;
export const bottom = (b: Box): number => b.y + b.height;
export const area = (b: Box): number => Math.max(0, b.width) * Math.max(0, b.height);

/** True when the boxes share interior; touching edges do not count. */
export function overlaps(a: Box, b: Box): boolean {
  return a.x < right(b) && b.x < right(a) && a.y < bottom(b) && b.y < bottom(a);
}

export function intersection(a: Box, b: Box): Box {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(0, Math.min(right(a), right(b)) - x),
    height: Math.max(0, Math.min(bottom(a), bottom(b)) - y),
  };
}

export function inflate(b: Box, by: number): Box {
  return { x: b.x - by, y: b.y - by, width: b.width + 2 * by, height: b.height + 2 * by };
}

/** The axis-aligned box a rotated rectangle covers (rotation in degrees, about its centre). */
export function rotatedBounds(b: Box, degrees: number): Box {
  const radians = (degrees * Math.PI) / 180;
  const cos = Math.abs(Math.cos(radians));
  const sin = Math.abs(Math.sin(radians));
  const width = b.width * cos + b.height * sin;
  const height = b.width * sin + b.height * cos;
  return { x: b.x + (b.width - width) / 2, y: b.y + (b.height - height) / 2, width, height };
}
