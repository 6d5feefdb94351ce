"""The default clip model: 8 frames at 64 px, nested 64 px x 8 / 32 px x 8 / 16 px x 4 frames.

The spatial network is the image model's (emoji64) so that a clip run starts from the image run's
checkpoint; only the zero-initialised temporal layers and the motion words are new.
"""

from training.mdm.config import StageConfig
from training.mdm.configs.emoji64 import config as image_config

FRAMES = [8, 8, 4]  # per level, outermost first: time is nested like space
FPS = 8


def config():
    cfg = image_config()
    cfg.id = "emoji-clip-64"
    cfg.name = "Matryoshka Emoji Clips 64"
    cfg.description = (
        "Text-to-clip: 8-frame 64x64 looping emoji animations (spin, bounce, zoom, slide, pulse, shake, "
        "wobble, fade), a Matryoshka diffusion model nested in space and time."
    )
    cfg.dataset = "emoji64"
    cfg.train.stages = [StageConfig(levels=3, batch_size=4, lr=2e-4, warmup_steps=50, minutes=25)]
    cfg.train.loss_weights = [1.0, 1.0, 1.0]
    cfg.sampling.guidance = 4.0
    return cfg
