"""The nested-versus-flat baseline: emoji-64's network flattened into ONE 64 px UNet.

Same stages and widths as the nest (64 px 32 ch, 32 px 64 ch, then the 16/8/4 px core with
attention), same text encoder, schedule (shifted for 64 px), data, batch and learning rate, but a
single loss on the 64 px image and no progressive growth. It is trained to the same number of
training FLOPs as the emoji-64 snapshot it is compared with (training.mdm.flops); see training/eval.py.
"""

from training.mdm.config import LevelConfig, ModelConfig, StageConfig, TrainConfig
from training.mdm.configs.emoji64 import config as nested


def config() -> ModelConfig:
    base = nested()
    return ModelConfig(
        id="flat-64",
        name="Flat UNet 64 (baseline)",
        description="A single-resolution 64 px UNet with emoji-64's widths: the baseline for the nested-versus-flat "
        "comparison, not a shipped model.",
        levels=[
            LevelConfig(
                resolution=64,
                channels=[32, 64, 128, 192, 192],
                blocks=[1, 1, 2, 1, 1],
                attention=["none", "none", "cross", "full", "full"],
                temb_dim=256,
                heads=4,
                groups=8,
                # fp32 like emoji-64's thin outer levels: CPU bf16 convolutions at 32-64 channels are slower.
                bf16=False,
            )
        ],
        text=base.text,
        schedule=base.schedule,
        train=TrainConfig(
            stages=[StageConfig(levels=1, batch_size=16, lr=2e-4, warmup_steps=100)],
            loss_weights=[1.0],
            ema_decay=base.train.ema_decay,
            checkpoint_minutes=5.0,
            log_every=20,
        ),
        sampling=base.sampling,
        dataset=base.dataset,
        license=base.license,
    )
