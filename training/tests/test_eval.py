import json
import os
import shutil
import subprocess

import numpy as np
import pytest
import torch

from training.mdm.config import load_config
from training.mdm.data import synthetic
from training.mdm.evaluator import RECIPE, embed, load_labelled, topk_accuracy, train_evaluator
from training.mdm.flops import forward_flops, run_flops, train_flops_per_sample
from training.mdm.frechet import frechet_distance
from training.mdm.model import MatryoshkaModel

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TINY_BUNDLE = os.path.join(ROOT, "test", "fixtures", "tiny-bundle")


def make_packed(folder, n=96, heldout_every=6):
    """A packed dataset in the pack.mjs layout: synthetic shapes, group = colour, subgroup = colour + shape."""
    d = synthetic(n, 64, seed=3)
    images = ((d.images.permute(0, 2, 3, 1) + 1) * 127.5).round().clamp(0, 255).byte().numpy()
    os.makedirs(folder, exist_ok=True)
    np.save(os.path.join(folder, "images_64.npy"), images)
    meta = {"npy": "images_64.npy", "images": []}
    for i, (caps, concept) in enumerate(zip(d.captions, d.concepts)):
        colour, shape = concept.split("-")
        # Names the everyday benchmark can place: its prompts ask for suns and gifts among much else.
        label = {"circle": "sun", "square": "gift"}[shape]
        meta["images"].append({"concept": concept, "captions": caps, "group": colour, "subgroup": concept,
                               "label": f"{colour} {label}",
                               "split": "heldout" if i % heldout_every == 0 else "train"})
    with open(os.path.join(folder, "meta.json"), "w") as f:
        json.dump(meta, f)
    return folder


