import json
import os
import shutil
import subprocess
import sys

import numpy as np
import torch

from training.mdm.config import load_config
from training.mdm.model import MatryoshkaModel
from training.mdm.export import example_inputs
from training.mdm.tokenizer import Tokenizer
from training.mdm.clip_export import load_clip_checkpoint

from .background_run import kill_after_first_metrics

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def packed_dir(path, n=6):
    """A packed corpus of n flat-colour squares, the layout training/data/pack.mjs writes."""
    rng = np.random.default_rng(0)
    images = np.full((n, 64, 64, 3), 255, dtype=np.uint8)
    meta = []
    for i in range(n):
        images[i, 16:48, 16:48] = rng.integers(0, 200, size=3)
        meta.append({"concept": f"c{i}", "name": f"square-{i}", "label": f"square {i}",
                     "captions": [f"a square {i}"], "style": "test", "split": "train"})
    os.makedirs(path, exist_ok=True)
    np.save(os.path.join(path, "images_64.npy"), images)
    with open(os.path.join(path, "meta.json"), "w") as f:
        json.dump({"npy": "images_64.npy", "images": meta}, f)
    return str(path)


def image_checkpoint(path, seed=5):
    cfg = load_config("tiny")
    tok = Tokenizer.for_config(cfg.text, ["a square", "a square 1"])
    model = MatryoshkaModel(cfg, len(tok.vocab))
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=g) * 0.05)
    torch.save({"ema": model.state_dict(), "tokenizer": tok.to_json(), "samples_seen": 123}, path)
    return model


def run(args, **kw):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-m", "training.train", "--config", "clip_tiny", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, **kw)


def test_progressive_clip_run_starts_inside_and_grows_with_the_image_models_levels(tmp_path):
    packed = packed_dir(tmp_path / "packed")
    image = image_checkpoint(tmp_path / "image.pt")
    runs = tmp_path / "run"
    common = ["--run", str(runs), "--data", packed, "--batch-size", "2", "--threads", "1"]
    out = run([*common, "--init", str(tmp_path / "image.pt"), "--levels", "1", "--max-minutes", "0.02"])
    assert out.returncode == 0, out.stderr + out.stdout
    ck = torch.load(runs / "last.pt")
    assert ck["levels"] == 1 and ck["step"] > 0 and ck["samples_by_levels"] == {"1": ck["samples_seen"]}
    inner_steps = ck["step"]

    out = run([*common, "--init", str(tmp_path / "image.pt"), "--resume", "--grow", "--max-minutes", "0.02"])
    assert out.returncode == 0, out.stderr + out.stdout
    grown = torch.load(runs / "last.pt")
    assert grown["levels"] == 2 and grown["step"] > inner_steps
    assert set(grown["samples_by_levels"]) == {"1", "2"}
    assert grown["samples_by_levels"]["1"] == ck["samples_seen"]
    # The new outer level came from the image model's 32 px level (then moved by a few steps of
    # training at lr warm-up); a fresh level would be nowhere near it.
    want = image.unet.inner.state_dict()["conv_in.weight"]
    got = grown["model"]["unet.conv_in.weight"]
    fresh = torch.nn.Conv2d(3, want.shape[0], 3).weight
    assert (got - want).abs().max() < 0.5 * (fresh - want).abs().max()

    # The preview film strip of that checkpoint: a row per prompt and seed, a column per frame.
    from PIL import Image

    from training.mdm.clip_sample import main as sample_main

    strip = tmp_path / "strip.png"
    sample_main(["--checkpoint", str(runs / "last.pt"), "--out", str(strip), "--prompts", "a square 1 spinning",
                 "a square 2 bouncing", "--seeds", "0", "1", "2", "--steps", "2"])
    frames = grown["frames"][-2]  # the outer level of a 2-level clip_tiny model
    assert Image.open(strip).size == (frames * 68 - 4, 6 * 68 - 4)


