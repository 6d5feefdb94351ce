import os
import subprocess
import sys

import torch

from training.mdm.config import load_config
from training.mdm.data import Dataset, synthetic
from training.mdm.diffusion import diffusion_loss, pyramid
from training.mdm.tokenizer import Tokenizer
from training.mdm.tasks.image import ImageTask
from training.train import Trainer

from .background_run import kill_after_first_metrics

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def tiny_setup(tmp_path, n=8, seed=0):
    cfg = load_config("tiny")
    data = synthetic(n, 64, seed=seed)
    tok = Tokenizer.for_config(cfg.text, [c for cs in data.captions for c in cs])
    return cfg, data, tok


def fixed_loss(trainer, data, seed=99):
    g = torch.Generator().manual_seed(seed)
    res = trainer.model.resolutions
    x = pyramid(data.images, [res[0]])[0]
    toks, grams = trainer.tok.encode_batch([c[0] for c in data.captions])
    with torch.no_grad():
        # The same t and noise every call (4 draws per image), so losses are comparable.
        xs = torch.cat([x] * 4)
        out = diffusion_loss(trainer.model, res, trainer.schedule, pyramid(xs, res), torch.from_numpy(toks).repeat(4, 1),
                             torch.from_numpy(grams).repeat(4, 1, 1), [1.0] * len(res), generator=g)
    return float(out["loss"])


def test_tiny_model_overfits_8_images(tmp_path):
    """Stated factor: 300 steps on 8 images cut the fixed-noise loss at least 3x."""
    cfg, data, tok = tiny_setup(tmp_path)
    cfg.train.caption_dropout = 0.0
    cfg.train.stages[0].lr = 3e-3
    cfg.train.stages[0].batch_size = 8
    trainer = Trainer(cfg, str(tmp_path), ImageTask(cfg, data), tok, torch.device("cpu"))
    before = fixed_loss(trainer, data)
    for _ in range(300):
        trainer.train_step()
    after = fixed_loss(trainer, data)
    assert after < before / 3, (before, after)


def test_resume_gives_the_same_next_step_loss(tmp_path):
    cfg, data, tok = tiny_setup(tmp_path, n=32)
    cfg.train.stages[0].samples = 40  # grow during the run so the checkpoint holds a nested model
    a = Trainer(cfg, str(tmp_path), ImageTask(cfg, data), tok, torch.device("cpu"))
    a.run(max_steps=7)
    a.save("mid.pt")
    assert a.levels == 2
    expected = [a.train_step()["loss"] for _ in range(3)]

    b = Trainer(cfg, str(tmp_path), ImageTask(cfg, data), tok, torch.device("cpu"))
    b.load_state_dict(torch.load(os.path.join(tmp_path, "mid.pt")))
    got = [b.train_step()["loss"] for _ in range(3)]
    assert got == expected
    for pa, pb in zip(a.ema.parameters(), b.ema.parameters()):
        assert torch.equal(pa, pb)


def test_progressive_stages_grow_and_checkpoint(tmp_path):
    run = tmp_path / "run"
    env = dict(os.environ, PYTHONPATH=ROOT)
    cmd = [sys.executable, "-m", "training.train", "--config", "tiny", "--run", str(run), "--synthetic",
           "--stage-samples", "16,16,16", "--threads", "1"]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    for k in (1, 2, 3):
        assert (run / f"stage{k}.pt").exists()
    ck = torch.load(run / "last.pt")
    assert ck["levels"] == 3 and ck["samples_seen"] == 48
    # --resume after the last stage is a no-op that exits cleanly.
    out = subprocess.run(cmd + ["--resume"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "resumed at step 6" in out.stdout


def test_sigterm_stops_a_background_run_with_a_checkpoint(tmp_path):
    run = tmp_path / "run"
    code, out = kill_after_first_metrics(["training.train", "--config", "tiny", "--run", str(run), "--synthetic",
                                          "--stage-samples", "0,0,0", "--threads", "1"], run)
    assert code == 0, out
    assert "checkpoint saved" in out
    assert torch.load(run / "last.pt")["step"] >= 10


def test_ddp_two_cpu_processes_on_gloo(tmp_path):
    run = tmp_path / "ddp"
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS="1")
    # --redirects 2 --tee 1: Debian's torch 1.13 on Python 3.11 crashes parsing the default "0"
    # (IntFlag no longer iterates Std.NONE); these values work there and on torch 2.x alike.
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "--redirects", "2", "--tee", "1", "-m", "training.train", "--config", "tiny", "--run", str(run), "--synthetic", "--max-steps", "3"]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    ck = torch.load(run / "last.pt")
    assert ck["step"] == 3 and ck["samples_seen"] == 3 * 8  # the global batch is split over 2 ranks
    assert "world 2" in out.stdout


