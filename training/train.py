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
import json
import math
import os
import platform
import sys
import time
from typing import List, Optional

import numpy as np
import torch
import torch.distributed as dist

from training.mdm.config import ModelConfig, add_outer_level, load_config
from training.mdm.data import Batcher, load_packed, synthetic
from training.mdm.diffusion import diffusion_loss
from training.mdm.model import MatryoshkaModel
from training.mdm.run_control import MAX_STEP_SECONDS, bf16_autocast, stop_on_kill, tune_cuda
from training.mdm.schedule import Schedule
from training.mdm.tokenizer import DEFAULT_ALIASES, Tokenizer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def log(msg: str) -> None:
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


class Trainer:
    def __init__(self, cfg: ModelConfig, run_dir: str, data, tokenizer: Tokenizer, device: torch.device,
                 rank: int = 0, world: int = 1):
        self.cfg, self.run_dir, self.data, self.tok = cfg, run_dir, data, tokenizer
        self.device, self.rank, self.world = device, rank, world
        self.schedule = Schedule(cfg.schedule)
        tc = cfg.train
        self.batcher = Batcher(data, tokenizer, tc.caption_dropout, seed=tc.seed * 1000 + rank,
                               balance=tc.balance, recolour=tc.recolour, shares=tc.family_shares)
        self.gen = torch.Generator(device=device)
        self.gen.manual_seed(tc.seed * 1000 + 17 + rank)
        torch.manual_seed(tc.seed)  # identical initial weights on every rank
        self.stage = 0
        self.model = MatryoshkaModel(cfg, len(tokenizer.vocab), num_levels=tc.stages[0].levels).to(device)
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
        self.cooldown: Optional[dict] = None  # {"start": step, "steps": n}: the LR decays to 0 over n steps
        # Step at which a fresh optimizer took over (a run started from a portable checkpoint): the LR
        # warms up again from there, since AdamW without its moments takes full-size first steps.
        self.rewarm_from: Optional[int] = None
        self.hardware = hardware_string(device, world)
        self.hardware_seconds = {self.hardware: 0.0}
        self._make_optimizer()
        self.autocast = bf16_autocast(tc.bf16, device)

    # --- model / optimizer plumbing -----------------------------------------------------------
    def _make_optimizer(self) -> None:
        tc, st = self.cfg.train, self.cfg.train.stages[self.stage]
        if tc.trainable_levels and tc.trainable_levels < self.levels:
            self.model.train_only_outer(tc.trainable_levels)
        decay, no_decay = [], []
        for name, p in self.model.named_parameters():
            if not p.requires_grad:
                continue
            (no_decay if p.ndim < 2 or "norm" in name or name.endswith("pos") else decay).append(p)
        self.opt = torch.optim.AdamW(
            [{"params": decay, "weight_decay": tc.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
            lr=st.lr, betas=tuple(tc.betas),
        )
        self.net = self.model
        if self.world > 1:
            self.net = torch.nn.parallel.DistributedDataParallel(self.model)

    def grow(self) -> None:
        """Start the next stage now (its budget aside): a new outermost level around the trained model."""
        self._grow()
        log(f"grew to {self.model.resolutions} ({n_params(self.model) / 1e6:.2f}M params)")

    def _grow(self) -> None:
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
        x, toks, grams = self.batcher.next(per_rank, res[0])
        x, toks, grams = x.to(self.device), toks.to(self.device), grams.to(self.device)
        for g in self.opt.param_groups:
            g["lr"] = self.lr_now()
        self.net.train()
        out = diffusion_loss(self.net, res, self.schedule, x, toks, grams, tc.loss_weights[-len(res):],
                             generator=self.gen, autocast_dtype=self.autocast)
        self.opt.zero_grad(set_to_none=True)
        out["loss"].backward()
        gnorm = torch.nn.utils.clip_grad_norm_(self.model.parameters(), tc.grad_clip)
        self.opt.step()
        self._ema_update()
        self.step += 1
        self.stage_step += 1
        self.samples_seen += per_rank * self.world
        self.stage_samples += per_rank * self.world
        return {k: float(v) for k, v in out.items()} | {"grad_norm": float(gnorm)}

    @torch.no_grad()
    def _ema_update(self) -> None:
        tc = self.cfg.train
        n = self.stage_step
        d = min(tc.ema_decay, (1 + n) / (10 + n)) if tc.ema_warmup else tc.ema_decay
        for pe, pm in zip(self.ema.parameters(), self.model.parameters()):
            pe.mul_(d).add_(pm.detach(), alpha=1 - d)

    @torch.no_grad()
    def heldout_loss(self, data, n: int = 64, seed: int = 1234, raw: bool = False) -> Optional[float]:
        """EMA (or with raw, the trained weights') loss on fixed held-out images, t and noise:
        comparable across checkpoints of a stage."""
        if data is None or len(data) == 0:
            return None
        g = torch.Generator(device=self.device)
        g.manual_seed(seed)
        res = self.ema.resolutions
        x = data.images[: n].to(self.device)
        if x.shape[-1] != res[0]:
            x = torch.nn.functional.avg_pool2d(x, x.shape[-1] // res[0])
        toks, grams = self.tok.encode_batch([c[0] for c in data.captions[:n]])
        net = self.model if raw else self.ema
        was_training = net.training
        net.eval()
        out = diffusion_loss(net, res, self.schedule, x, torch.from_numpy(toks).to(self.device),
                             torch.from_numpy(grams).to(self.device),
                             self.cfg.train.loss_weights[-len(res):], generator=g, autocast_dtype=self.autocast)
        net.train(was_training)
        return float(out["loss"])

    # --- checkpoints ----------------------------------------------------------------------------
    def state_dict(self) -> dict:
        return {
            "config": self.cfg.to_dict(),
            "tokenizer": self.tok.to_json(),
            "levels": self.levels,
            "stage": self.stage,
            "step": self.step,
            "stage_step": self.stage_step,
            "samples_seen": self.samples_seen,
            "stage_samples": self.stage_samples,
            "train_seconds": self.train_seconds,
            "stage_seconds": self.stage_seconds,
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
            "cooldown": self.cooldown,
            "rewarm_from": self.rewarm_from,
            "hardware": " + ".join(h for h, s in self.hardware_seconds.items() if s > 0) or self.hardware,
            "hardware_seconds": dict(self.hardware_seconds),
        }

    def load_state_dict(self, ck: dict) -> None:
        while self.stage < ck["stage"]:
            self._grow()
        # A portable checkpoint (training.mdm.portable) has fp16 weights, maybe only the EMA, and no
        # optimizer or RNG state: load_state_dict casts to fp32, the optimizer starts fresh and re-warms.
        self.model.load_state_dict(ck.get("model", ck["ema"]))
        self.ema.load_state_dict(ck["ema"])
        for k in ("step", "stage_step", "samples_seen", "stage_samples", "train_seconds", "stage_seconds"):
            setattr(self, k, ck[k])
        self.rewarm_from = ck.get("rewarm_from")
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
        self.hardware_seconds = dict(ck.get("hardware_seconds") or {ck.get("hardware", "unknown"): ck["train_seconds"]})
        self.hardware_seconds.setdefault(self.hardware, 0.0)
        self.history = list(ck.get("history", []))
        self.finished_stages = ck.get("finished_stage_samples")
        self.cooldown = ck.get("cooldown")

    def report_checkpoint(self, heldout, raw_too: bool = False) -> None:
        """Saves last.pt and logs the held-out loss (of the trained weights too while cooling down,
        when they, not the lagging EMA, may be the better release)."""
        hl = self.heldout_loss(heldout)
        raw = self.heldout_loss(heldout, raw=True) if raw_too else None
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
        path = os.path.join(self.run_dir, name)
        tmp = path + ".tmp"
        torch.save(self.state_dict(), tmp)
        os.replace(tmp, path)  # atomic: a kill mid-save never corrupts the previous checkpoint
        return path

    # --- the loop -------------------------------------------------------------------------------
    def stage_done(self) -> bool:
        st = self.cfg.train.stages[self.stage]
        return (st.samples > 0 and self.stage_samples >= st.samples) or (
            st.minutes > 0 and self.stage_seconds >= st.minutes * 60
        )

    def run(self, heldout=None, max_minutes: float = 0.0, max_steps: int = 0, cooldown_minutes: float = 0.0) -> None:
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
                    self.report_checkpoint(heldout, raw_too=True)
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
                rec = {"step": self.step, "stage": self.stage + 1, "samples": self.samples_seen,
                       "img_s": round(rate, 2), "lr": self.lr_now(), **{k: round(v, 5) for k, v in m.items()}}
                self.history.append(rec)
                levels = " ".join(f"{k[5:]}:{v:.4f}" for k, v in m.items() if k.startswith("loss_"))
                log(f"step {self.step} stage {self.stage + 1} samples {self.samples_seen} loss {m['loss']:.4f} "
                    f"[{levels}] gn {m['grad_norm']:.2f} lr {self.lr_now():.2e} {rate:.1f} img/s")
                with open(os.path.join(self.run_dir, "metrics.jsonl"), "a") as f:
                    f.write(json.dumps(rec) + "\n")
            if self.rank == 0 and time.time() - last_ckpt >= tc.checkpoint_minutes * 60:
                self.report_checkpoint(heldout, raw_too=self.cooldown is not None)
                last_ckpt = time.time()
        if self.rank == 0:
            self.save("last.pt")
            log(f"stopped at step {self.step} ({self.samples_seen} samples); checkpoint saved")


def extend_word_embeddings(ck: dict, vocab_size: int) -> dict:
    """The checkpoint with its word-embedding tables grown to `vocab_size` rows of zeros (old rows
    kept) and no optimizer state, whose moments would not fit the new table."""
    ck = dict(ck)
    for key in ("model", "ema"):
        if key not in ck:
            continue
        sd = dict(ck[key])
        w = sd["text_encoder.word.weight"]
        sd["text_encoder.word.weight"] = torch.cat([w, w.new_zeros(vocab_size - w.shape[0], w.shape[1])])
        ck[key] = sd
    ck.pop("optimizer", None)
    ck.pop("rng", None)
    return ck


def n_params(m: torch.nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


def hardware_string(device: torch.device, world: int) -> str:
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        return f"{world}x {name}" if world > 1 else name
    return f"{os.cpu_count()}-core CPU ({platform.machine()})" + (f", {world} processes" if world > 1 else "")


def parse_budget(s: Optional[str], n: int) -> List[Optional[float]]:
    if not s:
        return [None] * n
    parts = [p.strip() for p in s.split(",")]
    if len(parts) != n:
        raise SystemExit(f"need {n} comma-separated values, got {s!r}")
    return [None if p == "" else float(p) for p in parts]


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="emoji64")
    ap.add_argument("--run", required=True, help="run folder for checkpoints and logs")
    ap.add_argument("--data", default=None, help="packed data folder (default training/data/packed/<dataset>)")
    ap.add_argument("--synthetic", action="store_true", help="train on generated shapes (smoke tests)")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--stage-minutes", help="per-stage wall-clock budgets, e.g. 25,8,0 (0 = unlimited)")
    ap.add_argument("--stage-samples", help="per-stage sample budgets, e.g. 90000,20000,0")
    ap.add_argument("--max-minutes", type=float, default=0.0, help="stop (with a checkpoint) after this long")
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--cooldown-steps", type=int, default=0,
                    help="with --resume: decay the LR linearly to 0 over this many steps, then stop (a release branch)")
    ap.add_argument("--init", help="start from a portable checkpoint (training.mdm.portable): weights and counters, "
                    "fresh optimizer with the LR warmed up again")
    ap.add_argument("--batch-size", type=int, help="override the last stage's batch size (e.g. for a GPU)")
    ap.add_argument("--lr", type=float, help="override the last stage's learning rate")
    ap.add_argument("--warmup-steps", type=int, help="override the last stage's warm-up steps")
    ap.add_argument("--cooldown-minutes", type=float, default=0.0,
                    help="with --max-minutes: cool down over the run's last N minutes (a release from one timed run)")
    ap.add_argument("--extend-vocab", action="store_true",
                    help="with --init: append the new data's words to the checkpoint's vocabulary (old ids kept, "
                    "new word embeddings start at zero, so each new word starts as its spelling's n-grams)")
    ap.add_argument("--grow-level", metavar="RES:CHANNELS",
                    help="with --init: wrap the checkpoint in a new outermost level (zero adapters, one res block "
                    "per side, no attention), e.g. 128:16, and train it as a new last stage")
    ap.add_argument("--train-levels", type=int,
                    help="train only the outermost N levels; the inner ones and the text encoder stay fixed")
    ap.add_argument("--balance", action="store_true", help="draw images by family shares (data.FAMILY_SHARES)")
    ap.add_argument("--family-shares", help="with --balance: shares per family, e.g. emoji=0.7,colour-icon=0.2,"
                                            "people=0.08,line-icon=0.02")
    ap.add_argument("--recolour", type=float, help="fraction of draws recoloured with their caption (mdm/recolour.py)")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--device", default="auto")
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
    last = os.path.join(args.run, "last.pt")
    ck = None
    if args.resume and args.init:
        raise SystemExit("--resume and --init exclude each other")
    if args.resume or args.init:
        src = last if args.resume else args.init
        if not os.path.exists(src):
            raise SystemExit(f"no checkpoint at {src}")
        ck = torch.load(src, map_location="cpu")
        cfg = ModelConfig.from_dict(ck["config"])
    else:
        cfg = load_config(args.config)
    if args.grow_level:
        if not args.init:
            raise SystemExit("--grow-level needs --init (a trained model to grow)")
        try:
            add_outer_level(cfg, *(int(v) for v in args.grow_level.split(":")))
        except ValueError as e:
            raise SystemExit(f"--grow-level: {e}")
        ck = {k: v for k, v in ck.items() if k != "optimizer"}  # the grown model gets a new optimizer anyway
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
    if args.cooldown_minutes and not (args.max_minutes > args.cooldown_minutes):
        raise SystemExit("--cooldown-minutes needs a longer --max-minutes")
    for budget, field in ((parse_budget(args.stage_minutes, len(cfg.train.stages)), "minutes"),
                          (parse_budget(args.stage_samples, len(cfg.train.stages)), "samples")):
        for st, v in zip(cfg.train.stages, budget):
            if v is not None:
                setattr(st, field, int(v) if field == "samples" else v)

    res = cfg.resolution
    heldout = None
    if args.synthetic:
        data = synthetic(256, res, seed=cfg.train.seed)
    else:
        path = args.data or os.path.join(ROOT, "training", "data", "packed", cfg.dataset)
        data = load_packed(path, "train", res)
        heldout = load_packed(path, "heldout", res)
        if device.type == "cuda":  # a few hundred MB: batches are then gathered on the GPU
            data.images, heldout.images = data.images.to(device), heldout.images.to(device)
    if ck is not None:
        tok = Tokenizer.from_checkpoint(ck["tokenizer"])
        if args.extend_vocab:
            if not args.init:
                raise SystemExit("--extend-vocab needs --init")
            old = len(tok.vocab)
            tok = tok.extended([c for cs in data.captions for c in cs], cfg.text.min_word_count)
            ck = extend_word_embeddings(ck, len(tok.vocab))
            log(f"vocabulary extended from {old} to {len(tok.vocab)} words")
    else:
        tok = Tokenizer.for_config(cfg.text, [c for cs in data.captions for c in cs], aliases=DEFAULT_ALIASES)

    trainer = Trainer(cfg, args.run, data, tok, device, rank, world)
    if ck is not None:
        trainer.load_state_dict(ck)
        if args.init:  # a new phase: a cooled-down release continues as a main run again
            trainer.cooldown = None
        if args.grow_level:
            trainer.grow()
        log(f"{'resumed' if args.resume else 'started from ' + args.init} at step {trainer.step}, "
            f"stage {trainer.stage + 1}, {trainer.samples_seen} samples")
    if args.cooldown_steps:
        if ck is None:
            raise SystemExit("--cooldown-steps needs --resume or --init (cool down a copy of a trained run)")
        trainer.start_cooldown(args.cooldown_steps)
        log(f"cooling down: LR to 0 from step {trainer.cooldown['start']} to "
            f"{trainer.cooldown['start'] + trainer.cooldown['steps']}")
    if rank == 0:
        log(f"config {cfg.id}: {len(data)} images, vocab {len(tok.vocab)}, levels {trainer.model.resolutions}, "
            f"{n_params(trainer.model) / 1e6:.2f}M params now / "
            f"{n_params(MatryoshkaModel(cfg, len(tok.vocab))) / 1e6:.2f}M full, device {device}, "
            f"threads {torch.get_num_threads()}, world {world}")
        log("stages: " + "; ".join(f"{s.levels} levels bs {s.batch_size} lr {s.lr} samples {s.samples} "
                                   f"minutes {s.minutes}" for s in cfg.train.stages))
    stop_on_kill()
    try:
        trainer.run(heldout, args.max_minutes, args.max_steps, args.cooldown_minutes)
    except KeyboardInterrupt:
        if rank == 0:
            trainer.save("last.pt")
            log(f"interrupted at step {trainer.step}; checkpoint saved")
    finally:
        if world > 1:
            dist.destroy_process_group()


if __name__ == "__main__":
    main()
