"""Training checkpoints: written atomically, read with the keys of older runs brought up to date,
and the name of the hardware that trains, so a model card can say where its compute came from."""

from __future__ import annotations

import os
import platform
from typing import Optional

import torch

# Older clip runs wrote the optimizer under "opt" and their clips per number of levels under
# "clips_by_levels"; every run now writes the image runs' names.
RENAMED = {"opt": "optimizer", "clips_by_levels": "samples_by_levels"}


def save(state: dict, path: str) -> str:
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)  # atomic: a kill mid-save never corrupts the previous checkpoint
    return path


def load(path: str) -> dict:
    return upgrade(torch.load(path, map_location="cpu"))


def upgrade(ck: dict) -> dict:
    out = dict(ck)
    for old, new in RENAMED.items():
        if old in out and new not in out:
            out[new] = out.pop(old)
    return out


def hardware_string(device: torch.device, world: int = 1, threads: Optional[int] = None) -> str:
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        return f"{world}x {name}" if world > 1 else name
    cpu = f"{os.cpu_count()}-core CPU ({platform.machine()})"
    if threads and threads < (os.cpu_count() or 1):
        cpu += f", {threads} thread(s)"
    return cpu + (f", {world} processes" if world > 1 else "")
