"""Trains a clip model on the motion corpus, starting from an image checkpoint when one is given.

    nice -n 5 /usr/bin/python3 -m training.mdm.video_train --config clip64 --run training/runs/clip64 \
        --init /tmp/emoji64-snapshot.pt --minutes 25 --threads 1

Progressive, like the image model: `--levels 1` trains the innermost level alone (16 px x 4 frames;
its spatial weights are the image checkpoint's innermost level, whatever its number of levels, so
only the temporal layers start fresh), then `--resume --grow --init <image ckpt>` adds the next outer
level around it, its spatial weights taken from the image model's level of that resolution (without
--init it starts fresh behind zero adapters). Without --levels all levels train jointly from the
image checkpoint. `--init` also takes a clip checkpoint: the run continues that model (its history
counts on; a fresh optimizer re-warms the LR), with `--levels` on its inner levels only, which decide
layout and motion at a third of the cost; `--resume --grow --init <that clip ckpt>` then puts its
own outer level back. The loss is MDM's joint objective over the clip pyramid: one t per clip,
independent noise per level, v-MSE per level. Checkpoints hold the model, EMA, optimizer, tokenizer,
frames, step counters and clips seen per number of levels; --resume continues from <run>/last.pt;
kill (SIGTERM) stops the run with a checkpoint.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import os
import time
from typing import List, Optional

import numpy as np
import torch
import torch.nn.functional as F

from training.data.motion import ClipBatcher, load_motion_corpus, motion_words
from training.mdm.config import ModelConfig, load_config
from training.mdm.schedule import Schedule
from training.mdm.tokenizer import Tokenizer
from training.mdm.run_control import MAX_STEP_SECONDS, bf16_autocast, stop_on_kill, tune_cuda
from training.mdm.clip_model import ClipModel, clip_pyramid, load_image_weights, zero_in_adapter

# What a checkpoint says about the run's history, kept when a run continues another clip run.
CARRIED = ("step", "samples_seen", "train_seconds", "init", "init_samples", "clips_by_levels", "hardware_seconds")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def log(msg: str) -> None:
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


def clip_loss(model, schedule: Schedule, clips: torch.Tensor, tokens, ngrams, weights, resolutions, frames,
              generator: Optional[torch.Generator] = None, autocast_dtype=None) -> dict:
    b = clips.shape[0]
    targets = clip_pyramid(clips, resolutions, frames)
    t = torch.rand(b, generator=generator, device=clips.device)
    zs, vs = [], []
    for x, r in zip(targets, resolutions):
        z, v = schedule.noised(x, torch.randn(x.shape, generator=generator, device=x.device), t, r)
        zs.append(z)
        vs.append(v)
    with torch.autocast(device_type=clips.device.type, dtype=autocast_dtype, enabled=autocast_dtype is not None):
        preds = model(zs, t, tokens, ngrams)
    out, total = {}, clips.new_zeros(())
    for p, v, r, w in zip(preds, vs, resolutions, weights):
        level = F.mse_loss(p.float(), v)
        out[f"loss_{r}"] = float(level)
        total = total + w * level
    out["loss"] = total
    return out


def param_groups(model: torch.nn.Module, weight_decay: float, image_lr_scale: float = 1.0) -> List[dict]:
    """AdamW groups: weight decay for matrices only; with image_lr_scale != 1, the temporal layers
    (new in the clip model) apart from everything else (the image model's spatial network and text
    encoder), whose LR is scaled: 3 GPU-minutes at full LR blurred pictures the image model drew crisply."""
    groups: dict = {}
    for name, p in model.named_parameters():
        decays = not (p.ndim < 2 or "norm" in name or name.endswith("pos"))
        scale = 1.0 if image_lr_scale == 1.0 or ".temporal." in name else image_lr_scale
        g = groups.setdefault((decays, scale), {"params": [], "weight_decay": weight_decay if decays else 0.0,
                                                "lr_scale": scale})
        g["params"].append(p)
    return [groups[k] for k in sorted(groups, key=lambda k: (not k[0], -k[1]))]


def parse_motion_weights(items: List[str]) -> dict:
    out = {}
    for item in items:
        name, _, w = item.partition("=")
        try:
            out[name] = float(w)
        except ValueError:
            out[name] = 0.0
        if out[name] <= 0:
            raise SystemExit(f"--motion-weight wants NAME=W with W > 0, got {item!r}")
    return out


def build_tokenizer(image_tok: Optional[Tokenizer], cfg: ModelConfig, captions: List[str]) -> Tokenizer:
    """The image vocabulary with the motion words appended, so every old id keeps its embedding row."""
    if image_tok is None:
        return Tokenizer.for_config(cfg.text, captions)
    d = image_tok.to_json()
    known = set(d["vocab"])
    d["vocab"] = d["vocab"] + [w for w in motion_words() if w not in known]
    return Tokenizer.from_json(d)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="clip64")
    ap.add_argument("--run", required=True)
    ap.add_argument("--init", help="image checkpoint (read only) whose weights start the clip model")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--levels", type=int, help="train only the innermost N levels (progressive; default: all)")
    ap.add_argument("--grow", action="store_true", help="with --resume: add the next outer level first")
    ap.add_argument("--minutes", type=float, default=None)
    ap.add_argument("--batch", type=int, default=None)
    ap.add_argument("--lr", type=float, default=None, help="override the config's learning rate (e.g. for a larger batch)")
    ap.add_argument("--warmup-steps", type=int, default=None)
    ap.add_argument("--cooldown-minutes", type=float, default=0.0,
                    help="decay the LR linearly to 0 over this session's last N minutes (a release from one timed run)")
    ap.add_argument("--image-lr-scale", type=float, default=1.0,
                    help="LR factor for the weights that came from the image model (all but the temporal layers): "
                         "below 1 keeps its pictures while the motion is learnt; keep it the same across resumes")
    ap.add_argument("--motion-weight", action="append", default=[], metavar="NAME=W",
                    help="draw clips of this motion W times as often (repeatable, e.g. spin=2); keep it across resumes")
    ap.add_argument("--temporal-attention", choices=["attn", "joint"],
                    help="without --resume: per-pixel temporal attention (attn, the default), or also joint "
                         "attention over every frame and pixel of the small feature maps (joint; its layers "
                         "start at zero, so a model initialised from an attn checkpoint computes the same at first)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--packed", default=os.path.join(ROOT, "training", "data", "packed", "emoji64"))
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    device = torch.device(("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device)
    if device.type == "cuda":
        tune_cuda()
    hardware = (torch.cuda.get_device_name(device) if device.type == "cuda"
                else f"{os.cpu_count()}-core CPU, {args.threads} thread(s)")
    cfg = load_config(args.config)
    frames = list(importlib.import_module(f"training.mdm.configs.{args.config}").FRAMES)
    stage = cfg.train.stages[0]
    minutes = args.minutes if args.minutes is not None else stage.minutes
    batch = args.batch or stage.batch_size
    lr = args.lr or stage.lr
    warmup = args.warmup_steps or stage.warmup_steps
    if args.cooldown_minutes and not minutes > args.cooldown_minutes:
        raise SystemExit("--cooldown-minutes needs a longer --minutes")
    os.makedirs(args.run, exist_ok=True)
    corpus = load_motion_corpus(args.packed, "train", frames[0], cfg.resolution)  # clips of the outermost level
    corpus.images = corpus.images.to(device)  # clips are rendered where the model runs
    last = os.path.join(args.run, "last.pt")

    if args.resume:
        ckpt = torch.load(last, map_location="cpu")
        if args.temporal_attention and args.temporal_attention != ckpt.get("temporal_attention", "attn"):
            raise SystemExit(f"{last} has temporal attention {ckpt.get('temporal_attention', 'attn')!r}; "
                             "start a new run with --init to change it")
        tok = Tokenizer.from_checkpoint(ckpt["tokenizer"])
        model = ClipModel(cfg, len(tok.vocab), frames, ckpt.get("temporal_attention", "attn"), num_levels=ckpt["levels"])
        model.load_state_dict(ckpt["model"])
        ema = copy.deepcopy(model)
        ema.load_state_dict(ckpt["ema"])
        state = ckpt
        if args.grow:
            model, ema = model.grow(), ema.grow()
            state = {k: v for k, v in ckpt.items() if k != "opt"}  # new parameters: a fresh optimizer
            state["rewarm_from"] = state["step"]
            if args.init:  # the new outer level starts as the image model's level of that resolution
                image = torch.load(args.init, map_location="cpu")["ema"]
                for m in (model, ema):
                    missing = load_image_weights(m, image, outer_only=True)
                    # The inner levels trained without the outer one's features: its in-adapter (outer
                    # features into the next level) starts at zero as in a fresh grow, so the inner
                    # levels see exactly what they trained on. A stale one, from the checkpoint the
                    # outer level came from, raised the released model's 16 px loss 0.033 -> 0.156.
                    zero_in_adapter(m)
                log(f"grew to {model.resolutions}; outer level from {args.init} (its in-adapter zeroed), "
                    f"{len(missing)} tensors start fresh")
    else:
        image = torch.load(args.init, map_location="cpu") if args.init else None
        from_clip = image is not None and "frames" in image  # continuing a clip model, maybe at fewer levels
        if from_clip and list(image["frames"]) != frames:
            raise SystemExit(f"{args.init} draws frames {image['frames']}, the config {frames}")
        image_tok = Tokenizer.from_checkpoint(image["tokenizer"]) if image else None
        tok = build_tokenizer(image_tok, cfg, [corpus.caption(r, m, v) for r, m in corpus.pairs[:5000] for v in (0, 1)])
        torch.manual_seed(cfg.train.seed)
        mode = args.temporal_attention or (image.get("temporal_attention", "attn") if from_clip else "attn")
        model = ClipModel(cfg, len(tok.vocab), frames, mode, num_levels=args.levels)
        if image is not None:
            missing = load_image_weights(model, image["ema"])
            log(f"initialised from {args.init} ({image.get('samples_seen', 0)} {'clip' if from_clip else 'image'} "
                f"samples); {len(missing)} tensors start fresh")
        ema = copy.deepcopy(model)
        if from_clip:  # its counters go on (the card's compute is the whole history); a fresh AdamW re-warms
            state = {k: image[k] for k in CARRIED if k in image}
            state["rewarm_from"] = state["step"]
        else:
            state = {"step": 0, "samples_seen": 0, "train_seconds": 0.0, "init": args.init,
                     "init_samples": int(image.get("samples_seen", 0)) if image else 0}
    model, ema = model.to(device), ema.to(device)
    ema.eval().requires_grad_(False)
    tc = cfg.train
    # Seconds per hardware, so a card can say where the compute came from (older checkpoints: one string).
    by_hardware = dict(state.get("hardware_seconds") or {state.get("hardware", "unknown"): state["train_seconds"]})
    by_hardware.setdefault(hardware, 0.0)
    state["hardware_seconds"] = by_hardware
    opt = torch.optim.AdamW(param_groups(model, tc.weight_decay, args.image_lr_scale), lr=lr, betas=tuple(tc.betas))
    if args.resume and "opt" in state:
        opt.load_state_dict(state["opt"])
    motion_weights = parse_motion_weights(args.motion_weight)
    state.pop("motion_weights", None)  # how this session draws its clips, for the card
    if motion_weights:
        state["motion_weights"] = motion_weights
    batcher = ClipBatcher(corpus, tok, tc.caption_dropout, seed=tc.seed + state["step"], motion_weights=motion_weights)
    gen = torch.Generator(device=device).manual_seed(tc.seed + 17 + state["step"])
    schedule = Schedule(cfg.schedule)
    res, frames = model.resolutions, model.frames
    weights = tc.loss_weights[-len(res):]
    log(f"clip model {sum(p.numel() for p in model.parameters()):,} params, levels {res} frames {frames}, "
        f"{len(corpus)} training clips, batch {batch}, {minutes} min")

    def save() -> None:
        ckpt = {"config": cfg.to_dict(), "frames": model.all_frames, "temporal_attention": model.temporal_attention,
                "tokenizer": tok.to_json(), "model": model.state_dict(),
                "ema": ema.state_dict(), "opt": opt.state_dict(), "levels": len(res),
                "hardware": " + ".join(h for h, s in by_hardware.items() if s > 0) or hardware,
                **{k: state[k] for k in CARRIED + ("rewarm_from", "motion_weights") if k in state}}
        tmp = last + ".tmp"
        torch.save(ckpt, tmp)
        os.replace(tmp, last)

    metrics = open(os.path.join(args.run, "metrics.jsonl"), "a", encoding="utf-8")
    last_save = time.time()
    session_seconds = 0.0
    autocast = bf16_autocast(tc.bf16, device)
    by_levels = state.setdefault("clips_by_levels", {})  # progressive stages, for the card's compute

    def step() -> None:
        nonlocal last_save, session_seconds
        t0 = time.time()
        clips, tokens, ngrams, _ = batcher.next(batch)
        tokens, ngrams = tokens.to(device), ngrams.to(device)
        for g in opt.param_groups:
            warm = state["step"] - state.get("rewarm_from", 0) + 1
            g["lr"] = lr * g.get("lr_scale", 1.0) * min(1.0, warm / warmup)
            if args.cooldown_minutes:
                g["lr"] *= max(0.0, min(1.0, (minutes * 60 - session_seconds) / (args.cooldown_minutes * 60)))
        model.train()
        out = clip_loss(model, schedule, clips, tokens, ngrams, weights, res, frames, gen, autocast)
        opt.zero_grad(set_to_none=True)
        out["loss"].backward()
        gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), tc.grad_clip)
        opt.step()
        with torch.no_grad():
            n = state["step"]
            d = min(tc.ema_decay, (1 + n) / (10 + n))
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(d).add_(pm.detach(), alpha=1 - d)
        state["step"] += 1
        state["samples_seen"] += batch
        by_levels[str(len(res))] = by_levels.get(str(len(res)), 0) + batch
        dt = min(time.time() - t0, MAX_STEP_SECONDS)  # a paused run's pause is not training time
        state["train_seconds"] += dt
        session_seconds += dt
        by_hardware[hardware] += dt
        if state["step"] % tc.log_every == 0:
            rec = {"step": state["step"], "samples": state["samples_seen"], "levels": len(res),
                   "loss": float(out["loss"]), **{k: v for k, v in out.items() if k != "loss"},
                   "grad_norm": float(gnorm), "clips_per_s": state["samples_seen"] / max(1e-9, state["train_seconds"])}
            metrics.write(json.dumps(rec) + "\n")
            metrics.flush()
            log(" ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in rec.items()))
        if time.time() - last_save > tc.checkpoint_minutes * 60:
            save()
            last_save = time.time()

    stop_on_kill()
    try:
        while session_seconds < minutes * 60:
            step()
    except KeyboardInterrupt:
        log("interrupted")
    save()
    log(f"done: {state['step']} steps, {state['samples_seen']} clips, {state['train_seconds'] / 60:.1f} min -> {last}")


if __name__ == "__main__":
    main()
