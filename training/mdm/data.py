"""Packed training data (training/data/packed/<name>/: images_<res>.npy + meta.json) and batching.

All images are held in memory as float32 in [-1, 1]; a batch draws images (uniformly, or by family
shares with `balance`), one of the image's captions uniformly, and replaces the caption by the empty
prompt with the dropout probability (classifier-free guidance). With `recolour`, some single-hue
pictures are turned to another colour and their caption says so (mdm/recolour.py). Every random
choice comes from one numpy Generator whose state goes into checkpoints, so a resumed run sees the
same batches it would have seen.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Dict, List, Optional

import numpy as np
import torch
import torch.nn.functional as F

from . import recolour as rc
from .tokenizer import Tokenizer

# Shares of draws per family when balancing: people emoji were a quarter of the images and line
# icons are 40% of the v2 set; objects, animals, food and symbols are what users ask for most.
FAMILY_SHARES = {"people": 0.12, "emoji": 0.45, "colour-icon": 0.23, "line-icon": 0.20}
LINE_SOURCES = ("@tabler/icons", "lucide-static")
COLOUR_ICON_STYLES = ("flat icon", "colour icon", "hand-drawn icon")


def family_of(meta: dict) -> str:
    if meta.get("source") in LINE_SOURCES:
        return "line-icon"
    if meta.get("style") in COLOUR_ICON_STYLES:
        return "colour-icon"
    return "people" if meta.get("group") == "people-body" else "emoji"


def balanced_weights(concepts: List[str], families: List[str],
                     shares: Optional[Dict[str, float]] = None) -> np.ndarray:
    """Draw probabilities: within a family a concept's images share sqrt(its count) (five styles of
    an apple are not five apples), and each family gets its FAMILY_SHARES share."""
    per_concept: dict = {}
    for c in concepts:
        per_concept[c] = per_concept.get(c, 0) + 1
    w = np.array([1.0 / np.sqrt(per_concept[c]) for c in concepts], np.float64)
    fam = np.array(families)
    present = {f: (shares or FAMILY_SHARES).get(f, 0.0) for f in set(families)}
    total_share = sum(present.values()) or 1.0
    for f, share in present.items():
        mask = fam == f
        w[mask] *= (share / total_share) / w[mask].sum()
    return w / w.sum()


@dataclass
class Dataset:
    images: torch.Tensor  # float32 [N, C, R, R] in [-1, 1]
    captions: List[List[str]]
    concepts: List[str]
    families: Optional[List[str]] = None
    hues: Optional[np.ndarray] = None  # dominant hue per image in degrees, NaN when none (recolour)

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
    families = [family_of(meta["images"][i]) for i in rows]
    # People are not recoloured: a blue girl teaches nothing about colour words.
    hues = rc.dominant_hues(np.asarray(arr[rows]))
    hues[np.array([f == "people" for f in families], bool)] = np.nan
    return Dataset(images=x.contiguous(), captions=caps, concepts=concepts, families=families, hues=hues)


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
    def __init__(self, data: Dataset, tokenizer: Tokenizer, caption_dropout: float, seed: int,
                 balance: bool = False, recolour: float = 0.0, shares: Optional[Dict[str, float]] = None):
        self.data, self.tok, self.dropout = data, tokenizer, caption_dropout
        self.rng = np.random.default_rng(seed)
        self.weights = (balanced_weights(data.concepts, data.families, shares)
                        if balance and data.families is not None else None)
        self.recolour = recolour if data.hues is not None else 0.0
        # Pre-tokenise every caption once; the empty prompt is the unconditional row.
        self.cap_tokens = []
        for caps in data.captions:
            t, g = tokenizer.encode_batch(caps)
            self.cap_tokens.append((torch.from_numpy(t), torch.from_numpy(g)))
        et, eg = tokenizer.encode_batch([""])
        self.empty = (torch.from_numpy(et[0]), torch.from_numpy(eg[0]))

    def next(self, batch_size: int, resolution: Optional[int] = None):
        if self.weights is None:
            idx = self.rng.integers(0, len(self.data), size=batch_size)
        else:
            idx = self.rng.choice(len(self.data), size=batch_size, p=self.weights)
        drop = self.rng.random(batch_size) < self.dropout
        which = self.rng.random(batch_size)
        # Drawn only when recolouring, so runs without it keep the random stream they always had.
        turn = self.rng.random(batch_size) < self.recolour if self.recolour else np.zeros(batch_size, bool)
        targets = self.rng.integers(0, len(rc.HUES) - 1, size=batch_size) if self.recolour else turn
        x = self.data.images[torch.from_numpy(idx)]
        toks, grams = [], []
        for b, (i, d, w) in enumerate(zip(idx, drop, which)):
            if d:
                t, g = self.empty
            else:
                ct, cg = self.cap_tokens[i]
                k = int(w * ct.shape[0])
                t, g = ct[k], cg[k]
                hue = float(self.data.hues[i]) if turn[b] else float("nan")
                if not np.isnan(hue):
                    target = rc.choices(hue)[int(targets[b])]
                    caption = rc.recolour_caption(self.data.captions[i][k], rc.colour_of(hue), target)
                    if caption is not None:
                        x[b] = rc.recolour(x[b], hue, target)
                        et, eg = self.tok.encode_batch([caption])
                        t, g = torch.from_numpy(et[0]), torch.from_numpy(eg[0])
            toks.append(t)
            grams.append(g)
        if resolution is not None and resolution != x.shape[-1]:
            x = F.avg_pool2d(x, x.shape[-1] // resolution)
        return x, torch.stack(toks), torch.stack(grams)

    def state(self) -> dict:
        return self.rng.bit_generator.state

    def load_state(self, state: dict) -> None:
        self.rng.bit_generator.state = state
