"""Does a clip show a given picture turning? The acceptance check behind `matryoshka clip "a spinning
star"`: the motion classifier says whether a clip spins, not whether what spins is a star.

    /usr/bin/python3 -m training.mdm.turning --concept star star-01.png star-02.png ...
    /usr/bin/python3 -m training.mdm.turning --concept star \
        --checkpoint training/runs/clip64/last.pt --prompt "a spinning star" --seeds 1 2 3 4

The corpus spins a picture about its vertical axis (training/data/motion.py): it narrows to its edge
and widens back, as wide in frame k as spin_widths(F)[k]. For every frame: the silhouette (non-white
pixels), centred and brought to the height of each corpus picture of the concept, is compared with
that picture's silhouette narrowed to every width; the best mask IoU says how much the frame looks like
the concept. How far it has turned is its width: its spread across over its spread down, against the
best-fitting picture's. The width error is the mean distance of those widths from the corpus's: 0 turns
as the corpus does, a still picture scores 0.36 over 8 frames. Read it where the IoU is high: a shape
that is not the concept has no width of it.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image

from training.data.motion import spin_widths

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WIDTHS = np.round(np.arange(0.04, 1.0001, 0.04), 2)  # the widths a frame is tried at
FACE_ON = 0.5  # frames at least this wide in the corpus are judged by IoU; narrower ones are slivers
DRAWN = 120  # how far from white (of 765) a pixel must be to count as drawn


def silhouette(rgb: np.ndarray, threshold: int = DRAWN) -> np.ndarray:
    """uint8 [R, R, 3] on white -> bool mask of the drawn pixels."""
    return (255 * 3 - rgb.astype(np.int32).sum(-1)) > threshold


def _normalise(mask: np.ndarray, height: float, width: float = 1.0) -> np.ndarray:
    """The mask centred on its centroid, scaled so that its rows spread `height` (the standard deviation
    of its pixels' y), then narrowed to `width`: where a frame is and how big it is do not count."""
    r = mask.shape[0]
    ys, xs = np.nonzero(mask)
    if len(ys) < 2 or ys.std() == 0:
        return np.zeros_like(mask)
    k = height / float(ys.std())
    img = Image.fromarray(mask.astype(np.uint8) * 255)
    # Affine map output -> input: centre, scale by 1/k (1/(k w) across) around the centroid.
    c = (r - 1) / 2
    kx = k * width
    img = img.transform((r, r), Image.AFFINE, (1 / kx, 0, xs.mean() - c / kx, 0, 1 / k, ys.mean() - c / k),
                        resample=Image.BILINEAR)
    return np.asarray(img) > 127


def _spread(rgb: np.ndarray) -> Tuple[float, float]:
    """(std of x, std of y) of the silhouette's pixels weighted by how dark they are: a sliver one pixel
    wide still has a width, and faint specks around a drawn sliver do not make it wide."""
    w = 255 * 3 - rgb.astype(np.float64).sum(-1)
    w[w <= DRAWN] = 0
    if w.sum() <= 0:
        return 0.0, 0.0
    ys, xs = np.mgrid[: w.shape[0], : w.shape[1]]
    p = w / w.sum()
    sx = np.sqrt(max(0.0, (p * xs**2).sum() - (p * xs).sum() ** 2))
    sy = np.sqrt(max(0.0, (p * ys**2).sum() - (p * ys).sum() ** 2))
    return float(sx), float(sy)


Narrowed = List[Tuple[float, float, List[np.ndarray]]]  # (aspect, height, the silhouette at every width)


def narrowed(references: Sequence[np.ndarray]) -> Narrowed:
    """Each reference picture's aspect (its spread across over its spread down) and silhouette, centred,
    at every width: made once per clip, since every frame is compared with the same references."""
    out = []
    for ref in references:
        m = silhouette(ref)
        height = float(np.nonzero(m)[0].std())
        sx, sy = _spread(ref)
        out.append((sx / sy, height, [_normalise(m, height, float(w)) for w in WIDTHS]))
    return out


def fit(frame: np.ndarray, refs: Narrowed) -> Tuple[float, float]:
    """(IoU, width) of one frame: the best IoU with the references narrowed to any width, and the width
    from the frame's aspect against that reference's (sub-pixel, so an edge-on sliver measures right).
    An empty frame is (0, 0)."""
    size = refs[0][2][0].shape
    if frame.shape[:2] != size:
        frame = np.asarray(Image.fromarray(frame).resize(size[::-1], Image.BILINEAR))
    m = silhouette(frame)
    sx, sy = _spread(frame)
    if sy == 0:
        return 0.0, 0.0
    best = (0.0, 0.0)
    for aspect, height, masks in refs:
        a = _normalise(m, height)
        iou = max(float((r & a).sum()) / max(1, int((r | a).sum())) for r in masks)
        best = max(best, (iou, min(1.5, sx / sy / aspect)))
    return best


def turning(frames: Sequence[np.ndarray], references: Sequence[np.ndarray]) -> dict:
    """frames and references: uint8 [R, R, 3] pictures on white. Per-frame IoU and width; the mean IoU
    of the frames the corpus shows face on (width >= 0.5), and the width error against the corpus's
    spin of as many frames."""
    refs = narrowed(references)
    fits = [fit(f, refs) for f in frames]
    expected = spin_widths(len(frames))
    widths = np.array([w for _, w in fits])
    face_on = expected >= FACE_ON
    return {"iou": [round(i, 3) for i, _ in fits], "widths": [round(float(w), 2) for w in widths],
            "mean_iou": float(np.mean([i for (i, _), f in zip(fits, face_on) if f])),
            "width_error": float(np.mean(np.abs(widths - expected)))}


def concept_pictures(concept: str, packed: str) -> np.ndarray:
    """Every corpus picture labelled `concept`, uint8 [N, R, R, 3] (N may be 0)."""
    with open(os.path.join(packed, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    arr = np.load(os.path.join(packed, meta.get("npy", "images_64.npy")), mmap_mode="r")
    rows = [i for i, m in enumerate(meta["images"]) if m.get("label") == concept]
    return np.asarray(arr[rows])


def concept_references(concept: str, packed: str) -> List[np.ndarray]:
    """Every corpus picture labelled `concept`, as turning() takes them; exits if there is none."""
    pictures = concept_pictures(concept, packed)
    if not len(pictures):
        raise SystemExit(f"no picture labelled {concept!r} in {packed}")
    return list(pictures)


def levels_turning(checkpoint: str, prompt: str, references: Sequence[np.ndarray],
                   seeds: Sequence[int] = (0,), threads: int = 1, guidance: Optional[float] = None,
                   steps: int = 20) -> List[dict]:
    """A checkpoint's clips of `prompt` (PyTorch sampler, one clip per seed), scored at EVERY level,
    outermost first: which level loses the turn. Each level's frames are compared at the references'
    size, so a 16 px frame is judged as the 64 px picture it stands for. Guidance defaults to the
    checkpoint's config, as the engine's does to the bundle's."""
    import torch

    from .clip_sample import to_frames
    from .clip_export import load_clip_checkpoint
    from .clip_sample import sample_clips

    torch.set_num_threads(threads)
    model, tok, _ = load_clip_checkpoint(checkpoint)
    g = model.cfg.sampling.guidance if guidance is None else guidance
    clips = [sample_clips(model, tok, [prompt], seed=s, steps=steps, guidance=g, all_levels=True) for s in seeds]
    out = []
    for level, (res, frames) in enumerate(zip(model.resolutions, model.frames)):
        scores = [turning(list(to_frames(c[level])[0]), references) for c in clips]
        out.append({"resolution": res, "frames": frames, "mean_iou": float(np.mean([x["mean_iou"] for x in scores])),
                    "width_error": float(np.mean([x["width_error"] for x in scores])),
                    "widths": [x["widths"] for x in scores], "iou": [x["iou"] for x in scores]})
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("frames", nargs="*", help="the clip's frames as PNG files, in order")
    ap.add_argument("--checkpoint", help="instead of frames: sample this clip checkpoint, score every level")
    ap.add_argument("--prompt", default="a spinning star", help="with --checkpoint")
    ap.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3, 4], help="with --checkpoint")
    ap.add_argument("--guidance", type=float, default=None, help="with --checkpoint; default: the config's")
    ap.add_argument("--steps", type=int, default=20, help="with --checkpoint")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--concept", required=True, help="corpus label, e.g. star")
    ap.add_argument("--packed", default=os.path.join(ROOT, "training", "data", "packed", "emoji64"))
    args = ap.parse_args(argv)
    if bool(args.frames) == bool(args.checkpoint):
        ap.error("give either the frames of one clip or --checkpoint")
    references = concept_references(args.concept, args.packed)
    if args.checkpoint:
        for level in levels_turning(args.checkpoint, args.prompt, references, args.seeds, args.threads,
                                    args.guidance, args.steps):
            print(json.dumps(level))
        return
    frames = [np.asarray(Image.open(p).convert("RGB")) for p in args.frames]
    out = turning(frames, references)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
