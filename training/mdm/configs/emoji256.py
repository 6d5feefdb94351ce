"""The default model: emoji128 with a thinner 256 px level grown around it.

The 256 px level is one res block per side of 8 channels, no attention, a refiner like the 128 px
level inside it: it sharpens what the 128 px model draws (whose weights it leaves exactly as
released), at a quarter of the channels so that four times the pixels cost about what the 128 px
level costs. Trained alone, the inner levels fixed and run without gradients (train.py
--grow-level 256:8 --train-levels 1 --init <the 128 px model>), on the same emoji rendered at 256 px.
"""

from training.mdm.config import ModelConfig, grown_release
from training.mdm.configs.emoji128 import config as emoji128


def config() -> ModelConfig:
    return grown_release(emoji128(), 256, 8, "emoji256")
