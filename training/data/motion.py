"""The motion corpus: short clips made offline from the packed image corpus by programmatic motions.

Every clip is one packed picture (training/data/packed/<name>/images_64.npy + meta.json) moved by
one of ten motions over F frames, on the corpus's white background, with a caption such as
"a red apple bouncing". Clips are rendered on the fly (an affine warp per frame, ~0.1 ms each), so
the corpus costs no disk and every epoch sees fresh motion amplitudes.

Held-out splits, so that an evaluation measures generalisation and not recall:
- by concept: pictures whose concept the image corpus already holds out (meta split "heldout");
- by pairing: for every other concept one motion (chosen by a hash of the concept) is never shown
  with it, so "a red apple spinning" can be held out while apples and spinning are both trained.

    /usr/bin/python3 -m training.data.motion --preview /tmp/motion.gif   # an animated sample sheet
"""

from __future__ import annotations

import argparse
import json
import math
import os
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from training.mdm.tokenizer import fnv1a32

# name -> caption verbs (the first is the canonical one, used for evaluation prompts)
MOTIONS: Dict[str, List[str]] = {
    "spin": ["spinning", "rotating", "turning around"],
    "bounce": ["bouncing", "hopping"],
    "zoom-in": ["zooming in", "growing"],
    "zoom-out": ["zooming out", "shrinking"],
    "slide-left": ["sliding left", "moving left"],
    "slide-right": ["sliding right", "moving right"],
    "pulse": ["pulsing", "pulsating"],
    "shake": ["shaking", "trembling"],
    "wobble": ["wobbling", "rocking"],
    "fade": ["fading out", "fading away"],
}
MOTION_NAMES = list(MOTIONS)
SPLITS = ("train", "heldout-concept", "heldout-pair", "all")
SPIN_EDGE = 0.06  # a spinning picture seen edge-on: this fraction of its width
# CLDR names that are adjectives, not things: "a spinning star-struck" would make the prompt "a
# spinning star" a prefix of the face's caption, and the model drew the face for the star.
LABELS = {"star-struck": "star-struck face"}


def motion_words() -> List[str]:
    return sorted({w for verbs in MOTIONS.values() for v in verbs for w in v.split()})


def heldout_motion(concept: str) -> int:
    """The motion never trained with this concept (stable across machines: FNV-1a, not hash())."""
    return fnv1a32(("motion-pair:" + concept).encode("utf-8")) % len(MOTION_NAMES)


def spin_widths(frames: int) -> np.ndarray:
    """How wide a spinning picture is in each frame (1 = face on): a half turn about the vertical axis
    over the loop, like a coin or a card printed on both sides, with a sliver left edge-on."""
    return np.maximum(np.abs(np.cos(math.pi * np.arange(frames) / frames)), SPIN_EDGE)


