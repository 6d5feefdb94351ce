"""Batched DDIM sampling of a clip model in PyTorch, for evaluation and previews.

    /usr/bin/python3 -m training.mdm.clip_sample --checkpoint training/runs/clip64/last.pt \
        --out strip.png --prompts "a star spinning" "a red apple bouncing" --seeds 0 1

It follows docs/model-bundle.md (time grid, per-level schedule, guidance, x0 clip, the x0 of the last
call) but draws its noise with torch's generator and runs many prompts in one batch, so it is fast
and NOT bit-identical to the engine; the engine's determinism is tested on the TypeScript side.
"""

from __future__ import annotations

import argparse
from typing import List, Optional, Sequence

import numpy as np
import torch

from .samplers import DdimSampler
from .schedule import NestedSchedule
from .tokenizer import Tokenizer
from .clip_model import ClipModel


@torch.no_grad()
def sample_clips(model: ClipModel, tokenizer: Tokenizer, prompts: Sequence[str], seed: int = 0, steps: int = 20,
                 guidance: float = 4.0, batch: int = 16, all_levels: bool = False):
    """-> clips [N, C, F, R, R] in [-1, 1] (the outermost level's final x0); with all_levels, a list of
    every level's final x0 [N, C, F_l, r, r], outermost first (to see which level loses a motion)."""
    model.eval()
    solver = DdimSampler(NestedSchedule(model.cfg.schedule, model.resolutions))
    out: List[List[torch.Tensor]] = []
    g = torch.Generator().manual_seed(seed)
    for start in range(0, len(prompts), batch):
        chunk = list(prompts[start : start + batch])
        n = len(chunk)
        tok, ng = tokenizer.encode_batch(chunk + [""] * n)
        tok, ng = torch.from_numpy(tok), torch.from_numpy(ng)
        z = [torch.randn(n, model.cfg.channels, f, r, r, generator=g) for f, r in zip(model.frames, model.resolutions)]
        x0s = z
        solver.set_timesteps(steps)
        for t in solver.timesteps:
            v = model([torch.cat([zz, zz]) for zz in z], torch.full((2 * n,), t), tok, ng)
            guided = [v[lvl][n:].float() + guidance * (v[lvl][:n].float() - v[lvl][n:].float()) for lvl in range(len(z))]
            step = solver.step(guided, t, z)
            z, x0s = step.prev_sample, step.pred_original_sample
        out.append(x0s)
    levels = [torch.cat(level) for level in zip(*out)]
    return levels if all_levels else levels[0]


def to_clips(frames: np.ndarray) -> torch.Tensor:
    """uint8 [N, F, R, R, 3] (what the engine's PNG frames hold) -> [N, 3, F, R, R] in [-1, 1]."""
    return torch.from_numpy(np.ascontiguousarray(frames)).permute(0, 4, 1, 2, 3).float().div(127.5).sub(1.0)


def to_frames(clips: torch.Tensor) -> np.ndarray:
    """[N, 3, F, R, R] in [-1, 1] -> uint8 [N, F, R, R, 3], rounded half-up as the engine rounds."""
    return torch.floor((clips.clamp(-1, 1) + 1) * 127.5 + 0.5).byte().permute(0, 2, 3, 4, 1).numpy()


def filmstrip(clips: torch.Tensor, path: str, size: int = 64, gap: int = 4) -> None:
    """One row per clip, its frames left to right (shown at `size` px), as a PNG: motion on paper."""
    from PIL import Image

    frames = to_frames(clips)  # uint8 [N, F, R, R, 3], rounded as the engine rounds
    n, f = frames.shape[:2]
    sheet = Image.new("RGB", (f * (size + gap) - gap, n * (size + gap) - gap), "white")
    for i in range(n):
        for k in range(f):
            tile = Image.fromarray(frames[i, k]).resize((size, size), Image.NEAREST)
            sheet.paste(tile, (k * (size + gap), i * (size + gap)))
    sheet.save(path)


def main(argv: Optional[List[str]] = None) -> None:
    from .clip_export import load_clip_checkpoint

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True, help="PNG film strip: a row per prompt and seed, frames across")
    ap.add_argument("--prompts", nargs="+", required=True)
    ap.add_argument("--seeds", nargs="+", type=int, default=[0])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--guidance", type=float, default=None, help="default: the config's")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    model, tok, _ = load_clip_checkpoint(args.checkpoint)
    guidance = model.cfg.sampling.guidance if args.guidance is None else args.guidance
    rows = [sample_clips(model, tok, args.prompts, seed=seed, steps=args.steps, guidance=guidance)
            for seed in args.seeds]
    clips = torch.stack(rows, 1).flatten(0, 1)  # prompt-major: each prompt's seeds together
    filmstrip(clips, args.out)
    print(f"wrote {args.out}: {len(args.prompts)} prompts x {len(args.seeds)} seeds, {clips.shape[2]} frames")


if __name__ == "__main__":
    main()
