"""The eval command's clip section: a clip bundle as users run it (clips drawn by the real engine,
training/eval_generate.mjs) judged by motion_judge's motion classifier, trained on REAL clips only.

Prompts are the canonical captions ("a red apple spinning") of two held-out sets of the motion corpus,
a fixed number per motion with fixed seeds:
- "heldout-pair": the concept was trained, but never with this motion;
- "heldout-concept": the concept was never trained at all.
Each generated clip is compared with the real clip of the same prompt (the corpus's rendering of that
picture moved by that motion): motion top-1 accuracy and temporal consistency (mean cosine of
consecutive frames' per-frame features) for both, per set and per motion.

And the issue's acceptance prompt, "a spinning star" (TARGET): drawn for fixed seeds in the same engine
run and scored by training.mdm.turning (is each frame a star, and is it as wide as the turn says), next to the
corpus's own spinning-star clips: the motion classifier says whether a clip spins, not what spins.
"""

from __future__ import annotations

import json
import os
from typing import Dict, List, Optional

import numpy as np
import torch

from training.data.motion import MOTION_NAMES, load_motion_corpus, render
from training.eval_draw import ROOT, draw, log

from .turning import concept_pictures, turning
from .clip_sample import to_clips, to_frames
from .motion_judge import CLASSIFIER_RECIPE, load_or_train_classifier, motion_scores, pick_pairs, save_clip_sheet

SETS = {"heldout-pair": "held-out pairs (concept trained, never with this motion)",
        "heldout-concept": "held-out concepts (never trained)"}
# Seeds of the drawn clips, per set; the pair choice and the real clips' motion amplitudes use set_seed.
SEED0 = {"heldout-pair": 0, "heldout-concept": 100000}
# The acceptance check of the clip issue: `matryoshka clip "a spinning star"` shows a star turning.
TARGET = {"prompt": "a spinning star", "concept": "star", "seeds": [1, 2, 3, 4]}


def real_target_clips(pictures: np.ndarray, frames: int, resolution: int) -> np.ndarray:
    """The corpus's spinning clips of the target's pictures (uint8 [N, R, R, 3]), uint8 [N, F, r, r, 3]."""
    x = torch.from_numpy(np.ascontiguousarray(pictures)).permute(0, 3, 1, 2).float().div(127.5).sub(1.0)
    if x.shape[-1] != resolution:
        x = torch.nn.functional.interpolate(x, size=(resolution, resolution), mode="area")
    return to_frames(render(x, [MOTION_NAMES.index("spin")] * len(x), frames, np.random.default_rng(0)))


def target_scores(drawn: np.ndarray, real: np.ndarray, pictures: np.ndarray) -> Dict:
    """turning() of each drawn and real clip of the target against its pictures, and means."""
    refs = list(pictures)

    def score(clips: np.ndarray) -> Dict:
        per = [turning(list(c), refs) for c in clips]
        return {"mean_iou": float(np.mean([p["mean_iou"] for p in per])),
                "width_error": float(np.mean([p["width_error"] for p in per])),
                "per_clip": [{"mean_iou": round(p["mean_iou"], 3), "width_error": round(p["width_error"], 3),
                              "widths": p["widths"]} for p in per]}

    return {**{k: TARGET[k] for k in ("prompt", "concept", "seeds")},
            "generated": score(drawn), "real": score(real)}


def clip_manifest(bundle: str) -> Dict:
    path = os.path.join(bundle, "manifest.json")
    if not os.path.exists(path):
        raise SystemExit(f"--clip-model {bundle}: no manifest.json there")
    man = json.load(open(path, encoding="utf-8"))
    if man.get("task") != "clip" or man.get("formatVersion") != 2:
        raise SystemExit(f"--clip-model {bundle}: a clip bundle has format version 2 and task \"clip\" "
                         f"(this one: version {man.get('formatVersion')}, task {man.get('task')!r})")
    return man


