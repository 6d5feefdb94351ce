"""The default model: emoji64 with a thin 128 px level grown around it.

The 128 px level is one res block per side of 16 channels, no attention: it refines what the 64 px
model draws (whose weights it leaves exactly as released) and costs about as much as the 64 px level.
Trained alone, the inner levels fixed and run without gradients (train.py --grow-level 128:16
--train-levels 1 --init <the 64 px model>), on the same emoji rendered at 128 px.
"""

from training.mdm.config import ModelConfig, grown_release
from training.mdm.configs.emoji64 import config as emoji64


def config() -> ModelConfig:
    return grown_release(emoji64(), 128, 16, "emoji128")
