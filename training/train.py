"""Progressive MDM training: the innermost UNet alone, then grow one level outward at a time.

    /usr/bin/python3 -m training.train --config emoji64 --run training/runs/emoji64
    /usr/bin/python3 -m training.train --config emoji64 --run training/runs/emoji64 --resume
    torchrun --nproc_per_node 2 -m training.train --config tiny --run /tmp/ddp --synthetic

A stage ends after its sample budget or its wall-clock budget (whichever is set and reached first);
the last stage's budget may be 0 = run until stopped. Checkpoints (model, optimizer, EMA, step,
stage, every RNG state) go to <run>/last.pt every few minutes and to <run>/stage<k>.pt at stage ends;
`--resume` continues from last.pt exactly where it stopped. Budgets given on the command line
override the config's, also on resume, so a run can be extended in a later session.

The learning rate stays constant after warm-up, so a run can go on for as long as there is compute.
A release is cut from a branch that cools down (warmup-stable-decay): copy the run's last.pt into a
new run folder and resume it there with `--cooldown-steps N`; the LR then falls linearly to 0 over
N steps and the branch stops, while the main run continues at full LR from its own checkpoint.

    mkdir -p training/runs/emoji64-cd && cp training/runs/emoji64/last.pt training/runs/emoji64-cd/
    /usr/bin/python3 -m training.train --run training/runs/emoji64-cd --resume --cooldown-steps 1500
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import os
import time
from typing import Dict, List, Optional

import numpy as np
import torch
import torch.distributed as dist

from training.data.motion import load_motion_corpus
from training.mdm import checkpoint
from training.mdm.checkpoint import hardware_string
from training.mdm.config import ModelConfig, add_outer_level, load_config
from training.mdm.data import load_packed, synthetic
from training.mdm.diffusion import diffusion_loss
from training.mdm.run_control import MAX_STEP_SECONDS, bf16_autocast, stop_on_kill, tune_cuda
from training.mdm.schedule import Schedule
from training.mdm.tasks.clip import ClipTask, clip_stages, clip_tokenizer, corpus_to, parse_motion_weights
from training.mdm.tasks.image import ImageTask, extend_word_embeddings
from training.mdm.tokenizer import DEFAULT_ALIASES, Tokenizer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def log(msg: str) -> None:
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


class Trainer:
    """One training loop for every task (tasks/image.py, tasks/clip.py): progressive stages, AdamW with
    warm-up and an optional cooldown, EMA, exact resume, hardware-time accounting, metrics."""

    def __init__(self, cfg: ModelConfig, run_dir: str, task, tokenizer: Tokenizer, device: torch.device,
                 rank: int = 0, world: int = 1, stage: int = 0, threads: Optional[int] = None):
        self.cfg, self.run_dir, self.task, self.tok = cfg, run_dir, task, tokenizer
        self.device, self.rank, self.world = device, rank, world
        self.schedule = Schedule(cfg.schedule)
        tc = cfg.train
        self.batcher = task.batcher(tokenizer, seed=tc.seed * 1000 + rank)
        self.gen = torch.Generator(device=device)
        self.gen.manual_seed(tc.seed * 1000 + 17 + rank)
        torch.manual_seed(tc.seed)  # identical initial weights on every rank
        self.stage = stage
        self.model = task.new_model(len(tokenizer.vocab), tc.stages[stage].levels).to(device)
        self.ema = copy.deepcopy(self.model).eval().requires_grad_(False)
        self.step = 0
        self.samples_seen = 0
        self.train_seconds = 0.0
        self.stage_step = self.stage_samples = 0
        self.stage_seconds = 0.0
        self.history: List[dict] = []
        # Samples of every finished stage: with the current stage's, they give the run's training FLOPs.
        # None when resumed from a checkpoint written before this was recorded.
        self.finished_stages: Optional[List[int]] = []
        self.samples_by_levels: Dict[str, int] = {}
        self.cooldown: Optional[dict] = None  # {"start": step, "steps": n}: the LR decays to 0 over n steps
        # Step at which a fresh optimizer took over (a run started from a portable checkpoint): the LR
        # warms up again from there, since AdamW without its moments takes full-size first steps.
        self.rewarm_from: Optional[int] = None
        self.hardware = hardware_string(device, world, threads)
        self.hardware_seconds = {self.hardware: 0.0}
        self._make_optimizer()
        self.autocast = bf16_autocast(tc.bf16, device)

    # --- model / optimizer plumbing -----------------------------------------------------------
    def _make_optimizer(self) -> None:
        tc, st = self.cfg.train, self.cfg.train.stages[self.stage]
        if tc.trainable_levels and tc.trainable_levels < self.levels:
            self.model.train_only_outer(tc.trainable_levels)
        self.opt = torch.optim.AdamW(param_groups(self.model, tc.weight_decay, self.task.lr_scale),
                                     lr=st.lr, betas=tuple(tc.betas))
        self.net = self.model
        if self.world > 1:
            self.net = torch.nn.parallel.DistributedDataParallel(self.model)

    def grow(self) -> None:
        """Start the next stage now (its budget aside): a new outermost level around the trained model."""
        self._grow()
        log(f"grew to {self.model.resolutions} ({n_params(self.model) / 1e6:.2f}M params)")

    def _grow(self) -> None:
        if self.stage + 1 >= len(self.cfg.train.stages):
            raise SystemExit(f"the model already has all {self.levels} levels of its config")
        if self.finished_stages is not None:
            self.finished_stages.append(self.stage_samples)
        self.stage += 1
        self.model = self.model.grow()
        self.ema = self.ema.grow().eval().requires_grad_(False)
        self.stage_step = self.stage_samples = 0
        self.stage_seconds = 0.0
        self._make_optimizer()

    @property
    def levels(self) -> int:
        return len(self.model.resolutions)

    def lr_now(self) -> float:
        st = self.cfg.train.stages[self.stage]
        lr = st.lr * min(1.0, (self.stage_step + 1) / max(1, st.warmup_steps))
        if self.rewarm_from is not None:
            lr *= min(1.0, (self.step - self.rewarm_from + 1) / max(1, st.warmup_steps))
        if self.cooldown:
            lr *= max(0.0, 1.0 - (self.step - self.cooldown["start"]) / self.cooldown["steps"])
        return lr

    def start_cooldown(self, steps: int) -> None:
        """Decay the LR linearly to 0 over the next `steps` steps, then stop (kept across resumes)."""
        if self.cooldown is None:
            self.cooldown = {"start": self.step, "steps": int(steps)}

    def cooldown_done(self) -> bool:
        return self.cooldown is not None and self.step >= self.cooldown["start"] + self.cooldown["steps"]

    # --- one optimisation step ----------------------------------------------------------------
    def train_step(self) -> dict:
        st, tc = self.cfg.train.stages[self.stage], self.cfg.train
        res = self.model.resolutions
        per_rank = max(1, st.batch_size // self.world)
        targets, toks, grams = self.task.batch(self.batcher, per_rank, self.model)
        targets, toks, grams = [x.to(self.device) for x in targets], toks.to(self.device), grams.to(self.device)
        for g in self.opt.param_groups:
            g["lr"] = self.lr_now() * g["lr_scale"]
        self.net.train()
        out = diffusion_loss(self.net, res, self.schedule, targets, toks, grams, tc.loss_weights[-len(res):],
                             generator=self.gen, autocast_dtype=self.autocast)
        self.opt.zero_grad(set_to_none=True)
        out["loss"].backward()
        gnorm = torch.nn.utils.clip_grad_norm_(self.model.parameters(), tc.grad_clip)
        self.opt.step()
        self._ema_update()
        self.step += 1
        self.stage_step += 1
        n = per_rank * self.world
        self.samples_seen += n
        self.stage_samples += n
        self.samples_by_levels[str(self.levels)] = self.samples_by_levels.get(str(self.levels), 0) + n
        return {k: float(v) for k, v in out.items()} | {"grad_norm": float(gnorm)}

    @torch.no_grad()
    def _ema_update(self) -> None:
        tc = self.cfg.train
        n = self.stage_step
        d = min(tc.ema_decay, (1 + n) / (10 + n)) if tc.ema_warmup else tc.ema_decay
        for pe, pm in zip(self.ema.parameters(), self.model.parameters()):
            pe.mul_(d).add_(pm.detach(), alpha=1 - d)

    @torch.no_grad()
    def heldout_loss(self, seed: int = 1234, raw: bool = False) -> Optional[float]:
        """EMA (or with raw, the trained weights') loss on the task's fixed held-out batch, t and noise:
        comparable across checkpoints of a stage."""
        batch = self.task.heldout_batch(self.tok, self.ema)
        if batch is None:
            return None
        targets, toks, grams = batch
        g = torch.Generator(device=self.device)
        g.manual_seed(seed)
        res = self.ema.resolutions
        net = self.model if raw else self.ema
        was_training = net.training
        net.eval()
        out = diffusion_loss(net, res, self.schedule, [x.to(self.device) for x in targets], toks.to(self.device),
                             grams.to(self.device), self.cfg.train.loss_weights[-len(res):], generator=g,
                             autocast_dtype=self.autocast)
        net.train(was_training)
        return float(out["loss"])

    # --- checkpoints ----------------------------------------------------------------------------
    COUNTERS = ("step", "stage_step", "samples_seen", "stage_samples", "train_seconds", "stage_seconds")
    WHOLE_RUN = {"stage_step": "step", "stage_samples": "samples_seen", "stage_seconds": "train_seconds"}

    def state_dict(self) -> dict:
        return {
            "task": self.task.kind,
            "config": self.cfg.to_dict(),
            "tokenizer": self.tok.to_json(),
            "levels": self.levels,
            "stage": self.stage,
            **{k: getattr(self, k) for k in self.COUNTERS},
            "model": self.model.state_dict(),
            "ema": self.ema.state_dict(),
            "optimizer": self.opt.state_dict(),
            "rng": {
                "batcher": self.batcher.state(),
                "noise": self.gen.get_state(),
                "torch": torch.get_rng_state(),
            },
            "history": self.history[-2000:],
            "finished_stage_samples": self.finished_stages,
            "samples_by_levels": dict(self.samples_by_levels),
            "cooldown": self.cooldown,
            "rewarm_from": self.rewarm_from,
            "hardware": " + ".join(h for h, s in self.hardware_seconds.items() if s > 0) or self.hardware,
            "hardware_seconds": dict(self.hardware_seconds),
            **self.task.checkpoint_keys(self.model),
        }

    def load_counters(self, ck: dict) -> None:
        """The run's history (steps, samples, seconds per hardware, ...) from a checkpoint; a key an older
        checkpoint lacks starts from what it implies (its whole run was one stage)."""
        for k in self.COUNTERS:
            setattr(self, k, ck.get(k, ck.get(self.WHOLE_RUN.get(k), 0)))
        self.hardware_seconds = dict(ck.get("hardware_seconds") or {ck.get("hardware", "unknown"): ck["train_seconds"]})
        self.hardware_seconds.setdefault(self.hardware, 0.0)
        self.history = list(ck.get("history", []))
        self.finished_stages = ck.get("finished_stage_samples")
        self.samples_by_levels = dict(ck.get("samples_by_levels") or {})
        self.rewarm_from = ck.get("rewarm_from")

    def load_state_dict(self, ck: dict) -> None:
        while self.stage < ck.get("stage", self.stage):
            self._grow()
        # A portable checkpoint (training.mdm.portable) has fp16 weights, maybe only the EMA, and no
        # optimizer or RNG state: load_state_dict casts to fp32, the optimizer starts fresh and re-warms.
        self.model.load_state_dict(ck.get("model", ck["ema"]))
        self.ema.load_state_dict(ck["ema"])
        self.load_counters(ck)
        if "optimizer" in ck:
            self.opt.load_state_dict(ck["optimizer"])
        else:
            self.rewarm_from = self.step
        if "rng" in ck:
            self.batcher.load_state(ck["rng"]["batcher"])
            self.gen.set_state(ck["rng"]["noise"])
            torch.set_rng_state(ck["rng"]["torch"])
        else:  # new streams, not a replay of the run's first batches
            seed = self.cfg.train.seed * 1000 + self.rank + 7919 * self.step
            self.batcher.rng = np.random.default_rng(seed)
            self.gen.manual_seed(seed + 17)
        self.cooldown = ck.get("cooldown")
        if hasattr(self.task, "load_checkpoint_keys"):
            self.task.load_checkpoint_keys(ck)

    def report_checkpoint(self, raw_too: bool = False) -> None:
        """Saves last.pt and logs the held-out loss (of the trained weights too while cooling down,
        when they, not the lagging EMA, may be the better release)."""
        hl = self.heldout_loss()
        raw = self.heldout_loss(raw=True) if raw_too else None
        self.save("last.pt")
        log(f"checkpoint step {self.step} ({self.samples_seen} samples)"
            + (f", held-out EMA loss {hl:.4f}" if hl is not None else "")
            + (f", raw {raw:.4f}" if raw is not None else ""))
        if hl is not None:
            rec = {"step": self.step, "stage": self.stage + 1, "heldout_ema_loss": hl}
            if raw is not None:
                rec["heldout_raw_loss"] = raw
            with open(os.path.join(self.run_dir, "metrics.jsonl"), "a") as f:
                f.write(json.dumps(rec) + "\n")

    def save(self, name: str) -> str:
        return checkpoint.save(self.state_dict(), os.path.join(self.run_dir, name))

    # --- the loop -------------------------------------------------------------------------------
    def stage_done(self) -> bool:
        st = self.cfg.train.stages[self.stage]
        return (st.samples > 0 and self.stage_samples >= st.samples) or (
            st.minutes > 0 and self.stage_seconds >= st.minutes * 60
        )

    def run(self, max_minutes: float = 0.0, max_steps: int = 0, cooldown_minutes: float = 0.0) -> None:
        """With cooldown_minutes (and max_minutes), the run's last minutes are a cooldown whose step
        count comes from the rate measured so far: for a machine whose speed nobody knew beforehand."""
        tc = self.cfg.train
        start = time.time()
        start_step = self.step
        last_ckpt = time.time()
        window_t, window_n = time.time(), 0
        while True:
            if self.stage_done():
                if self.rank == 0:
                    self.save(f"stage{self.stage + 1}.pt")
                    self.save("last.pt")
                    log(f"stage {self.stage + 1} done ({self.levels} levels): {self.stage_samples} samples, "
                        f"{self.stage_seconds / 60:.1f} min")
                if self.stage + 1 >= len(tc.stages):
                    return
                self.grow()
            elapsed = time.time() - start
            if cooldown_minutes and self.cooldown is None and elapsed >= (max_minutes - cooldown_minutes) * 60:
                rate = (self.step - start_step) / max(1e-9, elapsed)
                self.start_cooldown(max(1, int(rate * cooldown_minutes * 60)))
                log(f"cooling down over {self.cooldown['steps']} steps ({rate:.2f} steps/s so far)")
            # A timed cooldown ends itself (below); the wall-clock stop is then only a guard.
            if max_minutes and elapsed >= max_minutes * 60 * (1.1 if cooldown_minutes else 1.0):
                break
            if max_steps and self.step >= max_steps:
                break
            if self.cooldown_done():
                if self.rank == 0:
                    self.report_checkpoint(raw_too=True)
                    log(f"cooldown done at step {self.step}")
                return
            t0 = time.time()
            m = self.train_step()
            dt = min(time.time() - t0, MAX_STEP_SECONDS)  # a paused run's pause is not training time
            self.train_seconds += dt
            self.stage_seconds += dt
            self.hardware_seconds[self.hardware] += dt
            window_n += self.cfg.train.stages[self.stage].batch_size
            if self.step % tc.log_every == 0 and self.rank == 0:
                rate = window_n / max(1e-9, time.time() - window_t)
                window_t, window_n = time.time(), 0
                rec = {"step": self.step, "stage": self.stage + 1, "levels": self.levels, "samples": self.samples_seen,
                       "samples_s": round(rate, 2), "lr": self.lr_now(), **{k: round(v, 5) for k, v in m.items()}}
                self.history.append(rec)
                levels = " ".join(f"{k[5:]}:{v:.4f}" for k, v in m.items() if k.startswith("loss_"))
                log(f"step {self.step} stage {self.stage + 1} samples {self.samples_seen} loss {m['loss']:.4f} "
                    f"[{levels}] gn {m['grad_norm']:.2f} lr {self.lr_now():.2e} {rate:.1f} samples/s")
                with open(os.path.join(self.run_dir, "metrics.jsonl"), "a") as f:
                    f.write(json.dumps(rec) + "\n")
            if self.rank == 0 and time.time() - last_ckpt >= tc.checkpoint_minutes * 60:
                self.report_checkpoint(raw_too=self.cooldown is not None)
                last_ckpt = time.time()
        if self.rank == 0:
            self.save("last.pt")
            log(f"stopped at step {self.step} ({self.samples_seen} samples); checkpoint saved")


def param_groups(model: torch.nn.Module, weight_decay: float, lr_scale=lambda name: 1.0) -> List[dict]:
    """AdamW groups of the trainable parameters: weight decay for matrices only, and one group per LR
    scale the task gives a parameter (the clip task trains the image model's weights slower)."""
    groups: dict = {}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        decays = not (p.ndim < 2 or "norm" in name or name.endswith("pos"))
        scale = lr_scale(name)
        g = groups.setdefault((decays, scale), {"params": [], "weight_decay": weight_decay if decays else 0.0,
                                                "lr_scale": scale})
        g["params"].append(p)
    return [groups[k] for k in sorted(groups, key=lambda k: (not k[0], -k[1]))]


def n_params(m: torch.nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


def parse_budget(s: Optional[str], n: int) -> List[Optional[float]]:
    if not s:
        return [None] * n
    parts = [p.strip() for p in s.split(",")]
    if len(parts) != n:
        raise SystemExit(f"need {n} comma-separated values, got {s!r}")
    return [None if p == "" else float(p) for p in parts]


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="emoji64", help="a config in training/mdm/configs (one with FRAMES trains clips)")
    ap.add_argument("--run", required=True, help="run folder for checkpoints and logs")
    ap.add_argument("--data", default=None, help="packed data folder (default training/data/packed/<dataset>)")
    ap.add_argument("--synthetic", action="store_true", help="images: train on generated shapes (smoke tests)")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--init", help="start from a checkpoint: images, a portable one (weights and counters, fresh "
                    "optimizer with the LR warmed up again); clips, an image checkpoint (its spatial weights) or a clip "
                    "checkpoint (its history goes on); with --resume --grow, the checkpoint whose level seeds the new one")
    ap.add_argument("--grow", action="store_true", help="with --resume: start the next stage (one more outer level) now")
    ap.add_argument("--levels", type=int, help="clips, without --resume: train the innermost N levels (progressive)")
    ap.add_argument("--stage-minutes", help="per-stage wall-clock budgets, e.g. 25,8,0 (0 = unlimited)")
    ap.add_argument("--stage-samples", help="per-stage sample budgets, e.g. 90000,20000,0")
    ap.add_argument("--max-minutes", type=float, default=0.0, help="stop (with a checkpoint) after this long")
    ap.add_argument("--max-steps", type=int, default=0,
                    help="stop at this step (counted over the run: a resumed run already there saves and stops)")
    ap.add_argument("--cooldown-steps", type=int, default=0,
                    help="with --resume: decay the LR linearly to 0 over this many steps, then stop (a release branch)")
    ap.add_argument("--cooldown-minutes", type=float, default=0.0,
                    help="with --max-minutes: cool down over the run's last N minutes (a release from one timed run)")
    ap.add_argument("--batch-size", type=int, help="override the batch size (images: the last stage's)")
    ap.add_argument("--lr", type=float, help="override the learning rate (images: the last stage's)")
    ap.add_argument("--warmup-steps", type=int, help="override the warm-up steps (images: the last stage's)")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--device", default="auto")
    img = ap.add_argument_group("images")
    img.add_argument("--extend-vocab", action="store_true",
                     help="with --init: append the new data's words to the checkpoint's vocabulary (old ids kept, "
                     "new word embeddings start at zero, so each new word starts as its spelling's n-grams)")
    img.add_argument("--grow-level", metavar="RES:CHANNELS",
                     help="with --init: wrap the checkpoint in a new outermost level (zero adapters, one res block "
                     "per side, no attention), e.g. 128:16, and train it as a new last stage")
    img.add_argument("--train-levels", type=int,
                     help="train only the outermost N levels; the inner ones and the text encoder stay fixed")
    img.add_argument("--balance", action="store_true", help="draw images by family shares (data.FAMILY_SHARES)")
    img.add_argument("--family-shares", help="with --balance: shares per family, e.g. emoji=0.7,colour-icon=0.2,"
                                             "people=0.08,line-icon=0.02")
    img.add_argument("--recolour", type=float, help="fraction of draws recoloured with their caption (mdm/recolour.py)")
    clip = ap.add_argument_group("clips")
    clip.add_argument("--image-lr-scale", type=float, default=1.0,
                      help="LR factor for the weights that came from the image model (all but the temporal layers): "
                      "below 1 keeps its pictures while the motion is learnt; keep it the same across resumes")
    clip.add_argument("--motion-weight", action="append", default=[], metavar="NAME=W",
                      help="draw clips of this motion W times as often (repeatable, e.g. spin=2); keep it across resumes")
    clip.add_argument("--temporal-attention", choices=["attn", "joint"],
                      help="without --resume: per-pixel temporal attention (attn, the default), or also joint attention "
                      "over every frame and pixel of the small feature maps (its layers start at zero)")
    args = ap.parse_args(argv)

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if args.device == "auto":
        device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if torch.cuda.is_available() else "cpu")
    else:
        device = torch.device(args.device)
    if device.type == "cuda":
        torch.cuda.set_device(device)
        tune_cuda()
    if world > 1:
        dist.init_process_group(backend="nccl" if device.type == "cuda" else "gloo")
    torch.set_num_threads(args.threads or max(1, (os.cpu_count() or 1) // world))

    os.makedirs(args.run, exist_ok=True)
    if args.resume and args.init and not args.grow:
        raise SystemExit("--resume and --init exclude each other (but for --resume --grow --init, a seeded level)")
    if args.grow and not args.resume:
        raise SystemExit("--grow needs --resume (a run to grow)")
    if args.cooldown_minutes and not (args.max_minutes > args.cooldown_minutes):
        raise SystemExit("--cooldown-minutes needs a longer --max-minutes")
    ck = src = None
    if args.resume:
        ck = _read(os.path.join(args.run, "last.pt"))
    elif args.init:
        src = _read(args.init)
    kind = (ck.get("task") or ("clip" if "frames" in ck else "image")) if ck else (
        "clip" if hasattr(importlib.import_module(f"training.mdm.configs.{args.config}"), "FRAMES") else "image")
    setup = _clip_setup if kind == "clip" else _image_setup
    cfg, task, tok, stage = setup(args, ck, src, device)
    trainer = Trainer(cfg, args.run, task, tok, device, rank, world, stage=stage, threads=args.threads or None)
    if ck is not None:
        trainer.load_state_dict(ck)
        log(f"resumed at step {trainer.step}, stage {trainer.stage + 1}, {trainer.samples_seen} samples")
        if args.grow:
            trainer.grow()
            if args.init:
                log(task.seed_outer_level(trainer, _read(args.init), args.init))
    elif src is not None:
        if kind == "clip":
            log(f"started from {args.init}: " + task.start_from(trainer, src, args.init))
        else:
            trainer.load_state_dict(src)
            trainer.cooldown = None  # a new phase: a cooled-down release continues as a main run again
            if args.grow_level:
                trainer.grow()
            log(f"started from {args.init} at step {trainer.step}, stage {trainer.stage + 1}, "
                f"{trainer.samples_seen} samples")
    if args.cooldown_steps:
        if ck is None and src is None:
            raise SystemExit("--cooldown-steps needs --resume or --init (cool down a copy of a trained run)")
        trainer.start_cooldown(args.cooldown_steps)
        log(f"cooling down: LR to 0 from step {trainer.cooldown['start']} to "
            f"{trainer.cooldown['start'] + trainer.cooldown['steps']}")
    if rank == 0:
        log(f"{kind} config {cfg.id}: vocab {len(tok.vocab)}, levels {trainer.model.resolutions}, "
            f"{n_params(trainer.model) / 1e6:.2f}M params now, device {device}, "
            f"threads {torch.get_num_threads()}, world {world}")
        log("stages: " + "; ".join(f"{s.levels} levels bs {s.batch_size} lr {s.lr} samples {s.samples} "
                                   f"minutes {s.minutes}" for s in cfg.train.stages))
    stop_on_kill()
    try:
        trainer.run(args.max_minutes, args.max_steps, args.cooldown_minutes)
    except KeyboardInterrupt:
        if rank == 0:
            trainer.save("last.pt")
            log(f"interrupted at step {trainer.step}; checkpoint saved")
    finally:
        if world > 1:
            dist.destroy_process_group()


def _read(path: str) -> dict:
    if not os.path.exists(path):
        raise SystemExit(f"no checkpoint at {path}")
    return checkpoint.load(path)


def _data_dir(args, cfg: ModelConfig) -> str:
    return args.data or os.path.join(ROOT, "training", "data", "packed", cfg.dataset)


def _image_setup(args, ck, src, device):
    """(config, task, tokenizer, first stage) of an image run."""
    if args.levels or args.image_lr_scale != 1.0 or args.motion_weight or args.temporal_attention:
        raise SystemExit("--levels, --image-lr-scale, --motion-weight and --temporal-attention are for clip configs")
    start = ck or src
    cfg = ModelConfig.from_dict(start["config"]) if start else load_config(args.config)
    if args.grow_level:
        if src is None:
            raise SystemExit("--grow-level needs --init (a trained model to grow)")
        try:
            add_outer_level(cfg, *(int(v) for v in args.grow_level.split(":")))
        except ValueError as e:
            raise SystemExit(f"--grow-level: {e}")
        src.pop("optimizer", None)  # the grown model gets a new optimizer anyway
    # After the grow, so that --lr, --batch-size and --warmup-steps set the new level's stage.
    for value, field in ((args.batch_size, "batch_size"), (args.lr, "lr"), (args.warmup_steps, "warmup_steps")):
        if value is not None:
            setattr(cfg.train.stages[-1], field, value)
    if args.train_levels is not None:
        cfg.train.trainable_levels = args.train_levels
    if args.balance:
        cfg.train.balance = True
    if args.family_shares:
        cfg.train.family_shares = {k: float(v) for k, v in (p.split("=") for p in args.family_shares.split(","))}
    if args.recolour is not None:
        cfg.train.recolour = args.recolour
    if args.data and not args.synthetic:
        cfg.dataset = os.path.basename(os.path.normpath(args.data))
    for budget, field in ((parse_budget(args.stage_minutes, len(cfg.train.stages)), "minutes"),
                          (parse_budget(args.stage_samples, len(cfg.train.stages)), "samples")):
        for st, v in zip(cfg.train.stages, budget):
            if v is not None:
                setattr(st, field, int(v) if field == "samples" else v)
    heldout = None
    if args.synthetic:
        data = synthetic(256, cfg.resolution, seed=cfg.train.seed)
    else:
        data = load_packed(_data_dir(args, cfg), "train", cfg.resolution)
        heldout = load_packed(_data_dir(args, cfg), "heldout", cfg.resolution)
        if device.type == "cuda":  # a few hundred MB: batches are then gathered on the GPU
            data.images, heldout.images = data.images.to(device), heldout.images.to(device)
    if start is not None:
        tok = Tokenizer.from_checkpoint(start["tokenizer"])
        if args.extend_vocab:
            if src is None:
                raise SystemExit("--extend-vocab needs --init")
            old = len(tok.vocab)
            tok = tok.extended([c for cs in data.captions for c in cs], cfg.text.min_word_count)
            src.update(extend_word_embeddings(src, len(tok.vocab)))
            src.pop("optimizer", None)
            src.pop("rng", None)
            log(f"vocabulary extended from {old} to {len(tok.vocab)} words")
    else:
        tok = Tokenizer.for_config(cfg.text, [c for cs in data.captions for c in cs], aliases=DEFAULT_ALIASES)
    log(f"{len(data)} images")
    return cfg, ImageTask(cfg, data, heldout), tok, 0


def _clip_setup(args, ck, src, device):
    """(config, task, tokenizer, first stage) of a clip run: its stages are its numbers of levels."""
    if args.synthetic or args.extend_vocab or args.grow_level or args.balance or args.train_levels:
        raise SystemExit("--synthetic, --extend-vocab, --grow-level, --balance and --train-levels are for image configs")
    if args.stage_minutes or args.stage_samples:
        raise SystemExit("a clip run has no stage budgets: it grows with --resume --grow and runs for --max-minutes")
    if ck is not None:
        cfg, frames = ModelConfig.from_dict(ck["config"]), list(ck["frames"])
        mode = ck.get("temporal_attention", "attn")
        if args.temporal_attention and args.temporal_attention != mode:
            raise SystemExit(f"this run has temporal attention {mode!r}; start a new run with --init to change it")
        if args.levels:
            raise SystemExit("--levels sets where a new run starts; a resumed run grows with --grow")
    else:
        cfg = load_config(args.config)
        frames = list(importlib.import_module(f"training.mdm.configs.{args.config}").FRAMES)
        from_clip = src is not None and "frames" in src
        mode = args.temporal_attention or (src.get("temporal_attention", "attn") if from_clip else "attn")
    clip_stages(cfg)
    for st in cfg.train.stages:  # every number of levels trains with the one recipe
        for value, field in ((args.batch_size, "batch_size"), (args.lr, "lr"), (args.warmup_steps, "warmup_steps")):
            if value is not None:
                setattr(st, field, value)
    if args.levels is not None and not 1 <= args.levels <= len(cfg.train.stages):
        raise SystemExit(f"--levels must be 1..{len(cfg.train.stages)}")
    corpus = corpus_to(load_motion_corpus(_data_dir(args, cfg), "train", frames[0], cfg.resolution), device)
    task = ClipTask(cfg, corpus, frames, mode, args.image_lr_scale, parse_motion_weights(args.motion_weight))
    if ck is not None:
        tok = Tokenizer.from_checkpoint(ck["tokenizer"])
        stage = ck.get("stage", ck["levels"] - 1)
    else:
        start = Tokenizer.from_checkpoint(src["tokenizer"]) if src is not None else None
        tok = clip_tokenizer(start, cfg, [corpus.caption(r, m, v) for r, m in corpus.pairs[:5000] for v in (0, 1)])
        stage = (args.levels or len(cfg.train.stages)) - 1
    log(f"{len(corpus)} training clips, frames {frames}")
    return cfg, task, tok, stage


if __name__ == "__main__":
    main()
