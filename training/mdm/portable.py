"""Portable checkpoints: a run's weights in fp16 without optimizer or RNG state, small enough to
travel to a GPU machine and back (whose transfers cap each file at 16 MiB and the lot at 64 MiB).

    python3 -m training.mdm.portable pack training/runs/emoji64/last.pt /tmp/init.pt --ema-only
    python3 -m training.mdm.portable split /tmp/out.pt OUTDIR      # OUTDIR/out.pt.part-000, -001, ...
    python3 -m training.mdm.portable join OUTDIR/out.pt.part-* /tmp/out.pt

`train.py --init` starts from one: a fresh AdamW whose LR is warmed up again, the EMA kept, every
counter (samples, stages, hours per hardware) carried on, so FLOPs and provenance stay honest.
"""

from __future__ import annotations

import argparse
import os
from typing import List, Optional

import torch

from . import checkpoint

DROPPED = ("optimizer", "rng")
PART_BYTES = 15 * 1024 * 1024


def pack(ck: dict, ema_only: bool = False) -> dict:
    """The checkpoint dict without optimizer and RNG state, its weights in fp16; with ema_only the
    trained weights are left out too (a loader then starts them from the EMA)."""
    out = {k: v for k, v in ck.items() if k not in DROPPED}
    for key in ("model", "ema"):
        if key in out:
            out[key] = {n: t.half() if t.is_floating_point() else t for n, t in out[key].items()}
    if ema_only:
        out.pop("model", None)
    out["portable"] = True
    return out


def split(path: str, out_dir: str, part_bytes: int = PART_BYTES) -> List[str]:
    os.makedirs(out_dir, exist_ok=True)
    parts = []
    with open(path, "rb") as f:
        while chunk := f.read(part_bytes):
            p = os.path.join(out_dir, f"{os.path.basename(path)}.part-{len(parts):03d}")
            with open(p, "wb") as g:
                g.write(chunk)
            parts.append(p)
    return parts


def join(parts: List[str], path: str) -> None:
    tmp = path + ".tmp"
    with open(tmp, "wb") as g:
        for p in sorted(parts):
            with open(p, "rb") as f:
                g.write(f.read())
    os.replace(tmp, path)


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack")
    p.add_argument("checkpoint")
    p.add_argument("out")
    p.add_argument("--ema-only", action="store_true")
    s = sub.add_parser("split")
    s.add_argument("file")
    s.add_argument("out_dir")
    j = sub.add_parser("join")
    j.add_argument("parts", nargs="+")
    j.add_argument("out")
    args = ap.parse_args(argv)
    if args.cmd == "pack":
        checkpoint.save(pack(checkpoint.load(args.checkpoint), args.ema_only), args.out)
        print(f"{args.out}: {os.path.getsize(args.out) / 2**20:.1f} MiB")
    elif args.cmd == "split":
        for q in split(args.file, args.out_dir):
            print(q)
    else:
        join(args.parts, args.out)


if __name__ == "__main__":
    main()