def motion_params(motion: int, frames: int, rng: np.random.Generator
                  ) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per frame: scale, width (a further horizontal scale), angle (rad), dx, dy (fractions of the
    half-width, y down), opacity.

    Looping motions (spin, bounce, pulse, shake, wobble) use phase f / F so the last frame leads back
    into the first; one-way motions use f / (F - 1) to reach their end state on the last frame."""
    f = np.arange(frames, dtype=np.float64)
    loop, ramp = f / frames, f / max(1, frames - 1)
    amp = rng.uniform(0.8, 1.2)
    scale, width, angle = np.ones(frames), np.ones(frames), np.zeros(frames)
    dx, dy, alpha = np.zeros(frames), np.zeros(frames), np.ones(frames)
    name = MOTION_NAMES[motion]
    if name == "spin":
        # About the vertical axis: the picture narrows to its edge and widens back. Until session 21 it
        # turned in the plane (45 degrees a frame); no model we could train drew a turned picture at
        # 16 px (a convolution has no rotated copy of what it draws), while narrowing is the axis-aligned
        # scaling it already draws for zoom and pulse.
        scale = scale * 0.9
        width = spin_widths(frames)
    elif name == "bounce":
        scale = scale * 0.7
        dy = 0.28 - 0.55 * amp * np.abs(np.sin(math.pi * loop))
    elif name == "zoom-in":
        scale = 0.35 + (1.15 - 0.35) * ramp
    elif name == "zoom-out":
        scale = 1.15 - (1.15 - 0.35) * ramp
    elif name in ("slide-left", "slide-right"):
        sign = -1 if name == "slide-left" else 1
        scale = scale * 0.6
        dx = sign * 0.65 * amp * (2 * ramp - 1)
    elif name == "pulse":
        scale = 0.8 + 0.2 * amp * np.sin(2 * math.pi * loop)
    elif name == "shake":
        scale = scale * 0.85
        dx = 0.13 * amp * np.where(f % 2 == 0, 1.0, -1.0)
        dx[0] = 0.0
    elif name == "wobble":
        scale = scale * 0.9
        angle = 0.4 * amp * np.sin(2 * math.pi * loop)
    elif name == "fade":
        alpha = 1.0 - 0.95 * ramp
    return scale, width, angle, dx, dy, alpha


def render(images: torch.Tensor, motions: Sequence[int], frames: int, rng: np.random.Generator) -> torch.Tensor:
    """images [B, C, R, R] in [-1, 1] on white -> clips [B, C, F, R, R]."""
    b, c, r, _ = images.shape
    thetas, alphas = [], []
    for m in motions:
        s, w, a, dx, dy, al = motion_params(int(m), frames, rng)
        # Output pixel p shows the picture at diag(1 / (s w), 1 / s) R(-a) (p - d): the picture
        # scaled (narrowed by w), turned, then moved.
        cos, sin = np.cos(a), np.sin(a)
        th = np.zeros((frames, 2, 3))
        th[:, 0, 0], th[:, 0, 1] = cos / (s * w), sin / (s * w)
        th[:, 1, 0], th[:, 1, 1] = -sin / s, cos / s
        th[:, :, 2] = -np.einsum("fij,fj->fi", th[:, :, :2], np.stack([dx, dy], -1))
        thetas.append(th)
        alphas.append(al)
    theta = torch.from_numpy(np.concatenate(thetas)).float().to(images.device)
    grid = F.affine_grid(theta, [b * frames, c, r, r], align_corners=False)
    src = images.unsqueeze(1).expand(b, frames, c, r, r).reshape(b * frames, c, r, r)
    # Sample (x - 1) with zero padding so that whatever enters from outside the frame is white.
    out = F.grid_sample(src - 1.0, grid, mode="bilinear", padding_mode="zeros", align_corners=False) + 1.0
    alpha = torch.from_numpy(np.concatenate(alphas)).float().view(b * frames, 1, 1, 1).to(images.device)
    out = 1.0 - alpha * (1.0 - out)  # fade towards the white background
    return out.reshape(b, frames, c, r, r).permute(0, 2, 1, 3, 4).clamp(-1, 1).contiguous()


@dataclass
class MotionCorpus:
    images: torch.Tensor  # [N, C, R, R] in [-1, 1]
    meta: List[dict]  # the packed meta of each row
    pairs: List[Tuple[int, int]]  # (row, motion) of this split
    frames: int

    def __len__(self) -> int:
        return len(self.pairs)

    def caption(self, row: int, motion: int, variant: int = 0) -> str:
        m = self.meta[row]
        verbs = MOTIONS[MOTION_NAMES[motion]]
        verb = verbs[variant % len(verbs)]
        label = m.get("label") or m.get("name", "thing").replace("-", " ")
        renamed = label in LABELS
        label = LABELS.get(label, label)
        forms = [f"a {label} {verb}", f"{label} {verb}", f"a {label} {verb}, {m.get('style', 'emoji')}"]
        if " " not in verb:  # people also write the verb first: "a spinning star", "a bouncing basketball"
            forms.append(f"a {verb} {label}")
        first = (m.get("captions") or [""])[0]
        if not renamed and (first.startswith("a ") or first.startswith("an ")):
            forms[0] = f"{first} {verb}"
        return forms[(variant // len(verbs)) % len(forms)]

    def canonical_caption(self, row: int, motion: int) -> str:
        return self.caption(row, motion, 0)

    def clips(self, indices: Sequence[int], rng: np.random.Generator) -> Tuple[torch.Tensor, List[int]]:
        rows = [self.pairs[i][0] for i in indices]
        motions = [self.pairs[i][1] for i in indices]
        return render(self.images[rows], motions, self.frames, rng), motions


def load_motion_corpus(packed_dir: str, split: str = "train", frames: int = 8, resolution: int = 64,
                       limit: Optional[int] = None) -> MotionCorpus:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}")
    with open(os.path.join(packed_dir, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    images = meta["images"]
    arr = np.load(os.path.join(packed_dir, meta.get("npy", f"images_{resolution}.npy")), mmap_mode="r")
    rows = list(range(len(images)))[: limit or None]
    x = torch.from_numpy(np.ascontiguousarray(arr[rows])).permute(0, 3, 1, 2).float().div_(127.5).sub_(1.0)
    if x.shape[-1] != resolution:
        x = F.interpolate(x, size=(resolution, resolution), mode="area")
    pairs = []
    for row in rows:
        m = images[row]
        concept_held = m.get("split", "train") != "train"
        hm = heldout_motion(m.get("concept", str(row)))
        for motion in range(len(MOTION_NAMES)):
            if split == "all":
                keep = True
            elif split == "heldout-concept":
                keep = concept_held
            elif split == "heldout-pair":
                keep = not concept_held and motion == hm
            else:
                keep = not concept_held and motion != hm
            if keep:
                pairs.append((row, motion))
    return MotionCorpus(images=x.contiguous(), meta=[images[r] for r in rows], pairs=pairs, frames=frames)


class ClipBatcher:
    """Random (clip, caption) batches with caption dropout; one numpy Generator holds all randomness."""

    def __init__(self, corpus: MotionCorpus, tokenizer, caption_dropout: float, seed: int,
                 motion_weights: Optional[Dict[str, float]] = None):
        """motion_weights: name -> how much more often clips of that motion are drawn (others 1), so a
        run can spend its clips on the motion the model draws worst."""
        self.corpus, self.tok, self.dropout = corpus, tokenizer, caption_dropout
        self.rng = np.random.default_rng(seed)
        self.p = None
        if motion_weights:
            unknown = set(motion_weights) - set(MOTION_NAMES)
            if unknown:
                raise ValueError(f"unknown motions {sorted(unknown)}; known: {MOTION_NAMES}")
            w = np.array([motion_weights.get(MOTION_NAMES[m], 1.0) for _, m in corpus.pairs], dtype=np.float64)
            self.p = w / w.sum()

    def next(self, batch_size: int):
        n = len(self.corpus)
        idx = self.rng.integers(0, n, size=batch_size) if self.p is None else self.rng.choice(n, batch_size, p=self.p)
        clips, motions = self.corpus.clips(idx, self.rng)
        texts = []
        for i, m in zip(idx, motions):
            row = self.corpus.pairs[i][0]
            drop = self.rng.random() < self.dropout
            texts.append("" if drop else self.corpus.caption(row, m, int(self.rng.integers(0, 12))))
        tokens, ngrams = self.tok.encode_batch(texts)
        return clips, torch.from_numpy(tokens), torch.from_numpy(ngrams), torch.tensor(motions)

    def state(self) -> dict:
        return self.rng.bit_generator.state

    def load_state(self, state: dict) -> None:
        self.rng.bit_generator.state = state


def save_preview(corpus: MotionCorpus, path: str, count: int = 20, seed: int = 0) -> None:
    """An animated GIF sheet (one clip per motion and a few concepts) to eyeball the motions."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    by_motion: Dict[int, List[int]] = {}
    for i, (_, m) in enumerate(corpus.pairs):
        by_motion.setdefault(m, []).append(i)
    picks = [int(rng.choice(by_motion[m])) for m in sorted(by_motion) for _ in range(max(1, count // len(by_motion)))]
    clips, _ = corpus.clips(picks, rng)
    clips = ((clips + 1) * 127.5).round().clamp(0, 255).byte()  # [B, C, F, R, R]
    b, c, f, r, _ = clips.shape
    cols = max(1, count // len(by_motion))
    rows = math.ceil(b / cols)
    frames = []
    for k in range(f):
        sheet = np.full((rows * r, cols * r, 3), 255, np.uint8)
        for i in range(b):
            y, x = (i // cols) * r, (i % cols) * r
            sheet[y : y + r, x : x + r] = clips[i, :, k].permute(1, 2, 0).numpy()
        frames.append(Image.fromarray(sheet))
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=125, loop=0)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packed", default=os.path.join(os.path.dirname(__file__), "packed", "emoji64"))
    ap.add_argument("--frames", type=int, default=8)
    ap.add_argument("--preview", help="write an animated GIF sample sheet here")
    args = ap.parse_args(argv)
    stats = {}
    for split in SPLITS[:3]:
        corpus = load_motion_corpus(args.packed, split, args.frames)
        stats[split] = len(corpus)
    print(json.dumps({"clips": stats, "motions": MOTION_NAMES, "frames": args.frames}))
    if args.preview:
        save_preview(load_motion_corpus(args.packed, "train", args.frames), args.preview)
        print(f"wrote {args.preview}")


if __name__ == "__main__":
    main()
