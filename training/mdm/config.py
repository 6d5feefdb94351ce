"""Dataclass configs. One named config per file under `configs/`; `load_config(name)` finds it."""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass, field
from typing import Dict, List, Optional


@dataclass
class LevelConfig:
    """One UNet of the nest. Stages run at resolution, resolution/2, ... with a downsample between.

    The innermost level ends in a mid block; every outer level instead downsamples once more after
    its last stage and hands its features to the next level inward (whose resolution must match).
    """

    resolution: int
    channels: List[int]  # per stage
    blocks: List[int]  # res blocks per stage
    attention: List[str]  # per stage, after each res block: "none" | "cross" (text) | "full" (self + cross)
    temb_dim: int = 256
    heads: int = 4
    groups: int = 8  # GroupNorm groups
    dropout: float = 0.0
    mid_attention: str = "full"  # innermost level only
    # bf16 autocast for this level's own layers. CPU bf16 convolutions are slower than fp32 at few
    # channels (measured 2.4x slower at 32 ch, 64 px), so thin outer levels run in fp32.
    bf16: bool = True
    # A grown outermost refiner: its output is a residual on the next level's x0 estimate, upsampled,
    # emitted as v. From its first step it draws the inner picture enlarged; it learns the detail.
    x0_from_inner: bool = False


@dataclass
class TextConfig:
    dim: int = 256
    layers: int = 2
    heads: int = 4
    max_tokens: int = 24  # L, including <bos>
    ngram_n: int = 3
    ngram_buckets: int = 4096
    ngrams_per_token: int = 12  # G
    min_word_count: int = 2  # vocabulary: words seen at least this often in the training captions


@dataclass
class ScheduleConfig:
    logsnr_min: float = -15.0
    logsnr_max: float = 15.0
    shift_base: int = 16
    shift_power: float = 1.0


@dataclass
class StageConfig:
    """Progressive growth: stage k trains the innermost `levels` levels jointly."""

    levels: int
    batch_size: int
    lr: float
    warmup_steps: int = 200
    samples: int = 0  # stop after this many samples (0 = unlimited)
    minutes: float = 0.0  # or after this much wall-clock time in the stage (0 = unlimited)


@dataclass
class TrainConfig:
    stages: List[StageConfig]
    loss_weights: List[float]  # per level, OUTERMOST FIRST (same order as `levels`)
    weight_decay: float = 0.01
    betas: List[float] = field(default_factory=lambda: [0.9, 0.99])
    grad_clip: float = 1.0
    ema_decay: float = 0.999
    ema_warmup: bool = True  # decay ramps up as min(decay, (1 + n) / (10 + n)) so early EMA is not stale
    caption_dropout: float = 0.1
    checkpoint_minutes: float = 5.0
    log_every: int = 20
    bf16: bool = True
    seed: int = 0
    hflip: bool = False  # emoji are often asymmetric with meaning (arrows, hands): off by default
    # Draw images by family shares (data.FAMILY_SHARES) instead of uniformly, so the many line icons
    # and people emoji do not crowd out objects.
    balance: bool = False
    # With balance: each family's share of the draws, instead of data.FAMILY_SHARES.
    family_shares: Optional[Dict[str, float]] = None
    # Fraction of draws whose single-hue picture is hue-turned to another colour, its caption's colour
    # word changed to match: teaches that the colour word, not the noun, sets the colour.
    recolour: float = 0.0
    # Train only the outermost N levels (0 = all): the inner levels and the text encoder stay fixed and
    # run without gradients, so a new outer level grown onto a released model costs little per sample.
    trainable_levels: int = 0


@dataclass
class SamplingConfig:
    sampler: str = "dpmpp-2m"
    steps: int = 20
    guidance: float = 5.0
    clip: bool = True
    dynamic_threshold: Optional[dict] = None


