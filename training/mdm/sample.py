"""Reference sampler: exactly the samplers of docs/model-bundle.md, so the TypeScript engine can be
checked against it pixel for pixel.

The caller supplies `denoise(xs, t, tokens, ngrams) -> [v per level]` (a torch model, or an ONNX
session). Noise comes from the project's xoshiro128** stream; sampler arithmetic runs in float64 and
the model is fed float32, as the engine does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence

import numpy as np

from .config import ScheduleConfig
from .rng import Xoshiro128
from .tokenizer import Tokenizer

Denoise = Callable[[List[np.ndarray], np.ndarray, np.ndarray, np.ndarray], List[np.ndarray]]


@dataclass
class SampleResult:
    levels: List[np.ndarray]  # final x0 per level (outermost first), float64 [C, r, r]
    pixels: np.ndarray  # outermost level as uint8 [r, r, C]
    previews: List[np.ndarray]  # outermost-level x0 after each model call (float64)


def logsnr(t: float, resolution: int, sc: ScheduleConfig) -> float:
    t_min = math.atan(math.exp(-sc.logsnr_max / 2))
    t_max = math.atan(math.exp(-sc.logsnr_min / 2))
    base = -2.0 * math.log(math.tan(t_min + t * (t_max - t_min)))
    return base - sc.shift_power * math.log(resolution / sc.shift_base)


def alpha_sigma(t: float, resolution: int, sc: ScheduleConfig):
    lam = logsnr(t, resolution, sc)
    return math.sqrt(_sigmoid(lam)), math.sqrt(_sigmoid(-lam))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def to_uint8(x: np.ndarray) -> np.ndarray:
    """[C, r, r] in [-1, 1] -> [r, r, C] uint8 with half-up rounding."""
    v = np.floor((x + 1.0) * 127.5 + 0.5)
    return np.clip(v, 0, 255).astype(np.uint8).transpose(1, 2, 0)


def _threshold(x0: np.ndarray, clip: bool, dynamic: Optional[dict]) -> np.ndarray:
    if dynamic:
        s = np.quantile(np.abs(x0).reshape(-1), dynamic["percentile"])
        s = min(max(1.0, s), dynamic["max"])
        return np.clip(x0, -s, s) / s
    if clip:
        return np.clip(x0, -1.0, 1.0)
    return x0


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
    if sampler not in ("ddim", "ddpm", "dpmpp-2m"):
        raise ValueError(f"unknown sampler {sampler}")
    rng = Xoshiro128(seed)
    z = [rng.normals(channels * r * r).astype(np.float64).reshape(channels, r, r) for r in resolutions]
    texts = [prompt] if guidance == 1.0 else [prompt, negative_prompt]
    # Read as the engine reads prompts (interpret.ts), so both draw the same picture.
    tokens, ngrams = tokenizer.encode_batch([tokenizer.read(t)["text"] for t in texts])
    prev_x0: Optional[List[np.ndarray]] = None
    previews = []
    for i in range(steps):
        t, s = 1.0 - i / steps, 1.0 - (i + 1) / steps
        batch = [np.repeat(zz[None].astype(np.float32), len(texts), axis=0) for zz in z]
        vs = denoise(batch, np.full(len(texts), t, dtype=np.float32), tokens, ngrams)
        x0s, eps = [], []
        for lvl, (r, v) in enumerate(zip(resolutions, vs)):
            v = v.astype(np.float64)
            v = v[0] if guidance == 1.0 else v[1] + guidance * (v[0] - v[1])
            a_t, s_t = alpha_sigma(t, r, schedule)
            x0 = _threshold(a_t * z[lvl] - s_t * v, clip, dynamic_threshold)
            x0s.append(x0)
            # eps is re-derived from the (clipped) x0 so that the update stays on the line through z_t.
            eps.append((z[lvl] - a_t * x0) / s_t)
        previews.append(x0s[0])
        if i == steps - 1:
            break
        ddpm_noise = (
            [rng.normals(channels * r * r).astype(np.float64).reshape(channels, r, r) for r in resolutions]
            if sampler == "ddpm"
            else None
        )
        new_z = []
        for lvl, r in enumerate(resolutions):
            a_t, s_t = alpha_sigma(t, r, schedule)
            a_s, s_s = alpha_sigma(s, r, schedule)
            if sampler == "ddim":
                zn = a_s * x0s[lvl] + s_s * eps[lvl]
            elif sampler == "ddpm":
                a_ts = a_t / a_s
                var_ts = s_t**2 - a_ts**2 * s_s**2
                mean = (a_ts * s_s**2 / s_t**2) * z[lvl] + (a_s * var_ts / s_t**2) * x0s[lvl]
                std = math.sqrt(max(var_ts * s_s**2 / s_t**2, 0.0))
                zn = mean + std * ddpm_noise[lvl]
            else:
                lam_t = logsnr(t, r, schedule) / 2
                lam_s = logsnr(s, r, schedule) / 2
                h = lam_s - lam_t
                d = x0s[lvl]
                if prev_x0 is not None and i < steps - 1:
                    lam_prev = logsnr(1.0 - (i - 1) / steps, r, schedule) / 2
                    ratio = (lam_t - lam_prev) / h
                    d = (1 + 1 / (2 * ratio)) * x0s[lvl] - (1 / (2 * ratio)) * prev_x0[lvl]
                zn = (s_s / s_t) * z[lvl] - a_s * math.expm1(-h) * d
            new_z.append(zn)
        prev_x0 = x0s
        z = new_z
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
