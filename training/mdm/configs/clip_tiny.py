"""Random-weight clip test fixture: the tiny image model's levels, 4 / 4 / 2 frames."""

from training.mdm.configs.tiny import config as tiny_config

FRAMES = [4, 4, 2]
FPS = 8


def config():
    cfg = tiny_config()
    cfg.id = "tiny-clip-bundle"
    cfg.name = "Matryoshka tiny clip test bundle"
    cfg.description = "Random-weight clip model (16/32/64 px, 2/4/4 frames) with tiny channels; exists only for tests."
    return cfg
