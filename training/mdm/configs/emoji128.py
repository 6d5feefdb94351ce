"""The default model: emoji64 with a thin 128 px level grown around it.

The 128 px level is one res block per side of 16 channels, no attention: it refines what the 64 px
model draws (whose weights it leaves exactly as released) and costs about as much as the 64 px level.
Trained alone, the inner levels fixed and run without gradients (train.py --grow-level 128:16
--train-levels 1 --init <the 64 px model>), on the same emoji rendered at 128 px.
"""

from training.mdm.config import ModelConfig, add_outer_level
from training.mdm.configs.emoji64 import config as emoji64


def config() -> ModelConfig:
    cfg = emoji64()
    add_outer_level(cfg, 128, 16)
    cfg.train.trainable_levels = 1
    cfg.train.stages[-1].lr, cfg.train.stages[-1].warmup_steps = 3e-4, 100
    cfg.dataset = "emoji128"
    return cfg
