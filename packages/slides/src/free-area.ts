import { type Box, bottom, inflate, overlaps, right } from './geometry.js';

export interface FreeAreaOptions {
  /** Empty border kept around the slide, as a fraction of its shorter side. */
  margin?: number;
  /** Gap kept between the picture and any obstacle, as a fraction of the slide's shorter side. */
  gap?: number;
  /** The picture's frame aspect (width / height) is kept within [1 / maxAspect, maxAspect]. */
  maxAspect?: number;
  /** Smallest acceptable frame side, as a fraction of the slide's shorter side. */
  minSide?: number;
  /** Largest frame, as fractions of the slide's width and height. */
  maxWidth?: number;
  maxHeight?: number;
}

const DEFAULTS: Required<FreeAreaOptions> = {
  margin: 0.05,
  gap: 0.025,
  maxAspect: 4 / 3,
  minSide: 0.22,
  maxWidth: 0.5,
  maxHeight: 0.78,
};

/**
 * The best frame for a picture on a slide that must not touch any obstacle: among all maximal
 * empty rectangles (found on the grid of obstacle edges), the one whose aspect-limited frame is
 * largest, with a mild preference for the right-hand side where decks usually put pictures.
 */
export function findFreeArea(
  slide: { width: number; height: number },
  obstacles: Box[],
  options: FreeAreaOptions = {},
): Box | undefined {
  const o = { ...DEFAULTS, ...options };
  const unit = Math.min(slide.width, slide.height);
  const content: Box = {
    x: o.margin * unit,
    y: o.margin * unit,
    width: slide.width - 2 * o.margin * unit,
    height: slide.height - 2 * o.margin * unit,
  };
  // Whole EMU, rounded outward: candidate edges are whole too, so a touching edge never counts as overlap.
  const blocked = obstacles.map((b) => outward(inflate(b, o.gap * unit))).filter((b) => overlaps(b, content));
  const clampX = (v: number) => Math.min(right(content), Math.max(content.x, v));
  const clampY = (v: number) => Math.min(bottom(content), Math.max(content.y, v));
  const xs = unique([content.x, right(content), ...blocked.flatMap((b) => [clampX(b.x), clampX(right(b))])]);
  const ys = unique([
    content.y,
    bottom(content),
    ...blocked.flatMap((b) => [clampY(b.y), clampY(bottom(b))]),
  ]);

  let best: { frame: Box; score: number } | undefined;
  for (let i = 0; i < xs.length; i++) {
    for (let j = xs.length - 1; j > i; j--) {
      const x0 = xs[i] as number;
      const x1 = xs[j] as number;
      for (let k = 0; k < ys.length; k++) {
        for (let l = ys.length - 1; l > k; l--) {
          const candidate = {
            x: x0,
            y: ys[k] as number,
            width: x1 - x0,
            height: (ys[l] as number) - (ys[k] as number),
          };
          const frame = fitFrame(candidate, slide, o);
          if (frame.width < o.minSide * unit || frame.height < o.minSide * unit) continue;
          const score = frame.width * frame.height * (1 + 0.3 * ((frame.x + frame.width / 2) / slide.width));
          if (best !== undefined && score <= best.score) continue;
          if (blocked.some((b) => overlaps(b, candidate))) continue;
          best = { frame, score };
        }
      }
    }
  }
  return best?.frame;
}

/** The frame a picture gets inside a free rectangle: aspect and size limited, centred. */
function fitFrame(free: Box, slide: { width: number; height: number }, o: Required<FreeAreaOptions>): Box {
  let width = Math.min(free.width, o.maxWidth * slide.width);
  let height = Math.min(free.height, o.maxHeight * slide.height);
  if (width > height * o.maxAspect) width = height * o.maxAspect;
  if (height > width * o.maxAspect) height = width * o.maxAspect;
  return {
    x: Math.round(free.x + (free.width - width) / 2),
    y: Math.round(free.y + (free.height - height) / 2),
    width: Math.round(width),
    height: Math.round(height),
  };
}

function outward(b: Box): Box {
  const x = Math.floor(b.x);
  const y = Math.floor(b.y);
  return { x, y, width: Math.ceil(right(b)) - x, height: Math.ceil(bottom(b)) - y };
}

const unique = (values: number[]): number[] => [...new Set(values.map(Math.round))].sort((a, b) => a - b);
