"""Does a clip show a given picture turning? The acceptance check behind `matryoshka clip "a spinning
star"`: the motion classifier says whether a clip spins, not whether what spins is a star.

    /usr/bin/python3 -m training.mdm.turning --concept star --symmetry 5 star-01.png star-02.png ...
    /usr/bin/python3 -m training.mdm.turning --concept star --symmetry 5 \
        --checkpoint training/runs/clip64/last.pt --prompt "a spinning star" --seeds 1 2 3 4

For every frame: the silhouette (non-white pixels), centred and scaled to the area of each corpus
picture of the concept, is compared with that picture's silhouette turned by every angle; the best
mask IoU says how much the frame looks like the concept, the best angle which way it points. The
turn per frame is the angle between consecutive frames (modulo 360 / symmetry: a five-pointed star
turned by 72 degrees is the same star). Against the star, real corpus clips of a spinning star score
IoU 0.92 and turn 27 degrees a frame (45 aliased by the 5-fold symmetry); a glowing star 0.77, the
star-struck face 0.74, the sun 0.60. Read the turn only where the IoU is high: a shape that is not a
star has no angle, and its "turn" is noise.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def silhouette(rgb: np.ndarray, threshold: int = 120) -> np.ndarray:
    """uint8 [R, R, 3] on white -> bool mask of the drawn pixels."""
    return (255 * 3 - rgb.astype(np.int32).sum(-1)) > threshold


def _normalise(mask: np.ndarray, area: float) -> np.ndarray:
    """The mask centred on its centroid and scaled to `area` pixels (zooms and offsets do not count)."""
    r = mask.shape[0]
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return mask
    k = float(np.sqrt(area / len(ys)))
    img = Image.fromarray(mask.astype(np.uint8) * 255)
    # Affine map output -> input: centre, scale by 1/k around the centroid.
    c = (r - 1) / 2
    img = img.transform((r, r), Image.AFFINE, (1 / k, 0, xs.mean() - c / k, 0, 1 / k, ys.mean() - c / k),
                        resample=Image.BILINEAR)
    return np.asarray(img) > 127


def _turn(mask: np.ndarray, degrees: float) -> np.ndarray:
    return np.asarray(Image.fromarray(mask.astype(np.uint8) * 255).rotate(degrees, resample=Image.BILINEAR)) > 127


Rotations = List[Tuple[float, List[Tuple[int, np.ndarray]]]]


def rotations(references: Sequence[np.ndarray], symmetry: int = 1, step: int = 2) -> Rotations:
    """Each reference silhouette, centred, at every angle in [0, 360 / symmetry): made once per clip,
    since every frame is compared with the same turned references."""
    out = []
    for ref in references:
        area = float(ref.sum())
        r0 = _normalise(ref, area)
        out.append((area, [(d, _turn(r0, d)) for d in range(0, 360 // symmetry, step)]))
    return out


def fit(frame: np.ndarray, turned: Rotations) -> Tuple[float, int]:
    """(best IoU, its angle in degrees) of one frame against the turned references."""
    size = turned[0][1][0][1].shape
    if frame.shape[:2] != size:
        frame = np.asarray(Image.fromarray(frame).resize(size[::-1], Image.BILINEAR))
    m = silhouette(frame)
    if not m.any():
        return 0.0, 0
    best = (0.0, 0)
    for area, masks in turned:
        a = _normalise(m, area)
        for d, r in masks:
            iou = float((r & a).sum()) / max(1, int((r | a).sum()))
            best = max(best, (iou, d))
    return best


def turning(frames: Sequence[np.ndarray], references: Sequence[np.ndarray], symmetry: int = 1,
            clockwise: Optional[float] = None) -> dict:
    """Per-frame IoU and angle, and the mean absolute turn between consecutive frames (looping).

    With `clockwise` (degrees a frame, as the corpus spins: 360 / frames), also the phase error: how far,
    on average, frame k points from where frame 0's angle turned k times that far says it should. 0 is
    a clip that turns as the corpus does; angles at random give a quarter of the period (18 degrees for
    a star); a still picture gives more or less, depending on how the turn aliases."""
    turned = rotations(references, symmetry)
    fits = [fit(f, turned) for f in frames]
    period = 360 // symmetry
    angles = [d for _, d in fits]
    turns = [((b - a + period / 2) % period) - period / 2 for a, b in zip(angles, angles[1:] + angles[:1])]
    out = {"iou": [round(i, 3) for i, _ in fits], "angles": angles, "mean_iou": float(np.mean([i for i, _ in fits])),
           "mean_abs_turn": float(np.mean(np.abs(turns)))}
    if clockwise is not None and len(angles) > 1:
        # The angles are counter-clockwise (PIL's), so a clockwise turn lowers them.
        off = [abs((a - (angles[0] - clockwise * k)) % period) for k, a in enumerate(angles) if k]
        out["phase_error"] = float(np.mean([min(d, period - d) for d in off]))
    return out


def concept_pictures(concept: str, packed: str) -> np.ndarray:
    """Every corpus picture labelled `concept`, uint8 [N, R, R, 3] (N may be 0)."""
    with open(os.path.join(packed, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    arr = np.load(os.path.join(packed, meta.get("npy", "images_64.npy")), mmap_mode="r")
    rows = [i for i, m in enumerate(meta["images"]) if m.get("label") == concept]
    return np.asarray(arr[rows])


def concept_references(concept: str, packed: str) -> List[np.ndarray]:
    """Silhouettes of every corpus picture labelled `concept`."""
    pictures = concept_pictures(concept, packed)
    if not len(pictures):
        raise SystemExit(f"no picture labelled {concept!r} in {packed}")
    return [silhouette(p) for p in pictures]


def levels_turning(checkpoint: str, prompt: str, references: Sequence[np.ndarray], symmetry: int = 1,
                   seeds: Sequence[int] = (0,), threads: int = 1) -> List[dict]:
    """A checkpoint's clips of `prompt` (PyTorch sampler, one clip per seed), scored at EVERY level,
    outermost first: which level loses the turn. Each level's frames are compared at the references'
    size, so a 16 px frame is judged as the 64 px picture it stands for."""
    import torch

    from .video_eval import to_frames
    from .video_export import load_clip_checkpoint
    from .video_sample import sample_clips

    torch.set_num_threads(threads)
    model, tok, _ = load_clip_checkpoint(checkpoint)
    clips = [sample_clips(model, tok, [prompt], seed=s, guidance=model.cfg.sampling.guidance, all_levels=True)
             for s in seeds]
    out = []
    for level, (res, frames) in enumerate(zip(model.resolutions, model.frames)):
        scores = [turning(list(to_frames(c[level])[0]), references, symmetry, 360 / frames) for c in clips]
        out.append({"resolution": res, "frames": frames, "mean_iou": float(np.mean([x["mean_iou"] for x in scores])),
                    "mean_abs_turn": float(np.mean([x["mean_abs_turn"] for x in scores])),
                    "phase_error": float(np.mean([x["phase_error"] for x in scores])),
                    "angles": [x["angles"] for x in scores], "iou": [x["iou"] for x in scores]})
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("frames", nargs="*", help="the clip's frames as PNG files, in order")
    ap.add_argument("--checkpoint", help="instead of frames: sample this clip checkpoint, score every level")
    ap.add_argument("--prompt", default="a spinning star", help="with --checkpoint")
    ap.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3, 4], help="with --checkpoint")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--concept", required=True, help="corpus label, e.g. star")
    ap.add_argument("--symmetry", type=int, default=1, help="rotational symmetry of the concept (a star: 5)")
    ap.add_argument("--packed", default=os.path.join(ROOT, "training", "data", "packed", "emoji64"))
    args = ap.parse_args(argv)
    if bool(args.frames) == bool(args.checkpoint):
        ap.error("give either the frames of one clip or --checkpoint")
    references = concept_references(args.concept, args.packed)
    if args.checkpoint:
        for level in levels_turning(args.checkpoint, args.prompt, references, args.symmetry, args.seeds, args.threads):
            print(json.dumps(level))
        return
    frames = [np.asarray(Image.open(p).convert("RGB")) for p in args.frames]
    out = turning(frames, references, args.symmetry, 360 / len(frames))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
