"""Native resolution against upscaling: does a grown outer level draw detail that a resized picture lacks?

    /usr/bin/python3 -m training.mdm.detail --model training/runs/models/g256/emoji-256 \
        --base models/emoji-64 --packed training/data/packed/emoji128

For the captions of the held-out real images, at the native model's size R, it draws every prompt with
the native bundle and with the base bundle asked for R px (the engine's Lanczos upscale: what users got
before), same seeds, through the real engine, and reports next to the real R px images:

- detail: the share of each picture's luminance energy (mean removed) at spatial frequencies above the
  base model's Nyquist limit (R/4 cycles per side for a base of R/2). An upscale has almost none; real
  art has it in its edges. Reported as mean share and as a fraction of the real images' share.
- edge: the mean of the strongest 5% gradient magnitudes (how steep the outlines are), likewise.
(The same seed does not give the same picture in both: a bundle draws its initial noise level by
level, outermost first, so the grown model's inner levels start from other noise.)
- with --evaluator, what is drawn, at the evaluator's 64 px: held-out FD and subgroup top-1 of
  both (within noise when the outer level only adds detail; trains the evaluator if not cached).

It writes a sheet (rows: real, upscaled base, native) and a JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Dict

import numpy as np
from PIL import Image

from training.eval_draw import ROOT, draw, log
from training.mdm.evaluator import RECIPE, embed, load_labelled, load_or_train, topk_accuracy
from training.mdm.frechet import frechet_distance


def luminance(images: np.ndarray) -> np.ndarray:
    x = images.astype(np.float64) / 255.0
    return 0.299 * x[..., 0] + 0.587 * x[..., 1] + 0.114 * x[..., 2]


def high_frequency_share(images: np.ndarray, cutoff: float) -> np.ndarray:
    """Per image: energy above `cutoff` cycles per side / all energy but the mean ([N] in 0..1)."""
    y = luminance(images)
    n = y.shape[-1]
    power = np.abs(np.fft.fft2(y - y.mean(axis=(1, 2), keepdims=True))) ** 2
    f = np.fft.fftfreq(n) * n
    radius = np.sqrt(f[:, None] ** 2 + f[None, :] ** 2)
    total = power.sum(axis=(1, 2))
    return np.where(total > 0, power[:, radius > cutoff].sum(axis=1) / np.maximum(total, 1e-12), 0.0)


def edge_strength(images: np.ndarray, top: float = 0.05) -> np.ndarray:
    """Per image: mean of its strongest `top` share of gradient magnitudes, in luminance per pixel."""
    y = luminance(images)
    gx, gy = np.diff(y, axis=2)[:, :-1, :], np.diff(y, axis=1)[:, :, :-1]
    g = np.sqrt(gx ** 2 + gy ** 2).reshape(len(y), -1)
    k = max(1, int(g.shape[1] * top))
    return np.sort(g, axis=1)[:, -k:].mean(axis=1)


def sheet(path: str, rows, scale: int = 1, n: int = 12) -> None:
    r = rows[0].shape[1]
    out = Image.new("RGB", (n * r * scale, len(rows) * r * scale), "white")
    for j, imgs in enumerate(rows):
        for i in range(min(n, len(imgs))):
            im = Image.fromarray(imgs[i]).resize((r * scale, r * scale), Image.NEAREST)
            out.paste(im, (i * r * scale, j * r * scale))
    out.save(path)


def measure(images: np.ndarray, cutoff: float) -> Dict[str, float]:
    return {"detail": float(high_frequency_share(images, cutoff).mean()), "edge": float(edge_strength(images).mean())}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="the native bundle (its outermost level at R px)")
    ap.add_argument("--base", required=True, help="the bundle it was grown on (the 64 px release: git archive 4a069b9 models/emoji-64 | tar -x -C DIR)")
    ap.add_argument("--packed", default=os.path.join(ROOT, "training", "data", "packed", "emoji128"),
                    help="packed data at R px (its held-out split; the evaluator's classes)")
    ap.add_argument("--images", type=int, default=0, help="held-out images to use (0 = all)")
    ap.add_argument("--work", default=os.path.join(ROOT, "training", "runs", "eval"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--evaluator", action="store_true", help="also FD and subgroup top-1 at 64 px")
    ap.add_argument("--out", help="JSON result (default <work>/detail-<model>.json)")
    args = ap.parse_args(argv)

    if args.evaluator:
        net, data, _, _ = load_or_train(args.packed, os.path.join(args.work, "evaluator-" + os.path.basename(
            os.path.normpath(args.packed))), RECIPE, log=log)
    else:
        net, data = None, load_labelled(args.packed)[0]
    held = data["heldout"]
    n = min(args.images or len(held.captions), len(held.captions))
    real, prompts, seeds = held.images[:n], held.captions[:n], list(range(n))
    size = real.shape[1]
    native = draw(args.model, prompts, seeds, "dpmpp-2m", 20, None, args.work, args.threads)["images"]
    if native.shape[1] != size:
        raise SystemExit(f"{args.model} draws {native.shape[1]} px, the packed data is {size} px")
    upscaled = draw(args.base, prompts, seeds, "dpmpp-2m", 20, None, args.work, args.threads, size=size)["images"]
    with open(os.path.join(args.base, "manifest.json"), encoding="utf-8") as f:
        base_size = json.load(f)["levels"][0]["resolution"]
    cutoff = base_size / 2  # the base picture's Nyquist limit, in cycles per side
    rows = {"real": measure(real, cutoff), "upscaled": measure(upscaled, cutoff), "native": measure(native, cutoff)}
    for name in ("upscaled", "native"):
        rows[name]["detail_vs_real"] = rows[name]["detail"] / rows["real"]["detail"]
        rows[name]["edge_vs_real"] = rows[name]["edge"] / rows["real"]["edge"]
    if net is not None:
        real_feats = embed(net, real)[0]
        for name, imgs in (("upscaled", upscaled), ("native", native)):
            f, _, ls = embed(net, imgs)
            rows[name]["fd_64"] = frechet_distance(f, real_feats)
            rows[name]["subgroup_top1"] = topk_accuracy(ls, held.subgroup[:n], 1)
    result = {"model": os.path.relpath(os.path.abspath(args.model), ROOT),
              "base": os.path.relpath(os.path.abspath(args.base), ROOT), "images": n, "size": size,
              "cutoff_cycles": cutoff, "rows": rows}
    out = args.out or os.path.join(args.work, f"detail-{os.path.basename(os.path.normpath(args.model))}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    sheet(out[:-5] + ".png", [real, upscaled, native])
    print(f"{'':10} {'detail':>8} {'vs real':>8} {'edge':>7} {'vs real':>8} {'FD@64':>7} {'top-1':>6}")
    for name, r in rows.items():
        print(f"{name:10} {r['detail']:8.4f} {r.get('detail_vs_real', 1.0):8.2f} {r['edge']:7.4f} "
              f"{r.get('edge_vs_real', 1.0):8.2f} {r.get('fd_64', float('nan')):7.2f} "
              f"{r.get('subgroup_top1', float('nan')):6.3f}")
    print(f"sheet {out[:-5]}.png, JSON {out}")


if __name__ == "__main__":
    main()
