/**
 * Colour words a model cannot bind to a noun ("a yellow star" drew a full moon: the captions only
 * ever had yellow moons) are applied to the picture instead: the noun is drawn as the model knows it,
 * then its dominant hue is turned to the asked colour about the grey axis, so greys, whites and
 * outlines stay as they are. The same measures as the training's recolour augmentation
 * (training/mdm/recolour.py) and the everyday benchmark's colour check.
 */

/** Hue centres in degrees of the colours hue can make; the colour words this applies to. */
export const COLOUR_HUES = {
  red: 0,
  orange: 30,
  yellow: 55,
  green: 120,
  blue: 215,
  purple: 275,
  pink: 325,
} as const;
export type HueColour = keyof typeof COLOUR_HUES;

export function isHueColour(word: string): word is HueColour {
  return Object.hasOwn(COLOUR_HUES, word);
}

// Pixels whose hue is this close to the dominant one turn fully, fading out to none at FADE_DEG.
const FULL_DEG = 50;
const FADE_DEG = 80;

/**
 * Turns the dominant hue of a sample to `colour`'s, in place, on every level (planar [C, N] values in
 * [-1, 1], C ≥ 3: images and clips alike). The hue is measured on `levels[0]`, the picture shown.
 * False (nothing changed) when the picture has too few coloured pixels to have a hue.
 */
export function recolourLevels(levels: Float32Array[], channels: number, colour: HueColour): boolean {
  if (channels < 3) return false;
  const outer = levels[0];
  if (!outer) return false;
  const dominant = dominantHue(outer, channels);
  if (dominant === undefined) return false;
  const turn = COLOUR_HUES[colour] - dominant;
  const m = hueRotation(turn);
  for (const level of levels) {
    const n = level.length / channels;
    for (let p = 0; p < n; p++) {
      const r = ((level[p] as number) + 1) / 2;
      const g = ((level[n + p] as number) + 1) / 2;
      const b = ((level[2 * n + p] as number) + 1) / 2;
      const w = weight(r, g, b, dominant);
      if (w === 0) continue;
      const rgb = [r, g, b];
      for (let c = 0; c < 3; c++) {
        const turned = (m[c * 3] as number) * r + (m[c * 3 + 1] as number) * g + (m[c * 3 + 2] as number) * b;
        const v = (rgb[c] as number) + w * (turned - (rgb[c] as number));
        level[c * n + p] = Math.min(1, Math.max(0, v)) * 2 - 1;
      }
    }
  }
  return true;
}

/** The saturation-weighted circular mean hue of the coloured pixels, or undefined under 20 of them. */
function dominantHue(level: Float32Array, channels: number): number | undefined {
  const n = level.length / channels;
  let x = 0;
  let y = 0;
  let count = 0;
  for (let p = 0; p < n; p++) {
    const r = ((level[p] as number) + 1) / 2;
    const g = ((level[n + p] as number) + 1) / 2;
    const b = ((level[2 * n + p] as number) + 1) / 2;
    const s = colouredness(r, g, b);
    if (s === 0) continue;
    const h = hueOf(r, g, b);
    x += s * Math.cos(h);
    y += s * Math.sin(h);
    count++;
  }
  if (count < 20 || Math.hypot(x, y) === 0) return undefined;
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

/** The saturation of a drawn, not dark, saturated pixel; 0 for whites, greys and blacks. */
function colouredness(r: number, g: number, b: number): number {
  const mx = Math.max(r, g, b);
  const mn = Math.min(r, g, b);
  const sat = (mx - mn) / Math.max(mx, 1e-6);
  return mn < 0.92 && sat > 0.35 && mx > 0.25 ? sat : 0;
}

/** Hue angle in radians from the opponent-colour plane (no HSV sector cases). */
function hueOf(r: number, g: number, b: number): number {
  return Math.atan2(Math.sqrt(3) * (g - b), 2 * r - g - b);
}

/** How much a pixel turns: saturated pixels near the dominant hue fully, others fading to none. */
function weight(r: number, g: number, b: number, dominant: number): number {
  const mx = Math.max(r, g, b);
  const mn = Math.min(r, g, b);
  const sat = (mx - mn) / Math.max(mx, 1e-6);
  const satWeight = Math.min(1, Math.max(0, (sat - 0.15) / 0.2));
  if (satWeight === 0 || mx < 0.1) return 0;
  const h = (hueOf(r, g, b) * 180) / Math.PI;
  const d = Math.abs(((h - dominant + 540) % 360) - 180);
  const hueWeight = d <= FULL_DEG ? 1 : d >= FADE_DEG ? 0 : (FADE_DEG - d) / (FADE_DEG - FULL_DEG);
  return satWeight * hueWeight;
}

/** Row-major 3×3 matrix turning RGB about the grey axis by `degrees`: greys stay grey, hues turn. */
function hueRotation(degrees: number): number[] {
  const t = (degrees * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  const k = (1 - c) / 3;
  const q = Math.sqrt(1 / 3) * s;
  return [c + k, k - q, k + q, k + q, c + k, k - q, k - q, k + q, c + k];
}
