"""Weight-space interpolation of a clip model's spatial network back towards the image model it
started from (WiSE-FT: Wortsman et al., "Robust fine-tuning of zero-shot models", CVPR 2022).

    /usr/bin/python3 -m training.mdm.interpolate --clip training/runs/clip64-inner/last.pt \
        --image training/runs/emoji64-gpu1/result.pt --image-weight 0.5 --out /tmp/clip-wise.pt

Why: a short clip run learns motion by moving the image model's spatial weights, and the pictures
pay for it (a crisp five-pointed star became a spiky yellow blob). Averaging the spatial weights of
both models, which share one initialisation, keeps most of the motion and most of the picture.
Only the spatial UNet is averaged; the temporal layers (the image model has none) and the text
encoder (whose motion words only the clip model knows) stay the clip model's.
The output is a clip checkpoint (EMA weights, no optimizer) that clip_export and clip_sample take;
it records what was mixed, so the bundle's manifest can say so.
"""

from __future__ import annotations

import argparse
from typing import Optional, List

import torch

from . import checkpoint
from .clip_model import ClipModel, load_image_weights
from .clip_export import load_clip_checkpoint


def spatial(name: str) -> bool:
    return name.startswith("unet.") and ".temporal." not in name


def interpolate(clip: ClipModel, image_state: dict, image_weight: float) -> dict:
    """The clip model's state with every spatial UNet tensor the image model also has replaced by
    (1 - w) * clip + w * image."""
    if not 0.0 <= image_weight <= 1.0:
        raise ValueError(f"image weight must be in [0, 1], got {image_weight}")
    tuned = {k: v.detach().clone() for k, v in clip.state_dict().items()}
    probe = ClipModel(clip.cfg, clip.vocab_size, clip.all_frames, clip.temporal_attention, len(clip.levels))
    probe.load_state_dict(tuned)
    missing = set(load_image_weights(probe, image_state))
    base = probe.state_dict()
    mixed = 0
    for k, v in tuned.items():
        if spatial(k) and k not in missing:
            tuned[k] = ((1.0 - image_weight) * v.float() + image_weight * base[k].float()).to(v.dtype)
            mixed += 1
    if mixed == 0:
        raise ValueError("the image checkpoint shares no spatial weights with the clip model")
    return tuned


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clip", required=True, help="clip checkpoint (its EMA is used)")
    ap.add_argument("--image", required=True, help="the image checkpoint the clip model started from (its EMA)")
    ap.add_argument("--image-weight", type=float, required=True, help="0 = the clip model, 1 = the image model's pictures")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    model, _, ckpt = load_clip_checkpoint(args.clip)
    image = checkpoint.load(args.image)
    state = interpolate(model, image["ema"], args.image_weight)
    out = {k: v for k, v in ckpt.items() if k not in ("model", "optimizer", "rng")}
    out["ema"] = state
    out["model"] = state  # no trained weights apart from the mix: a continuation starts from it
    out["interpolation"] = {"image": args.image, "image_weight": args.image_weight,
                            "image_samples": int(image.get("samples_seen", 0))}
    checkpoint.save(out, args.out)
    print(f"wrote {args.out}: spatial weights {1 - args.image_weight:g} x {args.clip} + {args.image_weight:g} x {args.image}")


if __name__ == "__main__":
    main()
