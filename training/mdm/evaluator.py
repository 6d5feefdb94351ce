"""The evaluator: a small CNN trained ONLY on real training images to name each image's emoji group
and subgroup (Unicode's "smileys-emotion / face-smiling"). Generated images are judged through it:

- its penultimate features give the Fréchet distance between generated and real sets (training.mdm.frechet);
- its subgroup predictions give prompt alignment: does a picture drawn for "a grinning face" land in
  "face-smiling"? Held-out concepts are never seen by the evaluator either, but their subgroups are.

Subgroups rather than concepts because held-out concepts have no class of their own, and because an
emoji model that draws a smiley for "a grinning face" has the right idea even if the smiley is not the
exact grinning one. The network is deterministic given its seed and thread count; it is cached next
to the run under a key of the data and of this file's training recipe.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import checkpoint

RECIPE = {"version": 1, "steps": 1500, "batch": 64, "lr": 2e-3, "width": 32, "seed": 0}


@dataclass
class Labelled:
    """Real images (uint8 [N, R, R, 3]) with their group/subgroup class ids and first caption."""

    images: np.ndarray
    group: np.ndarray
    subgroup: np.ndarray
    captions: List[str]
    concepts: List[str]


def load_labelled(packed: str) -> Tuple[Dict[str, Labelled], List[str], List[str]]:
    """{"train", "heldout"} splits of a packed dataset, and the group / subgroup class names."""
    with open(os.path.join(packed, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    arr = np.load(os.path.join(packed, meta["npy"]), mmap_mode="r")
    train_rows = [i for i, m in enumerate(meta["images"]) if m.get("split", "train") == "train"]
    # Classes come from the training split only: the evaluator may not learn from held-out images.
    groups = sorted({meta["images"][i]["group"] for i in train_rows})
    subgroups = sorted({meta["images"][i]["subgroup"] for i in train_rows})
    gi, si = {g: k for k, g in enumerate(groups)}, {s: k for k, s in enumerate(subgroups)}
    out = {}
    for split in ("train", "heldout"):
        rows = [i for i, m in enumerate(meta["images"]) if m.get("split", "train") == split
                and m["subgroup"] in si]
        ms = [meta["images"][i] for i in rows]
        out[split] = Labelled(
            images=np.ascontiguousarray(arr[rows]),
            group=np.array([gi[m["group"]] for m in ms]),
            subgroup=np.array([si[m["subgroup"]] for m in ms]),
            captions=[m["captions"][0] for m in ms],
            concepts=[m["concept"] for m in ms],
        )
    return out, groups, subgroups


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 [N, R, R, 3] -> float [N, 3, 64, 64] in [-1, 1] (other sizes are area-resized)."""
    x = torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float().div_(127.5).sub_(1.0)
    if x.shape[-1] != 64:
        x = (F.interpolate(x, size=(64, 64), mode="area") if x.shape[-1] > 64
             else F.interpolate(x, size=(64, 64), mode="bilinear", align_corners=False))
    return x


class Evaluator(nn.Module):
    """Four stride-2 stages (64 -> 4 px), global pooling, two heads. 1.2M parameters at width 32."""

    def __init__(self, groups: int, subgroups: int, width: int = 32):
        super().__init__()
        chs = [width, 2 * width, 4 * width, 8 * width]
        layers, cin = [], 3
        for c in chs:
            layers += [
                nn.Conv2d(cin, c, 3, stride=2, padding=1), nn.BatchNorm2d(c), nn.GELU(),
                nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.GELU(),
            ]
            cin = c
        self.body = nn.Sequential(*layers)
        self.feature_dim = cin
        self.group_head = nn.Linear(cin, groups)
        self.subgroup_head = nn.Linear(cin, subgroups)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x).mean(dim=(2, 3))

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        f = self.features(x)
        return self.group_head(f), self.subgroup_head(f)


