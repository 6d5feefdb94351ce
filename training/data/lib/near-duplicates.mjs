// Some sets draw two different emoji with practically the same picture (Fluent's "guard" and
// "man guard", Streamline's "face with tongue" and "winking face with tongue"). Kept both, the
// model would see one picture under two conflicting captions; the later one is dropped.
// Decisions are taken on a fixed-size thumbnail, so every --res packs the same images.

export const THUMB_RES = 32;

/** RMS difference in 0..255 units below which two thumbnails count as the same picture. */
const DEFAULT_RMS = 3;

export class NearDuplicateFilter {
  constructor(rms = DEFAULT_RMS) {
    this.maxSumSq = rms * rms * THUMB_RES * THUMB_RES * 3;
    /** @type {Map<string, { concept: string, name: string, thumb: Uint8Array, blocks: Float64Array }[]>} */
    this.kept = new Map();
  }

  /**
   * The already kept image of another concept, in the same set, that this thumbnail duplicates.
   * @param {string} group images are only compared within a group (one source set)
   * @param {string} concept @param {Uint8Array} thumb THUMB_RES² RGB
   */
  find(group, concept, thumb) {
    const blocks = blockMeans(thumb);
    for (const k of this.kept.get(group) ?? []) {
      if (k.concept === concept) continue;
      // Cauchy–Schwarz: a block's summed squared difference is at least its pixel count times the
      // squared difference of its means, so most pairs are ruled out on BLOCKS² means.
      let bound = 0;
      for (let i = 0; i < blocks.length; i++) {
        const d = blocks[i] - k.blocks[i];
        bound += d * d;
      }
      if (bound * BLOCK_PIXELS > this.maxSumSq) continue;
      let sum = 0;
      for (let i = 0; i < thumb.length && sum <= this.maxSumSq; i++) {
        const d = thumb[i] - k.thumb[i];
        sum += d * d;
      }
      if (sum <= this.maxSumSq) return k;
    }
    return null;
  }

  /** @param {string} group @param {string} concept @param {string} name @param {Uint8Array} thumb */
  add(group, concept, name, thumb) {
    const list = this.kept.get(group) ?? [];
    list.push({ concept, name, thumb, blocks: blockMeans(thumb) });
    this.kept.set(group, list);
  }
}

const BLOCKS = 4;
const BLOCK_SIDE = THUMB_RES / BLOCKS;
const BLOCK_PIXELS = BLOCK_SIDE * BLOCK_SIDE;

/** Per-channel means of a BLOCKS×BLOCKS grid over the thumbnail. @param {Uint8Array} thumb */
function blockMeans(thumb) {
  const out = new Float64Array(BLOCKS * BLOCKS * 3);
  for (let y = 0; y < THUMB_RES; y++) {
    for (let x = 0; x < THUMB_RES; x++) {
      const b = (Math.floor(y / BLOCK_SIDE) * BLOCKS + Math.floor(x / BLOCK_SIDE)) * 3;
      const p = (y * THUMB_RES + x) * 3;
      out[b] += thumb[p];
      out[b + 1] += thumb[p + 1];
      out[b + 2] += thumb[p + 2];
    }
  }
  for (let i = 0; i < out.length; i++) out[i] /= BLOCK_PIXELS;
  return out;
}