@dataclass
class ModelConfig:
    id: str
    name: str
    description: str
    levels: List[LevelConfig]  # OUTERMOST FIRST
    text: TextConfig
    schedule: ScheduleConfig
    train: TrainConfig
    sampling: SamplingConfig = field(default_factory=SamplingConfig)
    dataset: str = "emoji"  # training/data/packed/<dataset>/
    license: str = "Apache-2.0"
    channels: int = 3
    prediction: str = "v"
    fixture: bool = False

    @property
    def resolution(self) -> int:
        return self.levels[0].resolution

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @staticmethod
    def from_dict(d: dict) -> "ModelConfig":
        d = dict(d)
        d["levels"] = [LevelConfig(**lv) for lv in d["levels"]]
        d["text"] = TextConfig(**d["text"])
        d["schedule"] = ScheduleConfig(**d["schedule"])
        tr = dict(d["train"])
        tr["stages"] = [StageConfig(**s) for s in tr["stages"]]
        d["train"] = TrainConfig(**tr)
        d["sampling"] = SamplingConfig(**d["sampling"])
        return ModelConfig(**d)

    def validate(self) -> None:
        for outer, inner in zip(self.levels, self.levels[1:]):
            inner_res = outer.resolution >> len(outer.channels)
            if inner_res != inner.resolution:
                raise ValueError(
                    f"level {outer.resolution} ends at {inner_res} px but the next level is {inner.resolution} px"
                )
        for lv in self.levels:
            if not (len(lv.channels) == len(lv.blocks) == len(lv.attention)):
                raise ValueError(f"level {lv.resolution}: channels/blocks/attention differ in length")
        if len(self.train.loss_weights) != len(self.levels):
            raise ValueError("train.loss_weights needs one weight per level")


def load_config(name: str) -> ModelConfig:
    module = importlib.import_module(f"training.mdm.configs.{name}")
    cfg: ModelConfig = module.config()
    cfg.validate()
    return cfg


def add_outer_level(cfg: ModelConfig, resolution: int, channels: int, x0_from_inner: bool = True) -> None:
    """A thin convolutional outermost level at `resolution` (twice the current outermost) and the stage
    that trains it, in place: the capacity stays in the inner levels, as in MDM."""
    if resolution != 2 * cfg.resolution:
        raise ValueError(f"the new outer level must be at {2 * cfg.resolution} px, not {resolution}")
    last = cfg.train.stages[-1]
    cfg.levels.insert(0, LevelConfig(resolution=resolution, channels=[channels], blocks=[1], attention=["none"],
                                     temb_dim=cfg.levels[0].temb_dim, heads=1, groups=min(8, channels),
                                     bf16=False, x0_from_inner=x0_from_inner))
    cfg.train.stages.append(StageConfig(levels=len(cfg.levels), batch_size=last.batch_size, lr=last.lr,
                                        warmup_steps=max(50, last.warmup_steps)))
    cfg.train.loss_weights.insert(0, cfg.train.loss_weights[0])
    old_res, sizes = str(cfg.levels[1].resolution), "/".join(str(lv.resolution) for lv in reversed(cfg.levels))
    cfg.id = cfg.id.replace(old_res, str(resolution)) if old_res in cfg.id else f"{cfg.id}-{resolution}"
    cfg.name = cfg.name.replace(old_res, str(resolution))
    cfg.description = (f"Text-to-emoji at {resolution}x{resolution}, a nested {sizes} px Matryoshka diffusion model "
                       f"trained on openly licensed emoji art; its {resolution} px level was grown onto the "
                       f"{old_res} px model.")
    cfg.validate()


def grown_release(cfg: ModelConfig, resolution: int, channels: int, dataset: str) -> ModelConfig:
    """A released model with a thin refiner level grown around it, the way it is trained: that level
    alone (the inner ones fixed), LR 3e-4 after 100 warm-up steps, on the data packed at its size."""
    add_outer_level(cfg, resolution, channels)
    cfg.train.trainable_levels = 1
    cfg.train.stages[-1].lr, cfg.train.stages[-1].warmup_steps = 3e-4, 100
    cfg.dataset = dataset
    return cfg