def test_paused_steps_do_not_count_as_training_time_and_stage_samples_are_recorded(tmp_path, monkeypatch):
    import time as real_time

    import training.train as train_module

    cfg, data, tok = tiny_setup(tmp_path, n=16)
    cfg.train.stages[0].samples = 16  # stage 1 ends after 2 steps of 8
    t = Trainer(cfg, str(tmp_path), ImageTask(cfg, data), tok, torch.device("cpu"))
    step = t.train_step

    def slow_step():  # as if the process had been SIGSTOPped for an hour mid-step
        out = step()
        clock[0] += 3600.0
        return out

    clock = [real_time.time()]
    monkeypatch.setattr(train_module.time, "time", lambda: clock[0])
    monkeypatch.setattr(t, "train_step", slow_step)
    t.run(max_steps=3)
    assert t.train_seconds <= 3 * train_module.MAX_STEP_SECONDS
    assert t.finished_stages == [16] and t.levels == 2
    ck = torch.load(os.path.join(tmp_path, "last.pt"))
    assert ck["finished_stage_samples"] == [16] and ck["stage_samples"] == 8


def test_cooldown_branch_decays_the_lr_to_zero_and_stops_also_across_a_resume(tmp_path):
    cfg, data, tok = tiny_setup(tmp_path, n=16)
    cfg.train.stages[0].warmup_steps = 1
    a = Trainer(cfg, str(tmp_path), ImageTask(cfg, data), tok, torch.device("cpu"))
    a.run(max_steps=3)
    base = a.lr_now()
    a.start_cooldown(4)
    lrs = []
    step = a.train_step

    def logged_step():
        lrs.append(a.lr_now())
        return step()

    a.train_step = logged_step
    a.run(max_steps=5)  # 2 of the 4 cooldown steps, then a checkpoint as if the run had been stopped
    assert lrs == [base, 0.75 * base]
    b = Trainer(cfg, str(tmp_path), ImageTask(cfg, data), tok, torch.device("cpu"))
    b.load_state_dict(torch.load(os.path.join(tmp_path, "last.pt")))
    assert b.cooldown == {"start": 3, "steps": 4}
    b.start_cooldown(100)  # a cooldown already under way keeps its schedule
    lrs.clear()
    step = b.train_step
    b.train_step = lambda: (lrs.append(b.lr_now()), step())[1]
    b.run()  # no budget left in the stage: only the cooldown ends it
    assert b.step == 7 and lrs == [0.5 * base, 0.25 * base]
    assert b.lr_now() == 0.0


