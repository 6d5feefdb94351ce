"""Put a retrained inner model back inside a grown one: the outer levels of one checkpoint around the
text encoder and inner levels of another.

A grown level (e.g. the 128 px refiner) is trained with the inner model fixed, so when the inner
model is retrained (more data, a larger vocabulary) the outer level can be kept rather than grown
again from zero; the result is a checkpoint `--init` and `export` take like any other.

    python3 -m training.mdm.graft --outer training/runs/shipped128/last.pt \\
        --inner training/runs/v2d/last.pt --out training/runs/v2-128/last.pt
"""

from __future__ import annotations

import argparse
import os
from typing import Dict

import torch

from . import checkpoint


def graft_weights(outer: Dict[str, torch.Tensor], inner: Dict[str, torch.Tensor], depth: int) -> Dict[str, torch.Tensor]:
    """`outer`'s outermost `depth` levels with `inner`'s text encoder and levels inside them."""
    prefix = "unet." + "inner." * depth
    out = {k: v for k, v in outer.items() if k.startswith("unet.") and not k.startswith(prefix)}
    for k, v in inner.items():
        if k.startswith("unet."):
            out[prefix + k[len("unet."):]] = v
        elif k.startswith("text_encoder."):
            out[k] = v
    dropped = [k for k in outer if k.startswith(prefix) and k not in out]
    if dropped:
        raise ValueError(f"the inner checkpoint lacks {len(dropped)} weights of the outer one's inner levels, e.g. {dropped[0]}")
    return out


def graft(outer_ck: dict, inner_ck: dict, outer_seconds: float, outer_hardware: str) -> dict:
    """The grafted checkpoint. `outer_seconds` on `outer_hardware`: what training the outer levels cost
    (a checkpoint rebuilt from a bundle knows only its total), added to the inner model's record."""
    depth = outer_ck["levels"] - inner_ck["levels"]
    if depth < 1:
        raise ValueError(f"the outer checkpoint has {outer_ck['levels']} levels, the inner {inner_ck['levels']}: nothing to graft")
    inner_cfg, outer_cfg = inner_ck["config"], outer_ck["config"]
    if inner_cfg["levels"][-inner_ck["levels"]:] != outer_cfg["levels"][depth:]:
        raise ValueError("the inner checkpoint's levels are not the outer one's inner levels")
    ema = graft_weights(outer_ck["ema"], inner_ck["ema"], depth)
    hardware = dict(inner_ck.get("hardware_seconds") or {})
    hardware[outer_hardware] = hardware.get(outer_hardware, 0.0) + outer_seconds
    return {
        "config": dict(outer_cfg, text=inner_cfg["text"], train=inner_cfg["train"]),
        "tokenizer": inner_ck["tokenizer"],
        "ema": ema,
        "model": ema,
        "levels": outer_ck["levels"],
        "stage": outer_ck["stage"],
        "step": inner_ck["step"],
        "stage_step": 0,
        "samples_seen": inner_ck["samples_seen"] + outer_ck["stage_samples"],
        "stage_samples": outer_ck["stage_samples"],
        "stage_seconds": outer_seconds,
        "train_seconds": inner_ck["train_seconds"] + outer_seconds,
        "finished_stage_samples": list(inner_ck.get("finished_stage_samples") or []) + [inner_ck["stage_samples"]],
        "hardware_seconds": hardware,
        "grafted": {"outer_levels": depth, "outer_samples": outer_ck["stage_samples"], "outer_seconds": outer_seconds},
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outer", required=True, help="checkpoint whose outer levels are kept (e.g. from_bundle of emoji-256)")
    ap.add_argument("--inner", required=True, help="checkpoint whose text encoder and levels go inside")
    ap.add_argument("--out", required=True)
    ap.add_argument("--outer-seconds", type=float, required=True, help="training seconds the outer levels cost")
    ap.add_argument("--outer-hardware", default="2-core CPU (x86_64)")
    args = ap.parse_args(argv)
    outer, inner = checkpoint.load(args.outer), checkpoint.load(args.inner)
    ck = graft(outer, inner, args.outer_seconds, args.outer_hardware)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    checkpoint.save(ck, args.out)
    print(f"{args.out}: the {ck['grafted']['outer_levels']} outer level(s) of {args.outer} around {args.inner} "
          f"({ck['samples_seen']:,} samples, {ck['train_seconds'] / 3600:.2f} h)")


if __name__ == "__main__":
    main()
