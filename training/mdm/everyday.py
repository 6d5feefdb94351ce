"""The everyday-prompt benchmark: does the picture show what a person asked for?

341 prompts people type into slides, documents and assistants (training/everyday/prompts.json:
objects, animals, food, places, weather, symbols, office ideas, people, synonyms, misspellings,
plurals, colour + noun, styles), written apart from the training captions. Each is drawn by the real
engine and judged by a concept judge — the evaluator CNN (mdm/evaluator.py) trained on every real
picture of the v2 set to name its concept (one of ~10,000) and its family (emoji, colour icon, line
icon): a drawing is *recognisable* when the judge's top-5 concepts include one whose name has every
word of one of the prompt's targets, and, where the prompt asks, its dominant colour is the asked one
and its style the asked one. The judge's own ceiling is the same test on real pictures of the
targets it never trained on (one per concept held back).

    python3 -m training.mdm.everyday --model models/emoji-256 --seeds 0 1
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

from . import checkpoint
from . import recolour as rc
from .evaluator import Evaluator, augment, to_tensor


ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PROMPTS = os.path.join(ROOT, "training", "everyday", "prompts.json")
JUDGE_RECIPE = {"version": 1, "steps": 3000, "batch": 128, "lr": 2e-3, "width": 32, "seed": 0}
FAMILIES = ["emoji", "people", "colour-icon", "line-icon"]
TOP_K = 5


def log(msg: str) -> None:
    print(f"[everyday {time.strftime('%H:%M:%S')}] {msg}", flush=True)


@dataclass
class Concepts:
    """The judge's classes: every concept of the packed set, with the words of its name."""

    ids: List[str]
    words: List[Set[str]]
    names: List[str]
    images: np.ndarray  # uint8 [N, R, R, 3], every real picture
    labels: np.ndarray  # concept class per picture
    family: np.ndarray  # FAMILIES index per picture
    reserved: np.ndarray  # bool per picture: held back from the judge, for its ceiling


