// Held-out split by concept, never by image: every style of a held-out emoji stays out of
// training, so evaluation measures generalisation to unseen concepts. A hash of (seed, concept)
// decides, so the split does not depend on which sources or how many images were packed.
import { createHash } from 'node:crypto';

/** @param {string} concept @param {string} seed @param {number} fraction */
export function isHeldOut(concept, seed, fraction) {
  const digest = createHash('sha256').update(`${seed}\u0000${concept}`).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000 < fraction;
}
