"""Packed training data (training/data/packed/<name>/: images_<res>.npy + meta.json) and batching.

All images are held in memory as float32 in [-1, 1]; a batch draws images uniformly, one of the
image's captions uniformly, and replaces the caption by the empty prompt with the dropout
probability (classifier-free guidance). Every random choice comes from one numpy Generator whose
state goes into checkpoints, so a resumed run sees the same batches it would have seen.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import List, Optional

import numpy as np
import torch
import torch.nn.functional as F

from .tokenizer import Tokenizer


@dataclass
class Dataset:
    images: torch.Tensor  # float32 [N, C, R, R] in [-1, 1]
    captions: List[List[str]]
    concepts: List[str]

    def __len__(self) -> int:
        return self.images.shape[0]


def load_packed(path: str, split: str = "train", resolution: int = 64) -> Dataset:
    with open(os.path.join(path, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    arr = np.load(os.path.join(path, meta.get("npy", f"images_{resolution}.npy")), mmap_mode="r")
    rows = [i for i, m in enumerate(meta["images"]) if split == "all" or m.get("split", "train") == split]
    x = torch.from_numpy(np.ascontiguousarray(arr[rows])).permute(0, 3, 1, 2).float().div_(127.5).sub_(1.0)
    if x.shape[-1] != resolution:
        x = F.interpolate(x, size=(resolution, resolution), mode="area")
    caps = [list(meta["images"][i]["captions"]) for i in rows]
    concepts = [meta["images"][i].get("concept", str(i)) for i in rows]
    return Dataset(images=x.contiguous(), captions=caps, concepts=concepts)


def synthetic(n: int = 256, resolution: int = 64, seed: int = 0) -> Dataset:
    """Coloured discs and squares on white with matching captions: a stand-in when no pack exists."""
    rng = np.random.default_rng(seed)
    colours = {"red": (220, 40, 40), "green": (40, 170, 60), "blue": (40, 80, 220), "yellow": (240, 200, 30)}
    yy, xx = np.mgrid[0:resolution, 0:resolution] + 0.5
    imgs, caps, concepts = [], [], []
    for i in range(n):
        name = list(colours)[i % 4]
        shape = "circle" if (i // 4) % 2 == 0 else "square"
        c = resolution / 2 + rng.uniform(-6, 6, size=2)
        r = resolution * rng.uniform(0.25, 0.38)
        inside = ((xx - c[0]) ** 2 + (yy - c[1]) ** 2 <= r * r) if shape == "circle" else (
            (np.abs(xx - c[0]) <= r * 0.85) & (np.abs(yy - c[1]) <= r * 0.85)
        )
        img = np.full((resolution, resolution, 3), 255, np.uint8)
        img[inside] = colours[name]
        imgs.append(img)
        caps.append([f"a {name} {shape}", f"{name} {shape}"])
        concepts.append(f"{name}-{shape}")
    x = torch.from_numpy(np.stack(imgs)).permute(0, 3, 1, 2).float().div_(127.5).sub_(1.0)
    return Dataset(images=x.contiguous(), captions=caps, concepts=concepts)


class Batcher:
    def __init__(self, data: Dataset, tokenizer: Tokenizer, caption_dropout: float, seed: int):
        self.data, self.tok, self.dropout = data, tokenizer, caption_dropout
        self.rng = np.random.default_rng(seed)
        # Pre-tokenise every caption once; the empty prompt is the unconditional row.
        self.cap_tokens = []
        for caps in data.captions:
            t, g = tokenizer.encode_batch(caps)
            self.cap_tokens.append((torch.from_numpy(t), torch.from_numpy(g)))
        et, eg = tokenizer.encode_batch([""])
        self.empty = (torch.from_numpy(et[0]), torch.from_numpy(eg[0]))

    def next(self, batch_size: int, resolution: Optional[int] = None):
        idx = self.rng.integers(0, len(self.data), size=batch_size)
        drop = self.rng.random(batch_size) < self.dropout
        which = self.rng.random(batch_size)
        toks, grams = [], []
        for i, d, w in zip(idx, drop, which):
            if d:
                t, g = self.empty
            else:
                ct, cg = self.cap_tokens[i]
                k = int(w * ct.shape[0])
                t, g = ct[k], cg[k]
            toks.append(t)
            grams.append(g)
        x = self.data.images[torch.from_numpy(idx)]
        if resolution is not None and resolution != x.shape[-1]:
            x = F.avg_pool2d(x, x.shape[-1] // resolution)
        return x, torch.stack(toks), torch.stack(grams)

    def state(self) -> dict:
        return self.rng.bit_generator.state

    def load_state(self, state: dict) -> None:
        self.rng.bit_generator.state = state
