"""The clip task: looping clips of the motion corpus (training/data/motion.py), nested in space and time.

A clip model starts from an image checkpoint (its spatial weights and text encoder; only the temporal
layers and the motion words are new) or continues a clip checkpoint, maybe on fewer levels: the inner
levels decide layout and motion at a third of the cost. A level grown around trained inner levels may
take its weights from a checkpoint's level of that resolution (`seed_outer_level`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Dict, List, Optional

import torch

from training.data.motion import ClipBatcher, MotionCorpus, motion_words

from ..clip_model import ClipModel, clip_pyramid, load_image_weights, zero_in_adapter
from ..config import ModelConfig
from ..tokenizer import Tokenizer


class ClipTask:
    kind = "clip"

    def __init__(self, cfg: ModelConfig, corpus: MotionCorpus, frames: List[int], temporal_attention: str = "attn",
                 image_lr_scale: float = 1.0, motion_weights: Optional[Dict[str, float]] = None):
        """image_lr_scale < 1 keeps the image model's pictures while the motion is learnt (3 GPU-minutes at
        full LR blurred pictures the image model drew crisply); motion_weights draw some motions more often."""
        self.cfg, self.corpus, self.frames = cfg, corpus, list(frames)
        self.temporal_attention, self.image_lr_scale = temporal_attention, image_lr_scale
        self.motion_weights = motion_weights or {}
        self.init: Optional[str] = None  # the image checkpoint the model started from, and its samples
        self.init_samples = 0

    def new_model(self, vocab_size: int, levels: int) -> ClipModel:
        return ClipModel(self.cfg, vocab_size, self.frames, self.temporal_attention, num_levels=levels)

    def batcher(self, tok: Tokenizer, seed: int) -> ClipBatcher:
        return ClipBatcher(self.corpus, tok, self.cfg.train.caption_dropout, seed=seed,
                           motion_weights=self.motion_weights)

    def batch(self, batcher: ClipBatcher, n: int, model: ClipModel):
        clips, toks, grams, _ = batcher.next(n)
        return clip_pyramid(clips, model.resolutions, model.frames), toks, grams

    def heldout_batch(self, tok: Tokenizer, model: ClipModel, n: int = 64):
        return None

    def lr_scale(self, name: str) -> float:
        """The temporal layers (new in the clip model) train at the full LR, the image model's weights at the scale."""
        return 1.0 if ".temporal." in name else self.image_lr_scale

    def checkpoint_keys(self, model: ClipModel) -> dict:
        out = {"frames": model.all_frames, "temporal_attention": model.temporal_attention,
               "init": self.init, "init_samples": self.init_samples}
        if self.motion_weights:  # how this session drew its clips, for the card
            out["motion_weights"] = self.motion_weights
        return out

    def load_checkpoint_keys(self, ck: dict) -> None:
        self.init, self.init_samples = ck.get("init"), int(ck.get("init_samples") or 0)

    def start_from(self, trainer, ck: dict, path: str) -> str:
        """Weights from an image or clip checkpoint (levels matched from the inside); a clip checkpoint's
        history goes on (the card's compute is all of it) with a fresh optimizer that re-warms."""
        for m in (trainer.model, trainer.ema):
            missing = load_image_weights(m, ck["ema"])
        if "frames" in ck:
            if list(ck["frames"]) != self.frames:
                raise SystemExit(f"{path} draws frames {ck['frames']}, the config {self.frames}")
            trainer.load_counters(ck)
            trainer.stage_step = trainer.stage_samples = 0  # a new phase on these levels
            trainer.stage_seconds = 0.0
            trainer.rewarm_from = trainer.step
            self.load_checkpoint_keys(ck)
        else:
            self.init, self.init_samples = path, int(ck.get("samples_seen", 0))
        return f"{len(missing)} tensors start fresh"

    def seed_outer_level(self, trainer, ck: dict, path: str) -> str:
        """The just-grown outer level takes the weights of the checkpoint's level of its resolution. Its
        in-adapter (outer features into the next level) starts at zero as in a fresh grow, so the inner
        levels see exactly what they trained on: a stale one raised a released model's 16 px loss 0.033 -> 0.156."""
        for m in (trainer.model, trainer.ema):
            missing = load_image_weights(m, ck["ema"], outer_only=True)
            zero_in_adapter(m)
        return f"outer level from {path} (its in-adapter zeroed), {len(missing)} tensors start fresh"


def clip_stages(cfg: ModelConfig) -> None:
    """One stage per number of levels (1 .. all), with the config's batch, LR and warm-up and no budgets:
    a clip run grows when told to (`--grow`, maybe seeding the new level), and runs as long as it is let."""
    base = cfg.train.stages[-1]
    cfg.train.stages = [replace(base, levels=k, samples=0, minutes=0) for k in range(1, base.levels + 1)]


def clip_tokenizer(start: Optional[Tokenizer], cfg: ModelConfig, captions: List[str]) -> Tokenizer:
    """The starting checkpoint's vocabulary with the motion words appended, so every old id keeps its row."""
    if start is None:
        return Tokenizer.for_config(cfg.text, captions)
    d = start.to_json()
    known = set(d["vocab"])
    d["vocab"] = d["vocab"] + [w for w in motion_words() if w not in known]
    return Tokenizer.from_json(d)


def parse_motion_weights(items: List[str]) -> Dict[str, float]:
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


def corpus_to(corpus: MotionCorpus, device: torch.device) -> MotionCorpus:
    corpus.images = corpus.images.to(device)  # clips are rendered where the model runs
    return corpus
