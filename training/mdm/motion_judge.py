"""Motion accuracy and temporal consistency of clips: the library of the eval command's clip section
(training.mdm.clip_eval, which judges an exported bundle through the engine), and a quick checkpoint
mode that samples with the PyTorch sampler during a run:

    nice -n 5 /usr/bin/python3 -m training.mdm.motion_judge --checkpoint training/runs/clip64/last.pt \
        --out training/runs/clip64/eval.json

- A motion classifier (per-frame CNN + temporal convolutions) is trained on REAL corpus clips
  (training split) and checked on real clips of held-out concepts; it is cached under a key of the
  packed data, the frame count and its recipe under training/runs/eval/motion-classifier/.
- Motion accuracy: the classifier's accuracy on clips GENERATED for held-out motion/concept pairs
  ("a red apple spinning" where apples never spun in training), prompted with the canonical verb.
- Temporal consistency: mean cosine similarity of consecutive frames in the classifier's per-frame
  feature space, for generated clips next to real clips of the same prompts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from training.data.motion import MOTION_NAMES, MotionCorpus, load_motion_corpus

from . import checkpoint
from .clip_export import load_clip_checkpoint
from .clip_sample import sample_clips, to_frames


ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EVAL_RES = 32  # motion is visible at 32 px and the classifier stays cheap


class MotionClassifier(nn.Module):
    def __init__(self, frames: int, classes: int = len(MOTION_NAMES), dim: int = 128):
        super().__init__()
        self.frames = frames
        self.frame_net = nn.Sequential(
            nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.GELU(),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.GELU(),
            nn.Conv2d(64, 64, 3, stride=2, padding=1), nn.GELU(),
            nn.Flatten(), nn.Linear(64 * (EVAL_RES // 8) ** 2, dim),
        )
        self.time_net = nn.Sequential(nn.Conv1d(dim, dim, 3, padding=1), nn.GELU(), nn.Conv1d(dim, dim, 3, padding=1), nn.GELU())
        self.head = nn.Linear(dim, classes)

    def frame_features(self, clips: torch.Tensor) -> torch.Tensor:
        """[B, C, F, R, R] in [-1, 1] -> per-frame features [B, F, D]."""
        b, c, f, r, _ = clips.shape
        x = clips.permute(0, 2, 1, 3, 4).reshape(b * f, c, r, r)
        if r != EVAL_RES:
            x = F.adaptive_avg_pool2d(x, EVAL_RES)
        return self.frame_net(x).reshape(b, f, -1)

    def forward(self, clips: torch.Tensor) -> torch.Tensor:
        h = self.time_net(self.frame_features(clips).transpose(1, 2))
        return self.head(h.mean(-1))


CLASSIFIER_RECIPE = {"version": 2, "steps": 600, "batch": 32, "lr": 2e-3, "weight_decay": 0.01, "seed": 0,
                     "eval_res": EVAL_RES}


def train_classifier(packed: str, frames: int, recipe: Dict = CLASSIFIER_RECIPE, log=print) -> Tuple[MotionClassifier, float]:
    """Trained on REAL training-split clips only; -> (classifier, its accuracy on real held-out-concept clips)."""
    corpus = load_motion_corpus(packed, "train", frames)
    held = load_motion_corpus(packed, "heldout-concept", frames)
    rng = np.random.default_rng(recipe["seed"])
    torch.manual_seed(recipe["seed"])
    clf = MotionClassifier(frames)
    opt = torch.optim.AdamW(clf.parameters(), lr=recipe["lr"], weight_decay=recipe["weight_decay"])
    for step in range(recipe["steps"]):
        idx = rng.integers(0, len(corpus), size=recipe["batch"])
        clips, motions = corpus.clips(idx, rng)
        loss = F.cross_entropy(clf(clips), torch.tensor(motions))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if (step + 1) % 100 == 0:
            log(f"motion classifier step {step + 1} loss {loss.item():.3f}")
    idx = rng.choice(len(held), size=min(1000, len(held)), replace=False)
    clips, motions = held.clips(idx, rng)
    with torch.no_grad():
        acc = (clf(clips).argmax(-1) == torch.tensor(motions)).float().mean().item()
    return clf.eval(), acc


def load_or_train_classifier(packed: str, frames: int, cache_dir: str, recipe: Dict = CLASSIFIER_RECIPE,
                             log=print) -> Tuple[MotionClassifier, Dict]:
    """The classifier for F-frame clips, cached under a key of the packed data and the recipe.
    -> (classifier, {"key", "frames", "recipe", "heldout_concept_accuracy"})."""
    h = hashlib.sha256(json.dumps({**recipe, "frames": frames}, sort_keys=True).encode())
    with open(os.path.join(packed, "meta.json"), "rb") as f:
        h.update(f.read())
    key = h.hexdigest()[:16]
    path = os.path.join(cache_dir, f"motion-classifier-{frames}f-{key}.pt")
    clf = MotionClassifier(frames)
    if os.path.exists(path):
        saved = torch.load(path, map_location="cpu")
        clf.load_state_dict(saved["state"])
        clf.eval()
        acc = saved["heldout_concept_accuracy"]
        log(f"motion classifier: cached {path}")
    else:
        log(f"motion classifier: training {recipe['steps']} steps on real {frames}-frame training clips")
        clf, acc = train_classifier(packed, frames, recipe, log=log)
        os.makedirs(cache_dir, exist_ok=True)
        checkpoint.save({"state": clf.state_dict(), "heldout_concept_accuracy": acc}, path)
    return clf, {"key": key, "frames": frames, "recipe": recipe, "heldout_concept_accuracy": acc}


def pick_pairs(corpus: MotionCorpus, per_motion: int, seed: int) -> List[int]:
    """Up to per_motion pairs of each motion (motion order, then the corpus's), drawn with a fixed seed."""
    rng = np.random.default_rng(seed)
    chosen: List[int] = []
    for m in range(len(MOTION_NAMES)):
        idx = [i for i, (_, mm) in enumerate(corpus.pairs) if mm == m]
        chosen += sorted(int(i) for i in rng.choice(idx, size=min(per_motion, len(idx)), replace=False))
    return chosen


def temporal_consistency(clf: MotionClassifier, clips: torch.Tensor) -> float:
    """Mean cosine similarity of consecutive frames' per-frame features."""
    with torch.no_grad():
        f = F.normalize(clf.frame_features(clips), dim=-1)
        return (f[:, 1:] * f[:, :-1]).sum(-1).mean().item()


def motion_scores(clf: MotionClassifier, clips: torch.Tensor, motions: Sequence[int]) -> Dict:
    """Top-1 motion accuracy (overall and per motion; None where a motion has no clip) and temporal
    consistency of clips [N, C, F, R, R] in [-1, 1] labelled by the prompt's motion."""
    labels = torch.as_tensor(list(motions))
    with torch.no_grad():
        hit = (clf(clips).argmax(-1) == labels).float()
    per = {name: (float(hit[labels == m].mean()) if bool((labels == m).any()) else None)
           for m, name in enumerate(MOTION_NAMES)}
    return {"motion_accuracy": float(hit.mean()), "per_motion_accuracy": per,
            "temporal_consistency": temporal_consistency(clf, clips)}


def save_clip_sheet(path: str, cells: Sequence[Sequence[np.ndarray]], row_labels: Sequence[str] = (),
                    col_labels: Sequence[str] = (), scale: int = 1, fps: int = 8) -> None:
    """An animated GIF: a grid of clips (rows of uint8 [F, R, R, 3] clips), with optional labels."""
    from PIL import Image, ImageDraw

    f, r = cells[0][0].shape[0], cells[0][0].shape[1] * scale
    cell, label_w, top = r + 4, (190 if row_labels else 0), (16 if col_labels else 0)
    cols = max(len(row) for row in cells)
    pages = []
    for k in range(f):
        page = Image.new("RGB", (label_w + cols * cell, top + len(cells) * cell), "white")
        pen = ImageDraw.Draw(page)
        for j, name in enumerate(col_labels):
            pen.text((label_w + j * cell, 2), name[:20], fill="black")
        for i, row in enumerate(cells):
            y = top + i * cell
            if row_labels:
                pen.text((4, y + cell // 2 - 6), row_labels[i][:30], fill="black")
            for j, clip in enumerate(row):
                tile = Image.fromarray(clip[k]).resize((r, r), Image.NEAREST)
                page.paste(tile, (label_w + j * cell, y))
        pages.append(page)
    pages[0].save(path, save_all=True, append_images=pages[1:], duration=round(1000 / fps), loop=0)


def main(argv=None) -> None:
    """Checkpoint mode: the PyTorch sampler on a training checkpoint (a quick look during a run; the
    eval command judges the exported bundle through the engine)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--packed", default=os.path.join(ROOT, "training", "data", "packed", "emoji64"))
    ap.add_argument("--prompts-per-motion", type=int, default=3)
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--guidance", type=float, default=4.0)
    ap.add_argument("--classifier-steps", type=int, default=CLASSIFIER_RECIPE["steps"])
    ap.add_argument("--classifier-cache", default=os.path.join(ROOT, "training", "runs", "eval", "motion-classifier"),
                    help="the eval command's cache by default, so both share one classifier")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    model, tok, ckpt = load_clip_checkpoint(args.checkpoint)
    frames = model.frames[0]
    clf, info = load_or_train_classifier(args.packed, frames, args.classifier_cache,
                                         {**CLASSIFIER_RECIPE, "steps": args.classifier_steps})
    print(f"classifier accuracy on real held-out-concept clips: {info['heldout_concept_accuracy']:.3f}", flush=True)

    pairs = load_motion_corpus(args.packed, "heldout-pair", frames)
    chosen = pick_pairs(pairs, args.prompts_per_motion, seed=1)
    prompts = [pairs.canonical_caption(*pairs.pairs[i]) for i in chosen]
    real, motions = pairs.clips(chosen, np.random.default_rng(1))
    gen = sample_clips(model, tok, prompts, seed=0, steps=args.steps, guidance=args.guidance, batch=10)
    g, r = motion_scores(clf, gen, motions), motion_scores(clf, real, motions)
    result = {
        "checkpoint": args.checkpoint,
        "samples_seen": int(ckpt.get("samples_seen", 0)),
        "prompts": len(prompts),
        "sampler": f"ddim {args.steps} steps, guidance {args.guidance}",
        "motion_accuracy_generated": g["motion_accuracy"],
        "motion_accuracy_real_same_pairs": r["motion_accuracy"],
        "classifier_accuracy_real_heldout_concepts": info["heldout_concept_accuracy"],
        "chance": 1 / len(MOTION_NAMES),
        "temporal_consistency_generated": g["temporal_consistency"],
        "temporal_consistency_real": r["temporal_consistency"],
        "per_motion_accuracy_generated": g["per_motion_accuracy"],
        "example_prompts": prompts[:: args.prompts_per_motion],
        "seconds": round(time.time() - t0, 1),
    }
    print(json.dumps(result, indent=2))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
        grid = os.path.splitext(args.out)[0] + "-samples.gif"
        clips = to_frames(gen)
        per = args.prompts_per_motion
        save_clip_sheet(grid, [list(clips[i : i + per]) for i in range(0, len(clips), per)])
        print(f"wrote {args.out} and {grid}")


if __name__ == "__main__":
    main()
