/**
 * Cuts a drawing out of its white background: 8-bit RGB in, RGBA out.
 *
 * The models draw on white. The background is the near-white region connected to the border (a
 * flood fill), so white inside the drawing — eyes, teeth, highlights — stays opaque. Pixels of that
 * region and the ring just inside it are un-blended from white ("colour to alpha": a pixel P is
 * read as a colour F at opacity a over white, with the least a that explains it), so antialiased
 * edges keep their colour at partial opacity instead of leaving a light fringe on a dark slide.
 */
export function matteWhite(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const n = width * height;
  const background = floodFromBorder(rgb, width, height);
  const edge = ring(background, width, height);
  // Drawn backgrounds are near white, not 255: their own white point, a little below their lightest.
  const white = whitePoint(rgb, background);
  const out = new Uint8Array(n * 4);
  for (let p = 0; p < n; p++) {
    const r = rgb[p * 3] as number;
    const g = rgb[p * 3 + 1] as number;
    const b = rgb[p * 3 + 2] as number;
    if (!background[p] && !edge[p]) {
      out.set([r, g, b, 255], p * 4);
      continue;
    }
    // The least opacity a with P = a·F + (1 − a)·white and F a valid colour: set by the darkest channel.
    const a = Math.max(0, (white - Math.min(r, g, b)) / white);
    if (a * 255 < 1) continue; // fully transparent (the buffer is zeroed)
    const un = (c: number) => Math.round(Math.min(255, Math.max(0, (c - (1 - a) * white) / a)));
    out.set([un(r), un(g), un(b), Math.round(a * 255)], p * 4);
  }
  return out;
}

/** The background's white: its darkest channel's 10th percentile, minus a margin for noise. */
function whitePoint(rgb: Uint8Array, background: Uint8Array): number {
  const counts = new Array<number>(256).fill(0);
  let total = 0;
  for (let p = 0; p < background.length; p++) {
    if (!background[p]) continue;
    const v = Math.min(rgb[p * 3] as number, rgb[p * 3 + 1] as number, rgb[p * 3 + 2] as number);
    counts[v] = (counts[v] as number) + 1;
    total++;
  }
  if (total === 0) return 255;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += counts[v] as number;
    if (seen >= total * 0.1) return Math.max(NEAR_WHITE + 20, v - 3);
  }
  return 255;
}

// Near-white: the background and the light half of its antialiased edge.
const NEAR_WHITE = 200;

/** Pixels whose every channel is ≥ NEAR_WHITE and that connect to the image border through such pixels. */
function floodFromBorder(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const n = width * height;
  const seen = new Uint8Array(n);
  const light = (p: number) =>
    (rgb[p * 3] as number) >= NEAR_WHITE &&
    (rgb[p * 3 + 1] as number) >= NEAR_WHITE &&
    (rgb[p * 3 + 2] as number) >= NEAR_WHITE;
  const stack: number[] = [];
  const push = (p: number) => {
    if (!seen[p] && light(p)) {
      seen[p] = 1;
      stack.push(p);
    }
  };
  for (let x = 0; x < width; x++) {
    push(x);
    push((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    push(y * width);
    push(y * width + width - 1);
  }
  while (stack.length > 0) {
    const p = stack.pop() as number;
    const x = p % width;
    const y = (p - x) / width;
    if (x > 0) push(p - 1);
    if (x < width - 1) push(p + 1);
    if (y > 0) push(p - width);
    if (y < height - 1) push(p + width);
  }
  return seen;
}

/** Pixels outside `region` that touch it (8-neighbours): the drawing's outermost ring. */
function ring(region: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (region[p]) continue;
      for (let dy = -1; dy <= 1 && !out[p]; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < width && yy < height && region[yy * width + xx]) {
            out[p] = 1;
            break;
          }
        }
      }
    }
  }
  return out;
}