def test_frechet_distance_matches_the_closed_form():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(400, 6)) @ rng.normal(size=(6, 6))
    b = rng.normal(size=(300, 6)) @ rng.normal(size=(6, 6)) + 0.5
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    # tr((S1 S2)^1/2) from the (real, non-negative) eigenvalues of the non-symmetric product.
    cross = np.sqrt(np.clip(np.linalg.eigvals(s1 @ s2).real, 0, None)).sum()
    want = ((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * cross
    assert frechet_distance(a, b) == pytest.approx(want, rel=1e-6)
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-6)
    shifted = a + np.array([3.0, 0, 0, 0, 0, 0])
    assert frechet_distance(a, shifted) == pytest.approx(9.0, rel=1e-6)


def test_topk_accuracy():
    logits = np.array([[0.1, 0.9, 0.0], [0.8, 0.15, 0.05], [0.2, 0.3, 0.5]])
    assert topk_accuracy(logits, [1, 1, 0], 1) == pytest.approx(1 / 3)
    assert topk_accuracy(logits, [1, 1, 0], 2) == pytest.approx(2 / 3)
    assert topk_accuracy(logits, [1, 1, 0], 3) == 1.0


def test_evaluator_learns_real_labels_and_only_from_the_training_split(tmp_path):
    packed = make_packed(str(tmp_path / "packed"))
    data, groups, subgroups = load_labelled(packed)
    assert groups == ["blue", "green", "red", "yellow"] and len(subgroups) == 8
    assert len(data["heldout"].images) == 16 and len(data["train"].images) == 80
    torch.manual_seed(0)
    net = train_evaluator(data["train"], len(groups), len(subgroups), {**RECIPE, "steps": 60, "width": 8},
                          log=lambda m: None)
    _, lg, ls = embed(net, data["heldout"].images)
    assert topk_accuracy(lg, data["heldout"].group, 1) >= 0.75  # chance: 0.25
    assert topk_accuracy(ls, data["heldout"].subgroup, 1) >= 0.5  # chance: 0.125


def test_flops_grow_with_levels_and_add_up_over_stages():
    cfg = load_config("tiny")
    per = train_flops_per_sample(cfg, 50)
    levels = sorted(per)
    assert all(per[a] < per[b] for a, b in zip(levels, levels[1:]))
    outer = cfg.levels[0]
    # The outermost level adds at least its stem and head convolutions at full resolution.
    r, c = outer.resolution, outer.channels[0]
    assert per[levels[-1]] - per[levels[-2]] >= 3 * 2 * r * r * 27 * c * 2
    samples = [100 * (k + 1) for k in range(len(cfg.train.stages))]
    assert run_flops(cfg, 50, samples) == sum(per[st.levels] * n for st, n in zip(cfg.train.stages, samples))
    m = MatryoshkaModel(cfg, 50)
    assert forward_flops(m) * 3 == per[len(cfg.levels)]


def test_flat_baseline_has_the_nested_models_widths_in_one_level():
    nested, flat = load_config("emoji64"), load_config("flat64")
    assert [lv.resolution for lv in flat.levels] == [64] and len(flat.train.stages) == 1
    assert flat.levels[0].channels == [lv.channels[0] for lv in nested.levels[:-1]] + nested.levels[-1].channels
    assert flat.schedule == nested.schedule and flat.text == nested.text and flat.dataset == nested.dataset
    pn = sum(p.numel() for p in MatryoshkaModel(nested, 1000).parameters())
    pf = sum(p.numel() for p in MatryoshkaModel(flat, 1000).parameters())
    assert 0.85 < pf / pn < 1.15


@pytest.mark.skipif(not os.path.exists(os.path.join(ROOT, "packages", "core", "dist", "index.js")),
                    reason="needs the built engine (npm run build)")
def test_eval_command_end_to_end_with_the_engine(tmp_path):
    packed = make_packed(str(tmp_path / "packed"))
    flat = str(tmp_path / "models" / "tiny-flat")
    shutil.copytree(TINY_BUNDLE, flat)
    man = json.load(open(os.path.join(flat, "manifest.json")))
    man["id"] = "tiny-flat"
    json.dump(man, open(os.path.join(flat, "manifest.json"), "w"))
    out = tmp_path / "eval.json"
    cmd = ["/usr/bin/python3", "-m", "training.eval", "--model", TINY_BUNDLE, "--packed", packed,
           "--work", str(tmp_path / "work"), "--train-images", "12", "--sampler-images", "3", "--threads", "1",
           "--flat", flat, "--evaluator-steps", "40", "--clip-model", "none", "--out", str(out),
           "--everyday-packed", packed, "--everyday-prompts", "340", "--everyday-seeds", "0", "--judge-steps", "20",
           "--markdown", str(tmp_path / "eval.md")]
    first = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-2000:]
    r = json.loads(out.read_text())
    assert r["sizes"] == {"heldout": 16, "train": 12} and "clips" not in r
    m = r["models"]["tiny-bundle"]
    for split in ("heldout", "train"):
        assert 0 <= m[split]["subgroup_top1"] <= m[split]["subgroup_top5"] <= 1
        # Random weights draw noise: further from the real shapes than another set of real shapes is.
        assert m[split]["fd"] > r["real"][split]["fd"]
        assert m[split]["cpu_seconds_per_image"] > 0
    assert [(s["sampler"], s["steps"]) for s in r["samplers"]] == [
        ("ddim", 10), ("ddim", 20), ("ddim", 50), ("dpmpp-2m", 10), ("dpmpp-2m", 20), ("dpmpp-2m", 50)]
    assert len(r["nested_vs_flat"]) == 2
    e = r["everyday"]
    assert e["prompts"] >= 1 and e["unplaced"] and 0 <= e["recognisable"] <= e["concept_only"] <= 1
    assert {x["category"] for x in e["results"]} <= set(e["categories"])
    assert (tmp_path / "eval-everyday.png").exists()
    assert "| tiny-flat |" in (tmp_path / "eval.md").read_text()
    from PIL import Image
    sheet = Image.open(tmp_path / "eval-heldout.png")  # real + tiny-bundle + tiny-flat; a row per concept
    concepts = {m["concept"] for m in json.load(open(os.path.join(packed, "meta.json")))["images"]
                if m["split"] == "heldout"}
    assert sheet.size == (190 + 3 * 132, 16 + len(concepts) * 132)
    pngs = sorted((tmp_path / "work").rglob("*.png"))
    assert len(pngs) >= 16 + 12 + 3 * 5

    # A rerun draws nothing (every image is cached) and repeats every number exactly.
    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0 and "drawing" not in second.stderr
    r2 = json.loads(out.read_text())
    assert r2["models"] == r["models"] and r2["samplers"] == r["samplers"] and r2["real"] == r["real"]
    assert r2["everyday"]["results"] == r["everyday"]["results"]