def augment(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Shifts of up to 4 px and, for a third of the batch, a blur by down-and-up sampling: generated
    images are softer than the crisp vector renders, and the evaluator should judge their shapes."""
    n = x.shape[0]
    pad = F.pad(x, (4, 4, 4, 4), mode="replicate")
    dx, dy = torch.randint(0, 9, (2, n), generator=g)
    out = torch.stack([pad[i, :, dy[i] : dy[i] + 64, dx[i] : dx[i] + 64] for i in range(n)])
    blur = torch.rand(n, generator=g) < 1 / 3
    if blur.any():
        small = F.interpolate(out[blur], scale_factor=0.5, mode="area")
        out[blur] = F.interpolate(small, size=(64, 64), mode="bilinear", align_corners=False)
    return out


def train_evaluator(data: Labelled, n_groups: int, n_subgroups: int, recipe: dict = RECIPE,
                    log=print) -> Evaluator:
    torch.manual_seed(recipe["seed"])
    g = torch.Generator().manual_seed(recipe["seed"])
    rng = np.random.default_rng(recipe["seed"])
    x_all = to_tensor(data.images)
    yg, ys = torch.from_numpy(data.group), torch.from_numpy(data.subgroup)
    net = Evaluator(n_groups, n_subgroups, recipe["width"])
    opt = torch.optim.AdamW(net.parameters(), lr=recipe["lr"], weight_decay=0.05)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=recipe["lr"], total_steps=recipe["steps"])
    t0 = time.time()
    net.train()
    for step in range(recipe["steps"]):
        idx = torch.from_numpy(rng.integers(0, len(x_all), size=recipe["batch"]))
        lg, ls = net(augment(x_all[idx], g))
        loss = F.cross_entropy(lg, yg[idx]) + F.cross_entropy(ls, ys[idx], label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if (step + 1) % 250 == 0:
            log(f"evaluator step {step + 1}/{recipe['steps']} loss {loss.item():.3f} ({time.time() - t0:.0f} s)")
    return net.eval()


def cache_key(packed: str, recipe: dict = RECIPE) -> str:
    h = hashlib.sha256(json.dumps(recipe, sort_keys=True).encode())
    with open(os.path.join(packed, "meta.json"), "rb") as f:
        h.update(f.read())
    return h.hexdigest()[:16]


def load_or_train(packed: str, cache_dir: str, recipe: dict = RECIPE,
                  log=print) -> Tuple[Evaluator, Dict[str, Labelled], List[str], List[str]]:
    data, groups, subgroups = load_labelled(packed)
    path = os.path.join(cache_dir, f"evaluator-{cache_key(packed, recipe)}.pt")
    net = Evaluator(len(groups), len(subgroups), recipe["width"])
    if os.path.exists(path):
        net.load_state_dict(torch.load(path, map_location="cpu"))
        net.eval()
        log(f"evaluator: cached {path}")
    else:
        log(f"evaluator: training on {len(data['train'].images)} real training images "
            f"({len(groups)} groups, {len(subgroups)} subgroups)")
        net = train_evaluator(data["train"], len(groups), len(subgroups), recipe, log=log)
        os.makedirs(cache_dir, exist_ok=True)
        checkpoint.save(net.state_dict(), path)
    return net, data, groups, subgroups


@torch.no_grad()
def embed(net: Evaluator, images: np.ndarray, batch: int = 256) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """-> (features [N, D] float64, group logits, subgroup logits)."""
    feats, lgs, lss = [], [], []
    for s in range(0, len(images), batch):
        x = to_tensor(images[s : s + batch])
        f = net.features(x)
        feats.append(f.double().numpy())
        lgs.append(net.group_head(f).numpy())
        lss.append(net.subgroup_head(f).numpy())
    return np.concatenate(feats), np.concatenate(lgs), np.concatenate(lss)


def topk_accuracy(logits: np.ndarray, labels: Sequence[int], k: int) -> float:
    top = np.argsort(-logits, axis=1)[:, :k]
    return float(np.mean([lab in row for lab, row in zip(labels, top)]))