def evaluate_clips(bundle: str, packed: str, work: str, threads: int, per_motion: int = 5,
                   classifier_steps: int = CLASSIFIER_RECIPE["steps"], sampler: Optional[str] = None,
                   steps: Optional[int] = None, guidance: Optional[float] = None) -> Dict:
    """-> the JSON "clips" section; its "drawn" key (dropped before writing) holds the clips for the sheet."""
    man = clip_manifest(bundle)
    frames, native = man["clip"]["frames"], man["levels"][0]["resolution"]
    sampler, steps = sampler or man["sampling"]["sampler"], steps or man["sampling"]["steps"]
    clf, info = load_or_train_classifier(packed, frames, os.path.join(work, "motion-classifier"),
                                         {**CLASSIFIER_RECIPE, "steps": classifier_steps}, log=log)
    out: Dict = {
        "bundle": os.path.relpath(os.path.abspath(bundle), ROOT),
        "model": man["id"], "training": man.get("training", {}),
        "sampler": sampler, "steps": steps,
        "guidance": guidance if guidance is not None else man["sampling"]["guidance"],
        "frames": frames, "fps": man["clip"]["fps"], "resolution": native, "prompts_per_motion": per_motion,
        "chance": 1 / len(MOTION_NAMES),
        "classifier": info,
        "sets": {}, "drawn": {},
    }
    chosen: Dict[str, Dict] = {}
    for k, name in enumerate(SETS):
        corpus = load_motion_corpus(packed, name, frames, resolution=native)
        pick = pick_pairs(corpus, per_motion, seed=k + 1)
        if not pick:
            log(f"clips: the {name} split is empty; skipped")
            continue
        real, motions = corpus.clips(pick, np.random.default_rng(k + 1))
        chosen[name] = {"prompts": [corpus.canonical_caption(*corpus.pairs[i]) for i in pick], "motions": motions,
                        "seeds": [SEED0[name] + i for i in range(len(pick))], "real": to_frames(real)}
    # One engine run for both sets and the target: ONNX Runtime starts once.
    pictures = concept_pictures(TARGET["concept"], packed)
    target_seeds = TARGET["seeds"] if len(pictures) else []
    if not target_seeds:
        log(f"clips: no picture labelled {TARGET['concept']!r} in the packed data; {TARGET['prompt']!r} skipped")
    prompts = [p for c in chosen.values() for p in c["prompts"]] + [TARGET["prompt"]] * len(target_seeds)
    r = draw(bundle, prompts, [s for c in chosen.values() for s in c["seeds"]] + target_seeds,
             sampler, steps, guidance, work, threads, kind="clip")
    if tuple(r["clips"].shape[1:4]) != (frames, native, native):
        raise SystemExit(f"{bundle}: the engine drew clips of {r['clips'].shape[1:4]} (frames, height, width), "
                         f"its manifest says {(frames, native, native)}")
    out["seconds_per_clip"] = r["timing"].get("secondsPerClip")
    out["cpu_seconds_per_clip"] = r["timing"].get("cpuSecondsPerClip")
    start = 0
    for name, c in chosen.items():
        gen = r["clips"][start : start + len(c["prompts"])]
        start += len(gen)
        # The real clips went through the same 8-bit rounding as the engine's PNG frames, and both are
        # pooled to the classifier's resolution inside it.
        g, rl = motion_scores(clf, to_clips(gen), c["motions"]), motion_scores(clf, to_clips(c["real"]), c["motions"])
        out["sets"][name] = {
            "clips": len(gen),
            "motion_accuracy_generated": g["motion_accuracy"], "motion_accuracy_real": rl["motion_accuracy"],
            "temporal_consistency_generated": g["temporal_consistency"],
            "temporal_consistency_real": rl["temporal_consistency"],
            "per_motion_accuracy_generated": g["per_motion_accuracy"],
            "per_motion_accuracy_real": rl["per_motion_accuracy"],
            "prompts": [{"prompt": p, "motion": MOTION_NAMES[m], "seed": s}
                        for p, m, s in zip(c["prompts"], c["motions"], c["seeds"])],
        }
        out["drawn"][name] = {**c, "generated": gen}
        log(f"clips, {name}: motion top-1 {g['motion_accuracy']:.3f} drawn, {rl['motion_accuracy']:.3f} real")
    if target_seeds:
        target, real_target = r["clips"][start:], real_target_clips(pictures, frames, native)
        out["target"] = target_scores(target, real_target, pictures)
        out["drawn"]["target"] = {"real": real_target, "generated": target}
        log(f"clips, {TARGET['prompt']!r}: {TARGET['concept']} IoU {out['target']['generated']['mean_iou']:.3f} "
            f"drawn, {out['target']['real']['mean_iou']:.3f} real")
    return out


def clip_sheet(path: str, drawn: Dict, fps: int) -> None:
    """An animated GIF, a row per motion: for each set, the first prompt's real clip next to the drawn one,
    shown at 128 px whatever the clip's size (a 16 px progressive-stage bundle stays readable); a last row
    for the target prompt: a real clip, then the drawn seeds."""
    sets = {k: v for k, v in drawn.items() if k in SETS}
    blank = np.full_like(next(iter(sets.values()))["real"][0], 255)
    scale = max(1, 128 // blank.shape[1])
    rows, labels = [], []
    for m, motion in enumerate(MOTION_NAMES):
        row: List[np.ndarray] = []
        for c in sets.values():
            hit = [i for i, mm in enumerate(c["motions"]) if mm == m]
            row += [c["real"][hit[0]], c["generated"][hit[0]]] if hit else [blank, blank]
        rows.append(row)
        labels.append(motion)
    if "target" in drawn:
        t = drawn["target"]
        row = [t["real"][0]] + list(t["generated"][: 2 * len(sets) - 1])
        rows.append(row + [blank] * (2 * len(sets) - len(row)))
        labels.append("star: real, seeds")
    cols = [f"{name.split('-')[1]} {kind}" for name in sets for kind in ("real", "drawn")]  # "pair real", ...
    save_clip_sheet(path, rows, labels, cols, scale=scale, fps=fps)
