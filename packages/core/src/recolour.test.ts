import { describe, expect, it } from 'vitest';
import { COLOUR_HUES, recolourLevels } from './recolour.js';

/** A planar [3, n] level in [-1, 1] from 0–1 RGB pixels. */
function level(pixels: Array<[number, number, number]>): Float32Array {
  const n = pixels.length;
  const out = new Float32Array(3 * n);
  pixels.forEach((rgb, p) => {
    for (let c = 0; c < 3; c++) out[c * n + p] = (rgb[c] as number) * 2 - 1;
  });
  return out;
}

function pixel(l: Float32Array, p: number): [number, number, number] {
  const n = l.length / 3;
  return [0, 1, 2].map((c) => ((l[c * n + p] as number) + 1) / 2) as [number, number, number];
}

const hueOf = ([r, g, b]: [number, number, number]) =>
  ((Math.atan2(Math.sqrt(3) * (g - b), 2 * r - g - b) * 180) / Math.PI + 360) % 360;

describe('recolourLevels', () => {
  it('turns the dominant hue to the asked colour and leaves white and grey alone', () => {
    const red: Array<[number, number, number]> = Array.from({ length: 40 }, () => [0.9, 0.1, 0.1]);
    const outer = level([...red, [1, 1, 1], [0.5, 0.5, 0.5]]);
    expect(recolourLevels([outer], 3, 'blue')).toBe(true);
    expect(Math.abs(hueOf(pixel(outer, 0)) - COLOUR_HUES.blue)).toBeLessThan(6);
    expect(pixel(outer, 40).map((v) => Math.round(v * 100))).toEqual([100, 100, 100]);
    expect(pixel(outer, 41).map((v) => Math.round(v * 100))).toEqual([50, 50, 50]);
  });

  it('turns every level by the outer picture’s hue, and a clip’s frames alike', () => {
    const yellow = Array.from({ length: 30 }, () => [0.95, 0.85, 0.1] as [number, number, number]);
    const outer = level(yellow);
    const inner = level(yellow.slice(0, 8));
    recolourLevels([outer, inner], 3, 'purple');
    expect(Math.abs(hueOf(pixel(inner, 0)) - COLOUR_HUES.purple)).toBeLessThan(12);
    expect(pixel(inner, 0)).toEqual(pixel(outer, 0));
  });

  it('leaves a picture without a dominant colour as it is', () => {
    const grey = level(Array.from({ length: 50 }, () => [0.4, 0.4, 0.42] as [number, number, number]));
    const before = Float32Array.from(grey);
    expect(recolourLevels([grey], 3, 'red')).toBe(false);
    expect(grey).toEqual(before);
  });
});
