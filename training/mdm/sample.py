"""Reference sampler: exactly the samplers of docs/model-bundle.md, so the TypeScript engine can be
checked against it pixel for pixel.

The caller supplies `denoise(xs, t, tokens, ngrams) -> [v per level]` (a torch model, or an ONNX
session). Noise comes from the project's xoshiro128** stream; sampler arithmetic runs in float64 and
the model is fed float32, as the engine does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence

import numpy as np

from .config import ScheduleConfig
from .rng import Xoshiro128
from .samplers import create_sampler
from .schedule import NestedSchedule
from .tokenizer import Tokenizer

Denoise = Callable[[List[np.ndarray], np.ndarray, np.ndarray, np.ndarray], List[np.ndarray]]


@dataclass
class SampleResult:
    levels: List[np.ndarray]  # final x0 per level (outermost first), float64 [C, r, r]
    pixels: np.ndarray  # outermost level as uint8 [r, r, C]
    previews: List[np.ndarray]  # outermost-level x0 after each model call (float64)


def to_uint8(x: np.ndarray) -> np.ndarray:
    """[C, r, r] in [-1, 1] -> [r, r, C] uint8 with half-up rounding."""
    v = np.floor((x + 1.0) * 127.5 + 0.5)
    return np.clip(v, 0, 255).astype(np.uint8).transpose(1, 2, 0)


def sample(
    denoise: Denoise,
    tokenizer: Tokenizer,
    schedule: ScheduleConfig,
    resolutions: Sequence[int],
    prompt: str,
    seed: int,
    steps: int = 20,
    guidance: float = 5.0,
    sampler: str = "dpmpp-2m",
    negative_prompt: str = "",
    channels: int = 3,
    clip: bool = True,
    dynamic_threshold: Optional[dict] = None,
) -> SampleResult:
    rng = Xoshiro128(seed)
    solver = create_sampler(sampler, NestedSchedule(schedule, resolutions), "v", clip, dynamic_threshold, rng=rng)
    z = [rng.normals(channels * r * r).astype(np.float64).reshape(1, channels, r, r) for r in resolutions]
    texts = [prompt] if guidance == 1.0 else [prompt, negative_prompt]
    # Read as the engine reads prompts (interpret.ts), so both draw the same picture.
    tokens, ngrams = tokenizer.encode_batch([tokenizer.read(t)["text"] for t in texts])
    solver.set_timesteps(steps)
    previews = []
    for t in solver.timesteps:
        batch = [np.repeat(zz.astype(np.float32), len(texts), axis=0) for zz in z]
        vs = [v.astype(np.float64) for v in denoise(batch, np.full(len(texts), t, dtype=np.float32), tokens, ngrams)]
        guided = [v[:1] if guidance == 1.0 else v[1:2] + guidance * (v[:1] - v[1:2]) for v in vs]
        out = solver.step(guided, t, z)
        previews.append(out.pred_original_sample[0][0])
        z = out.prev_sample
    x0s = [x[0] for x in out.pred_original_sample]  # the engine returns the last call's x0
    return SampleResult(levels=x0s, pixels=to_uint8(x0s[0]), previews=previews)


def torch_denoiser(model) -> Denoise:
    import torch

    def run(xs, t, tokens, ngrams):
        with torch.no_grad():
            out = model(
                [torch.from_numpy(x) for x in xs],
                torch.from_numpy(t),
                torch.from_numpy(tokens),
                torch.from_numpy(ngrams),
            )
        return [o.float().numpy() for o in out]

    return run


def main(argv=None) -> None:
    """Render a labelled grid from a training checkpoint (EMA weights) with the reference sampler:

    python3 -m training.mdm.sample --checkpoint training/runs/emoji64/last.pt --out grid.png \\
        --prompts "a red heart" "a smiling cat face" --seeds 0 1 2
    """
    import argparse
    import time

    import torch
    from PIL import Image, ImageDraw

    from .export import load_checkpoint_model, round_weights_to_fp16

    ap = argparse.ArgumentParser(description=main.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--prompts", nargs="+", required=True)
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--guidance", type=float, default=5.0)
    ap.add_argument("--sampler", default="dpmpp-2m")
    ap.add_argument("--scale", type=int, default=2, help="pixel upscaling in the grid")
    ap.add_argument("--fp16", action="store_true", help="round weights as an fp16 bundle stores them")
    ap.add_argument("--raw", action="store_true", help="raw weights instead of EMA")
    ap.add_argument("--previews", action="store_true", help="also show every level's final x0")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    model, tok, ckpt = load_checkpoint_model(args.checkpoint, use_ema=not args.raw)
    if args.fp16:
        round_weights_to_fp16(model)
    den = torch_denoiser(model)
    res = model.resolutions
    cell = res[0] * args.scale
    label_w = 200
    ncols = len(args.seeds) * (len(res) if args.previews else 1)
    grid = Image.new("RGB", (label_w + ncols * (cell + 4), len(args.prompts) * (cell + 4)), "white")
    draw = ImageDraw.Draw(grid)
    t0 = time.time()
    for i, prompt in enumerate(args.prompts):
        draw.text((4, i * (cell + 4) + cell // 2 - 6), prompt[:32], fill="black")
        col = 0
        for seed in args.seeds:
            r = sample(den, tok, model.cfg.schedule, res, prompt, seed, args.steps, args.guidance, args.sampler)
            levels = r.levels if args.previews else r.levels[:1]
            for x in levels:
                img = Image.fromarray(to_uint8(x)).resize((cell, cell), Image.NEAREST)
                grid.paste(img, (label_w + col * (cell + 4), i * (cell + 4)))
                col += 1
    n = len(args.prompts) * len(args.seeds)
    grid.save(args.out)
    print(f"{args.out}: {n} samples, {(time.time() - t0) / n:.2f} s each; step {ckpt['step']}, "
          f"{ckpt['samples_seen']} samples seen")


if __name__ == "__main__":
    main()
