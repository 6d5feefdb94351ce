"""Per-motion denoising loss of clip checkpoints on fixed clips, noise and timesteps: which motions a
model has learnt, measured finely enough to compare two checkpoints of one run (the eval command's
motion top-1 on 20 drawn clips moves in steps of 5%).

    python3 -m training.mdm.motion_loss training/runs/shipped-clip/last.pt training/runs/clip64-more/last.pt

For every motion the same training-split clips (their canonical captions), the same t and the same
noise go through each checkpoint's EMA; the v-MSE is reported per motion and per level the checkpoints
share (a 2-level run and a 3-level release compare on 16 and 32 px).
"""

from __future__ import annotations

import argparse
import os
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

from training.data.motion import MOTION_NAMES, MotionCorpus, load_motion_corpus

from .schedule import Schedule
from .tokenizer import Tokenizer
from .clip_model import ClipModel, clip_pyramid
from .motion_judge import ROOT
from .clip_export import load_clip_checkpoint


def fixed_batches(corpus: MotionCorpus, per_motion: int, seed: int) -> Dict[int, dict]:
    """Per motion: clips, captions, t and a seed for the noise, all fixed by `seed`."""
    out = {}
    for m in range(len(MOTION_NAMES)):
        idx = [i for i, (_, mm) in enumerate(corpus.pairs) if mm == m]
        rng = np.random.default_rng(seed + m)
        pick = sorted(rng.choice(idx, size=min(per_motion, len(idx)), replace=False).tolist())
        clips, _ = corpus.clips(pick, rng)
        g = torch.Generator().manual_seed(seed + m)
        out[m] = {"clips": clips, "captions": [corpus.canonical_caption(*corpus.pairs[i]) for i in pick],
                  "t": torch.rand(len(pick), generator=g), "noise_seed": seed + 1000 + m}
    return out


@torch.no_grad()
def motion_losses(model: ClipModel, tok: Tokenizer, schedule: Schedule, batches: Dict[int, dict]) -> Dict[str, Dict[int, float]]:
    """{motion: {resolution: v-MSE}} of the model on the fixed batches."""
    model.eval()
    out = {}
    for m, b in batches.items():
        targets = clip_pyramid(b["clips"], model.resolutions, model.frames)
        g = torch.Generator().manual_seed(b["noise_seed"])
        # Noise is drawn per level from the innermost out, so a 2-level and a 3-level model get the same
        # noise on the levels they share.
        eps = {r: torch.randn(x.shape, generator=g) for x, r in reversed(list(zip(targets, model.resolutions)))}
        zs, vs = zip(*(schedule.noised(x, eps[r], b["t"], r) for x, r in zip(targets, model.resolutions)))
        t = b["t"]
        tokens, ngrams = (torch.from_numpy(a) for a in tok.encode_batch(b["captions"]))
        preds = model(list(zs), t, tokens, ngrams)
        out[MOTION_NAMES[m]] = {r: float(torch.mean((p.float() - v) ** 2)) for p, v, r in zip(preds, vs, model.resolutions)}
    return out


def compare(paths: Sequence[str], packed: str, per_motion: int = 32, seed: int = 0) -> Dict[str, dict]:
    loaded = [load_clip_checkpoint(p) for p in paths]
    model0 = loaded[0][0]
    frames = list(loaded[0][2]["frames"])
    corpus = load_motion_corpus(packed, "train", frames[0], model0.cfg.resolution)
    batches = fixed_batches(corpus, per_motion, seed)
    schedule = Schedule(model0.cfg.schedule)
    return {p: motion_losses(model, tok, schedule, batches) for p, (model, tok, _) in zip(paths, loaded)}


def table(results: Dict[str, dict]) -> str:
    paths = list(results)
    shared = sorted(set.intersection(*(set(next(iter(r.values()))) for r in results.values())))
    lines = ["| motion | " + " | ".join(f"{os.path.basename(os.path.dirname(p)) or p} {r} px" for p in paths for r in shared) + " |",
             "|---" * (1 + len(paths) * len(shared)) + "|"]
    for motion in MOTION_NAMES:
        cells = [f"{results[p][motion][r]:.4f}" for p in paths for r in shared]
        lines.append(f"| {motion} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoints", nargs="+")
    ap.add_argument("--per-motion", type=int, default=32, help="clips per motion")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--packed", default=os.path.join(ROOT, "training", "data", "packed", "emoji64"))
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    print(table(compare(args.checkpoints, args.packed, args.per_motion, args.seed)))


if __name__ == "__main__":
    main()