def test_a_portable_checkpoint_restarts_the_optimizer_with_a_new_warmup_and_keeps_the_counters(tmp_path):
    from training.mdm.portable import pack

    cfg, data, tok = tiny_setup(tmp_path, n=16)
    cfg.train.stages[0].warmup_steps = 4
    a = Trainer(cfg, str(tmp_path), ImageTask(cfg, data), tok, torch.device("cpu"))
    a.run(max_steps=6)
    base = a.lr_now()
    torch.save(pack(a.state_dict(), ema_only=True), tmp_path / "portable.pt")
    ck = torch.load(tmp_path / "portable.pt")
    assert "optimizer" not in ck and "rng" not in ck and "model" not in ck
    assert all(t.dtype == torch.float16 for t in ck["ema"].values() if t.is_floating_point())

    b = Trainer(cfg, str(tmp_path), ImageTask(cfg, data), tok, torch.device("cpu"))
    b.load_state_dict(ck)
    assert (b.step, b.samples_seen, b.rewarm_from) == (6, a.samples_seen, 6)
    for pa, pb in zip(a.ema.parameters(), b.model.parameters()):  # trained weights start from the EMA
        assert torch.equal(pa.half().float(), pb)
    assert b.lr_now() == base / 4  # warmed up again: AdamW's moments are gone
    b.run(max_steps=9)
    assert b.lr_now() == base
    assert sum(b.hardware_seconds.values()) == b.train_seconds > a.train_seconds


def test_a_timed_cooldown_ends_the_run_with_the_lr_at_zero(tmp_path):
    cfg, data, tok = tiny_setup(tmp_path, n=16)
    cfg.train.stages[0].warmup_steps = 1
    t = Trainer(cfg, str(tmp_path), ImageTask(cfg, data), tok, torch.device("cpu"))
    t.run(max_minutes=0.05, cooldown_minutes=0.02)
    assert t.cooldown is not None and t.cooldown_done() and t.lr_now() == 0.0
    assert t.cooldown["start"] > 0 and t.cooldown["steps"] >= 1


def test_portable_files_split_into_parts_and_join_back(tmp_path):
    from training.mdm.portable import join, split

    blob = os.urandom(2500)
    (tmp_path / "w.pt").write_bytes(blob)
    parts = split(str(tmp_path / "w.pt"), str(tmp_path / "out"), part_bytes=1000)
    assert [os.path.getsize(p) for p in parts] == [1000, 1000, 500]
    join(list(reversed(parts)), str(tmp_path / "back.pt"))
    assert (tmp_path / "back.pt").read_bytes() == blob


def test_a_grown_outer_level_trains_alone_and_the_inner_model_stays_exactly_as_released(tmp_path):
    base, grown = tmp_path / "base", tmp_path / "grown"
    env = dict(os.environ, PYTHONPATH=ROOT)
    run = lambda *a: subprocess.run([sys.executable, "-m", "training.train", "--synthetic", "--threads", "1", *a],
                                    cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    out = run("--config", "tiny", "--run", str(base), "--stage-samples", "16,16,16")
    assert out.returncode == 0, out.stderr
    out = run("--run", str(grown), "--init", str(base / "last.pt"), "--grow-level", "128:8", "--train-levels", "1",
              "--max-steps", "10")  # the base run ended at step 6
    assert out.returncode == 0, out.stderr
    before, after = torch.load(base / "last.pt"), torch.load(grown / "last.pt")
    assert after["levels"] == 4 and after["config"]["levels"][0]["resolution"] == 128
    assert after["config"]["id"].endswith("128") and after["config"]["train"]["trainable_levels"] == 1
    fixed = {k: v for k, v in after["model"].items() if k.startswith(("text_encoder.", "unet.inner.", "unet.in_adapter"))}
    outer = [k for k in after["model"] if k not in fixed]
    assert fixed and outer
    for k, v in fixed.items():
        want = torch.zeros_like(v) if k.startswith("unet.in_adapter") else before["model"][k.replace("unet.inner.", "unet.", 1)]
        assert torch.equal(v, want), k
    assert after["model"]["unet.out_adapter.weight"].abs().sum() > 0  # the new level learnt to read the inner one
    # The freeze is part of the run's config: a resume keeps it.
    out = run("--run", str(grown), "--resume", "--max-steps", "12")
    assert out.returncode == 0, out.stderr
    again = torch.load(grown / "last.pt")
    assert again["step"] == 12 and all(torch.equal(again["model"][k], v) for k, v in fixed.items())