def test_a_clip_run_continues_a_clip_checkpoint_on_its_inner_levels_then_regrows_its_outer_level(tmp_path):
    """Train the inner levels of a finished 3-level clip model (the cheap part that decides layout and
    motion), then put its own outer level back around them: history and weights carry through."""
    packed = packed_dir(tmp_path / "packed")
    image_checkpoint(tmp_path / "image.pt")
    common = ["--data", packed, "--batch-size", "2", "--threads", "1"]
    out = run([*common, "--run", str(tmp_path / "full"), "--init", str(tmp_path / "image.pt"), "--max-minutes", "0.02"])
    assert out.returncode == 0, out.stderr + out.stdout
    full = torch.load(tmp_path / "full" / "last.pt")
    assert full["levels"] == 3

    inner = tmp_path / "inner"
    out = run([*common, "--run", str(inner), "--init", str(tmp_path / "full" / "last.pt"), "--levels", "2",
               "--max-minutes", "0.02"])
    assert out.returncode == 0, out.stderr + out.stdout
    ck = torch.load(inner / "last.pt")
    assert ck["levels"] == 2 and ck["rewarm_from"] == full["step"] and ck["step"] > full["step"]
    assert ck["samples_seen"] > full["samples_seen"] and ck["init"] == full["init"]
    assert ck["samples_by_levels"]["3"] == full["samples_by_levels"]["3"] and ck["samples_by_levels"]["2"] > 0
    # Its weights are the 3-level model's inner ones, moved by a few steps only (fresh ones would be
    # as far away as the weights are large).
    assert near(ck["ema"]["unet.conv_in.weight"], full["ema"]["unet.inner.conv_in.weight"])

    # Put back with no training (a release): the inner levels predict exactly what they did alone, since
    # the outer level's in-adapter starts at zero; a stale one fed them features they never trained with.
    release = tmp_path / "release"
    shutil.copytree(inner, release)
    out = run([*common, "--run", str(release), "--init", str(tmp_path / "full" / "last.pt"), "--resume", "--grow",
               "--max-steps", "1"])
    assert out.returncode == 0, out.stderr + out.stdout
    assert "in-adapter zeroed" in out.stdout
    two, _, _ = load_clip_checkpoint(str(inner / "last.pt"))
    three, _, rel = load_clip_checkpoint(str(release / "last.pt"))
    assert rel["levels"] == 3 and torch.count_nonzero(rel["ema"]["unet.in_adapter.weight"]) == 0
    assert torch.count_nonzero(full["ema"]["unet.in_adapter.weight"]) > 0
    xs, t, tokens, ngrams = example_inputs(three, batch=2, seed=3)
    with torch.no_grad():
        alone, nested = two(xs[1:], t, tokens, ngrams), three(xs, t, tokens, ngrams)[1:]
    for a, b in zip(alone, nested):
        assert torch.allclose(a, b, atol=1e-5), (a - b).abs().max()

    out = run([*common, "--run", str(inner), "--init", str(tmp_path / "full" / "last.pt"), "--resume", "--grow",
               "--max-minutes", "0.02"])
    assert out.returncode == 0, out.stderr + out.stdout
    grown = torch.load(inner / "last.pt")
    # A grow starts a new stage, whose LR warms up again from the grow.
    assert grown["levels"] == 3 and grown["stage"] == 2 and grown["stage_step"] == grown["step"] - ck["step"]
    # The outer level, spatial and temporal, is the full model's again (checked on the randomly
    # initialised matrices: the zero-initialised projections are too small to tell apart).
    outer = [n for n, v in full["ema"].items()
             if n.startswith("unet.") and not n.startswith("unet.inner.") and v.ndim > 1 and ".proj." not in n
             and not n.startswith("unet.in_adapter.")]
    assert any(".temporal." in n for n in outer)
    for n in outer:
        assert near(grown["ema"][n], full["ema"][n]), n
    wrong = run([*common, "--run", str(tmp_path / "bad"), "--init", str(tmp_path / "full" / "last.pt"),
                 "--config", "clip64", "--max-minutes", "0.01"])
    assert wrong.returncode != 0


