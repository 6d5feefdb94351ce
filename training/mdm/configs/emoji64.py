"""The default model: text-to-emoji at 64 px, nested 16/32/64, sized for a 2-core CPU.

Capacity sits in the 16 px UNet (layout is what small models get wrong, and a 16 px sample is cheap);
the 32 and 64 px levels are thin refiners without attention, as in ml-mdm's outer levels.
"""

from training.mdm.config import (
    LevelConfig,
    ModelConfig,
    SamplingConfig,
    ScheduleConfig,
    StageConfig,
    TextConfig,
    TrainConfig,
)


def config() -> ModelConfig:
    return ModelConfig(
        id="emoji-64",
        name="Matryoshka Emoji 64",
        description="Text-to-emoji at 64x64, a nested 16/32/64 px Matryoshka diffusion model trained from scratch "
        "on openly licensed emoji art.",
        levels=[
            LevelConfig(resolution=64, channels=[32], blocks=[1], attention=["none"], temb_dim=256, heads=1, groups=8,
                        bf16=False),
            LevelConfig(resolution=32, channels=[64], blocks=[1], attention=["none"], temb_dim=256, heads=1, groups=16,
                        bf16=False),
            LevelConfig(
                resolution=16,
                channels=[128, 192, 192],
                blocks=[2, 1, 1],
                attention=["cross", "full", "full"],
                temb_dim=256,
                heads=4,
                groups=32,
            ),
        ],
        text=TextConfig(dim=192, layers=2, heads=4, ngram_buckets=4096, min_word_count=2),
        schedule=ScheduleConfig(logsnr_min=-15.0, logsnr_max=15.0, shift_base=16, shift_power=1.0),
        train=TrainConfig(
            stages=[
                StageConfig(levels=1, batch_size=32, lr=3e-4, warmup_steps=100, minutes=45),
                StageConfig(levels=2, batch_size=24, lr=2e-4, warmup_steps=50, minutes=12),
                StageConfig(levels=3, batch_size=16, lr=2e-4, warmup_steps=50),
            ],
            loss_weights=[1.0, 1.0, 1.0],
            ema_decay=0.999,
            checkpoint_minutes=5.0,
            log_every=20,
        ),
        sampling=SamplingConfig(sampler="dpmpp-2m", steps=20, guidance=5.0),
        dataset="emoji64",
        license="CC-BY-4.0",
    )
