"""A tiny random-weight model with the real 16/32/64 nesting: test fixture and smoke runs.

smoke.py widens this layout for its end-to-end run, so a change here changes both.
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
        id="tiny-bundle",
        name="Matryoshka tiny test bundle",
        description="Random-weight 16/32/64 nested model with tiny channels; exists only for tests.",
        levels=[
            LevelConfig(
                resolution=64, channels=[8], blocks=[1], attention=["none"], temb_dim=32, heads=1, groups=4, bf16=False
            ),
            LevelConfig(resolution=32, channels=[8], blocks=[1], attention=["none"], temb_dim=32, heads=1, groups=4),
            LevelConfig(
                resolution=16,
                channels=[16, 16],
                blocks=[1, 1],
                attention=["cross", "full"],
                temb_dim=32,
                heads=2,
                groups=4,
            ),
        ],
        text=TextConfig(dim=16, layers=1, heads=2, ngram_buckets=64, min_word_count=1),
        schedule=ScheduleConfig(),
        train=TrainConfig(
            stages=[
                StageConfig(levels=1, batch_size=8, lr=2e-3, warmup_steps=10, samples=2000),
                StageConfig(levels=2, batch_size=8, lr=2e-3, warmup_steps=10, samples=1000),
                StageConfig(levels=3, batch_size=8, lr=2e-3, warmup_steps=10, samples=1000),
            ],
            loss_weights=[1.0, 1.0, 1.0],
            ema_decay=0.99,
            checkpoint_minutes=1.0,
            log_every=10,
        ),
        sampling=SamplingConfig(steps=8, guidance=3.0),
        license="Apache-2.0",
        fixture=True,
    )