def test_a_clip_checkpoint_continues_with_joint_attention_which_resumes_as_such(tmp_path):
    packed = packed_dir(tmp_path / "packed")
    image_checkpoint(tmp_path / "image.pt")
    common = ["--data", packed, "--batch-size", "2", "--threads", "1"]
    out = run([*common, "--run", str(tmp_path / "attn"), "--init", str(tmp_path / "image.pt"), "--max-minutes", "0.01"])
    assert out.returncode == 0, out.stderr + out.stdout
    joint = tmp_path / "joint"
    out = run([*common, "--run", str(joint), "--init", str(tmp_path / "attn" / "last.pt"), "--temporal-attention",
               "joint", "--max-minutes", "0.01"])
    assert out.returncode == 0, out.stderr + out.stdout
    ck = torch.load(joint / "last.pt")
    assert ck["temporal_attention"] == "joint" and any(".joint_" in k for k in ck["ema"])
    out = run([*common, "--run", str(joint), "--resume", "--max-minutes", "0.01"])
    assert out.returncode == 0, out.stderr + out.stdout
    assert torch.load(joint / "last.pt")["step"] > ck["step"]
    refused = run([*common, "--run", str(joint), "--resume", "--temporal-attention", "attn", "--max-minutes", "0.01"])
    assert refused.returncode != 0 and "start a new run with --init" in refused.stderr + refused.stdout


def near(got, want):
    return (got - want).abs().max() <= 0.2 * want.abs().max() + 1e-3


def test_sigterm_stops_a_clip_run_with_a_checkpoint(tmp_path):
    packed = packed_dir(tmp_path / "packed")
    runs = tmp_path / "run"
    code, out = kill_after_first_metrics(["training.train", "--config", "clip_tiny", "--run", str(runs),
                                          "--data", packed, "--batch-size", "2", "--levels", "1", "--threads", "1",
                                          "--max-minutes", "10"], runs)
    assert code == 0, out
    assert "interrupted" in out
    assert torch.load(runs / "last.pt")["step"] >= 1


def test_param_groups_scale_the_image_weights_only_and_keep_two_groups_by_default():
    import importlib

    from training.mdm.config import load_config
    from training.mdm.clip_model import ClipModel
    from training.mdm.tasks.clip import ClipTask
    from training.train import param_groups

    cfg = load_config("clip_tiny")
    model = ClipModel(cfg, 40, list(importlib.import_module("training.mdm.configs.clip_tiny").FRAMES))
    plain = param_groups(model, 0.01)
    assert [g["lr_scale"] for g in plain] == [1.0, 1.0] and [g["weight_decay"] for g in plain] == [0.01, 0.0]
    frames = list(importlib.import_module("training.mdm.configs.clip_tiny").FRAMES)
    split = param_groups(model, 0.01, ClipTask(cfg, None, frames, image_lr_scale=0.1).lr_scale)
    names = {id(p): n for n, p in model.named_parameters()}
    for g in split:
        for p in g["params"]:
            assert (g["lr_scale"] == 1.0) == (".temporal." in names[id(p)])
    assert sum(len(g["params"]) for g in split) == len(list(model.parameters()))
    assert {g["lr_scale"] for g in split} == {1.0, 0.1}


def test_a_checkpoint_of_the_former_clip_trainer_resumes_in_the_one_loop(tmp_path):
    """Clip checkpoints written before the one loop: optimizer under "opt", clips per levels under
    "clips_by_levels", no stage counters or RNG states. They resume where they stopped."""
    packed = packed_dir(tmp_path / "packed")
    image_checkpoint(tmp_path / "image.pt")
    runs = tmp_path / "run"
    common = ["--data", packed, "--batch-size", "2", "--threads", "1", "--run", str(runs)]
    out = run([*common, "--init", str(tmp_path / "image.pt"), "--levels", "2", "--max-minutes", "0.01"])
    assert out.returncode == 0, out.stderr + out.stdout
    new = torch.load(runs / "last.pt")
    old = {k: v for k, v in new.items() if k not in ("stage", "stage_step", "stage_samples", "stage_seconds", "rng",
                                                     "history", "finished_stage_samples", "task", "cooldown")}
    old["opt"] = old.pop("optimizer")
    old["clips_by_levels"] = old.pop("samples_by_levels")
    torch.save(old, runs / "last.pt")
    out = run([*common, "--resume", "--max-minutes", "0.01"])
    assert out.returncode == 0, out.stderr + out.stdout
    assert f"resumed at step {new['step']}, stage 2" in out.stdout
    after = torch.load(runs / "last.pt")
    assert after["levels"] == 2 and after["step"] > new["step"] and "opt" not in after
    assert after["samples_by_levels"]["2"] == after["samples_seen"]
    # The optimizer's moments came along: without them the LR would warm up again from the resume.
    assert new["rewarm_from"] is None and after["rewarm_from"] is None