def words_of(text: str) -> Set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def load_concepts(packed: str) -> Concepts:
    from .data import family_of

    with open(os.path.join(packed, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    arr = np.load(os.path.join(packed, meta["npy"]), mmap_mode="r")
    ids: List[str] = []
    index: Dict[str, int] = {}
    names: List[str] = []
    for m in meta["images"]:
        if m["concept"] not in index:
            index[m["concept"]] = len(ids)
            ids.append(m["concept"])
            names.append(m.get("label") or m["concept"].split(":")[-1].replace("-", " "))
    labels = np.array([index[m["concept"]] for m in meta["images"]])
    # One picture of every concept that has several is held back: the judge's ceiling is measured on it.
    last: Dict[int, int] = {}
    counts = np.bincount(labels, minlength=len(ids))
    for i, c in enumerate(labels):
        last[int(c)] = i
    reserved = np.zeros(len(labels), bool)
    for c, i in last.items():
        if counts[c] >= 2:
            reserved[i] = True
    family = np.array([FAMILIES.index(family_of(m)) for m in meta["images"]])
    return Concepts(ids=ids, words=[words_of(n) for n in names], names=names, images=np.asarray(arr),
                    labels=labels, family=family, reserved=reserved)


def train_judge(c: Concepts, recipe: dict = JUDGE_RECIPE) -> Evaluator:
    torch.manual_seed(recipe["seed"])
    g = torch.Generator().manual_seed(recipe["seed"])
    rng = np.random.default_rng(recipe["seed"])
    rows = np.flatnonzero(~c.reserved)
    x_all = to_tensor(c.images[rows])
    y, fam = torch.from_numpy(c.labels[rows]), torch.from_numpy(c.family[rows])
    net = Evaluator(len(c.ids), len(FAMILIES), recipe["width"])
    opt = torch.optim.AdamW(net.parameters(), lr=recipe["lr"], weight_decay=0.05)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=recipe["lr"], total_steps=recipe["steps"])
    t0 = time.time()
    net.train()
    for step in range(recipe["steps"]):
        idx = torch.from_numpy(rng.integers(0, len(x_all), size=recipe["batch"]))
        concept, family = net(augment(x_all[idx], g))
        loss = F.cross_entropy(concept, y[idx], label_smoothing=0.1) + F.cross_entropy(family, fam[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if (step + 1) % 250 == 0:
            log(f"judge step {step + 1}/{recipe['steps']} loss {loss.item():.3f} ({time.time() - t0:.0f} s)")
    return net.eval()


def load_or_train_judge(packed: str, cache_dir: str, recipe: dict = JUDGE_RECIPE):
    c = load_concepts(packed)
    h = hashlib.sha256(json.dumps(recipe, sort_keys=True).encode())
    with open(os.path.join(packed, "meta.json"), "rb") as f:
        h.update(f.read())
    path = os.path.join(cache_dir, f"judge-{h.hexdigest()[:16]}.pt")
    net = Evaluator(len(c.ids), len(FAMILIES), recipe["width"])
    if os.path.exists(path):  # cached by the data and the recipe
        net.load_state_dict(torch.load(path, map_location="cpu"))
        net.eval()
        log(f"judge: cached {path}")
    else:
        log(f"judge: training on {int((~c.reserved).sum())} real pictures of {len(c.ids)} concepts")
        net = train_judge(c, recipe)
        os.makedirs(cache_dir, exist_ok=True)
        checkpoint.save(net.state_dict(), path)
    return net, c


@torch.no_grad()
def judge(net: Evaluator, images: np.ndarray, batch: int = 256):
    """-> (top-k concept classes [N, K], family probabilities [N, len(FAMILIES)])."""
    tops, fams = [], []
    for s in range(0, len(images), batch):
        concept, family = net(to_tensor(images[s: s + batch]))
        tops.append(torch.topk(concept, TOP_K, dim=1).indices.numpy())
        fams.append(torch.softmax(family, dim=1).numpy())
    return np.concatenate(tops), np.concatenate(fams)


def target_classes(prompt: dict, c: Concepts) -> Set[int]:
    """Concept classes whose name has every word of one of the prompt's targets, minus excluded names."""
    targets = [words_of(t) for t in prompt["targets"]]
    excluded = [words_of(e) for e in prompt.get("exclude", [])]
    return {k for k, w in enumerate(c.words)
            if any(t <= w for t in targets) and not any(e <= w for e in excluded)}


def colour_share(image: np.ndarray, colour: str) -> float:
    """Share of the picture's coloured pixels whose hue is the asked colour's (within 25 degrees)."""
    x = image.astype(np.float32) / 255.0
    mx, mn = x.max(-1), x.min(-1)
    coloured = (mn < 0.92) & ((mx - mn) / np.maximum(mx, 1e-6) > 0.35) & (mx > 0.25)
    if coloured.sum() < 20:
        return 0.0
    r, g, b = x[..., 0][coloured], x[..., 1][coloured], x[..., 2][coloured]
    hue = np.degrees(np.arctan2(np.sqrt(3) * (g - b), 2 * r - g - b)) % 360.0
    near = np.abs((hue - rc.HUES[colour] + 180.0) % 360.0 - 180.0) < 25.0
    return float(near.mean())


def check(prompt: dict, top: np.ndarray, family: np.ndarray, image: np.ndarray, targets: Set[int]) -> Dict:
    concept = bool(targets.intersection(int(k) for k in top))
    out = {"concept": concept}
    if "colour" in prompt:
        out["colour"] = colour_share(image, prompt["colour"]) >= 0.4
    if prompt.get("style") == "line":
        out["style"] = bool(family[FAMILIES.index("line-icon")] >= 0.5)
    elif prompt.get("style") == "colour":
        out["style"] = bool(family[FAMILIES.index("line-icon")] < 0.5)
    out["ok"] = all(out.values())
    return out


def ceiling(prompts: Sequence[dict], targets: List[Set[int]], net: Evaluator, c: Concepts) -> float:
    """The concept test on real pictures the judge never trained on, one per target concept: the most a
    model can score by this judge (colour and style are not checked, since the real pictures were not
    drawn for the prompt's colour)."""
    held = np.flatnonzero(c.reserved)
    tops, _ = judge(net, c.images[held])
    by_concept = {int(c.labels[i]): tops[k] for k, i in enumerate(held)}
    scores = []
    for t in targets:
        rows = [by_concept[k] for k in t if k in by_concept]
        if rows:
            scores.append(np.mean([bool(t.intersection(int(x) for x in r)) for r in rows]))
    return float(np.mean(scores)) if scores else float("nan")


def evaluate(model: str, packed: str, work: str, seeds: Sequence[int], threads: int = 2,
             sampler: str = "dpmpp-2m", steps: int = 20, guidance: Optional[float] = None,
             limit: int = 0, judge_steps: int = JUDGE_RECIPE["steps"]) -> Dict:
    """limit: every k-th prompt, about `limit` of them (0 = all); prompts whose targets name no concept of
    `packed` are left out and counted (the v2 set names every one; a small test set does not)."""
    from training.eval_draw import draw

    with open(PROMPTS, encoding="utf-8") as f:
        prompts = json.load(f)["prompts"]
    if limit:
        prompts = prompts[:: max(1, len(prompts) // limit)][:limit]
    net, c = load_or_train_judge(packed, os.path.join(work, "judge"), {**JUDGE_RECIPE, "steps": judge_steps})
    targets = [target_classes(p, c) for p in prompts]
    unplaced = [p["prompt"] for p, t in zip(prompts, targets) if not t]
    prompts = [p for p, t in zip(prompts, targets) if t]
    targets = [t for t in targets if t]
    if not prompts:
        raise SystemExit(f"no benchmark prompt names a concept of {packed}")
    pairs = [(i, s) for i in range(len(prompts)) for s in seeds]
    drawn = draw(model, [prompts[i]["prompt"] for i, _ in pairs], [s for _, s in pairs], sampler, steps,
                 guidance, os.path.join(work, "draw"), threads)
    images = drawn["images"]
    tops, fams = judge(net, images)
    per_prompt: List[Dict] = []
    for k, (i, s) in enumerate(pairs):
        r = check(prompts[i], tops[k], fams[k], images[k], targets[i])
        r.update(prompt=prompts[i]["prompt"], category=prompts[i]["category"], seed=s,
                 judged=[c.names[int(x)] for x in tops[k][:3]])
        per_prompt.append(r)
    categories: Dict[str, Dict] = {}
    for r in per_prompt:
        cat = categories.setdefault(r["category"], {"n": 0, "ok": 0, "concept": 0})
        cat["n"] += 1
        cat["ok"] += r["ok"]
        cat["concept"] += r["concept"]
    for cat in categories.values():
        cat["recognisable"] = cat.pop("ok") / cat["n"]
        cat["concept"] = cat["concept"] / cat["n"]
    score = float(np.mean([r["ok"] for r in per_prompt]))
    return {
        "model": os.path.basename(os.path.abspath(model).rstrip("/")),
        "prompts": len(prompts),
        "unplaced": unplaced,
        "seeds": list(seeds),
        "recognisable": score,
        "concept_only": float(np.mean([r["concept"] for r in per_prompt])),
        "judge_ceiling": ceiling(prompts, targets, net, c),
        "judge": {"concepts": len(c.ids), "top_k": TOP_K, "recipe": JUDGE_RECIPE},
        "categories": categories,
        "timing": drawn.get("timing", {}),
        "results": per_prompt,
        "_images": images,
    }


def table(result: Dict) -> str:
    lines = [f"### Everyday benchmark: {result['recognisable'] * 100:.1f}% recognisable "
             f"({result['prompts']} prompts × seeds {result['seeds']}; judge ceiling "
             f"{result['judge_ceiling'] * 100:.1f}%)", "",
             "| category | prompts × seeds | recognisable | right concept |", "|---|---|---|---|"]
    for name, cat in result["categories"].items():
        lines.append(f"| {name} | {cat['n']} | {cat['recognisable'] * 100:.0f}% | {cat['concept'] * 100:.0f}% |")
    return "\n".join(lines)


def contact_sheet(path: str, result: Dict, images: np.ndarray, scale: int = 1, columns: int = 12) -> None:
    """Every drawing with its prompt, a green or red bar for the judge's verdict: for reading by eye."""
    res = images.shape[1] * scale
    cell_h = res + 22
    cell_w = max(res, 128)
    rows = (len(images) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * cell_w, rows * cell_h), "white")
    pen = ImageDraw.Draw(sheet)
    for k, (img, r) in enumerate(zip(images, result["results"])):
        x, y = (k % columns) * cell_w, (k // columns) * cell_h
        tile = Image.fromarray(img).resize((res, res), Image.NEAREST)
        sheet.paste(tile, (x + (cell_w - res) // 2, y))
        pen.rectangle([x, y + res, x + cell_w - 2, y + res + 3], fill=(40, 160, 60) if r["ok"] else (200, 40, 40))
        pen.text((x + 2, y + res + 5), r["prompt"][:22], fill=(0, 0, 0))
    sheet.save(path)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "emoji-256"))
    ap.add_argument("--packed", default=os.path.join(ROOT, "training", "data", "packed", "v2-64"))
    ap.add_argument("--work", default=os.path.join(ROOT, "training", "runs", "eval"))
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", help="JSON result (default <work>/everyday-<model>.json); the sheet beside it")
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, args.threads))
    result = evaluate(args.model, args.packed, args.work, args.seeds, args.threads)
    images = result.pop("_images")
    print(table(result))
    out = args.out or os.path.join(args.work, f"everyday-{result['model']}.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
    contact_sheet(os.path.splitext(out)[0] + ".png", result, images)
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
