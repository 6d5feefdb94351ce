"""Evaluates a clip model: motion accuracy on held-out prompts and temporal consistency.

    nice -n 5 /usr/bin/python3 -m training.mdm.video_eval --checkpoint training/runs/clip64/last.pt \
        --out training/runs/clip64/eval.json

- A motion classifier (per-frame CNN + temporal convolutions) is trained on REAL corpus clips
  (training split) and checked on real clips of held-out concepts; it is cached next to the run.
- Motion accuracy: the classifier's accuracy on clips GENERATED for held-out motion/concept pairs
  ("a red apple spinning" where apples never spun in training), prompted with the canonical verb.
- Temporal consistency: mean cosine similarity of consecutive frames in the classifier's per-frame
  feature space, for generated clips next to real clips of the same prompts.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from training.data.motion import MOTION_NAMES, load_motion_corpus

from .video_export import load_clip_checkpoint
from .video_sample import sample_clips

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


def train_classifier(packed: str, frames: int, steps: int, seed: int = 0) -> Tuple[MotionClassifier, float]:
    corpus = load_motion_corpus(packed, "train", frames)
    held = load_motion_corpus(packed, "heldout-concept", frames)
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    clf = MotionClassifier(frames)
    opt = torch.optim.AdamW(clf.parameters(), lr=2e-3, weight_decay=0.01)
    for step in range(steps):
        idx = rng.integers(0, len(corpus), size=32)
        clips, motions = corpus.clips(idx, rng)
        loss = F.cross_entropy(clf(clips), torch.tensor(motions))
        opt.zero_grad()
        loss.backward()
        opt.step()
        if (step + 1) % 100 == 0:
            print(f"classifier step {step + 1} loss {loss.item():.3f}", flush=True)
    idx = rng.choice(len(held), size=min(1000, len(held)), replace=False)
    clips, motions = held.clips(idx, rng)
    with torch.no_grad():
        acc = (clf(clips).argmax(-1) == torch.tensor(motions)).float().mean().item()
    return clf.eval(), acc


def temporal_consistency(clf: MotionClassifier, clips: torch.Tensor) -> float:
    with torch.no_grad():
        f = F.normalize(clf.frame_features(clips), dim=-1)
        return (f[:, 1:] * f[:, :-1]).sum(-1).mean().item()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--packed", default=os.path.join(ROOT, "training", "data", "packed", "emoji64"))
    ap.add_argument("--prompts-per-motion", type=int, default=3)
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--guidance", type=float, default=4.0)
    ap.add_argument("--classifier-steps", type=int, default=600)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    model, tok, ckpt = load_clip_checkpoint(args.checkpoint)
    frames = model.frames[0]
    cache = os.path.join(os.path.dirname(args.checkpoint), f"motion-classifier-{frames}f.pt")
    if os.path.exists(cache):
        saved = torch.load(cache)
        clf = MotionClassifier(frames)
        clf.load_state_dict(saved["state"])
        clf.eval()
        real_acc = saved["heldout_concept_accuracy"]
    else:
        clf, real_acc = train_classifier(args.packed, frames, args.classifier_steps)
        torch.save({"state": clf.state_dict(), "heldout_concept_accuracy": real_acc}, cache)
    print(f"classifier accuracy on real held-out-concept clips: {real_acc:.3f}", flush=True)

    pairs = load_motion_corpus(args.packed, "heldout-pair", frames)
    rng = np.random.default_rng(1)
    chosen = []
    for m in range(len(MOTION_NAMES)):
        idx = [i for i, (_, mm) in enumerate(pairs.pairs) if mm == m]
        chosen += list(rng.choice(idx, size=min(args.prompts_per_motion, len(idx)), replace=False))
    prompts = [pairs.canonical_caption(*pairs.pairs[i]) for i in chosen]
    labels = torch.tensor([pairs.pairs[i][1] for i in chosen])
    real, _ = pairs.clips(chosen, rng)
    gen = sample_clips(model, tok, prompts, seed=0, steps=args.steps, guidance=args.guidance, batch=10)
    with torch.no_grad():
        pred = clf(gen).argmax(-1)
        real_pred = clf(real).argmax(-1)
    per_motion = {MOTION_NAMES[m]: float((pred[labels == m] == m).float().mean()) for m in range(len(MOTION_NAMES))}
    result = {
        "checkpoint": args.checkpoint,
        "samples_seen": int(ckpt.get("samples_seen", 0)),
        "prompts": len(prompts),
        "sampler": f"ddim {args.steps} steps, guidance {args.guidance}",
        "motion_accuracy_generated": float((pred == labels).float().mean()),
        "motion_accuracy_real_same_pairs": float((real_pred == labels).float().mean()),
        "classifier_accuracy_real_heldout_concepts": real_acc,
        "chance": 1 / len(MOTION_NAMES),
        "temporal_consistency_generated": temporal_consistency(clf, gen),
        "temporal_consistency_real": temporal_consistency(clf, real),
        "per_motion_accuracy_generated": per_motion,
        "example_prompts": prompts[:: args.prompts_per_motion],
        "seconds": round(time.time() - t0, 1),
    }
    print(json.dumps(result, indent=2))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
        grid = os.path.splitext(args.out)[0] + "-samples.gif"
        _save_gif(gen, grid, cols=args.prompts_per_motion)
        print(f"wrote {args.out} and {grid}")


def _save_gif(clips: torch.Tensor, path: str, cols: int = 10) -> None:
    from PIL import Image

    x = ((clips + 1) * 127.5).round().clamp(0, 255).byte()
    b, c, f, r, _ = x.shape
    rows = (b + cols - 1) // cols
    frames = []
    for k in range(f):
        sheet = np.full((rows * r, cols * r, 3), 255, np.uint8)
        for i in range(b):
            sheet[(i // cols) * r : (i // cols + 1) * r, (i % cols) * r : (i % cols + 1) * r] = x[i, :, k].permute(1, 2, 0).numpy()
        frames.append(Image.fromarray(sheet))
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=125, loop=0)


if __name__ == "__main__":
    main()
