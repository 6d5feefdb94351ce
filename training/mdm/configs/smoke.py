"""A few-minute end-to-end run on the real data: proves train -> export -> engine, not quality."""

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
        id="smoke-64",
        name="Matryoshka smoke-test model",
        description="A small 16/32/64 nested model trained for a few minutes; shows the pipeline works, draws blobs.",
        levels=[
            LevelConfig(resolution=64, channels=[16], blocks=[1], attention=["none"], temb_dim=64, heads=1, groups=4,
                        bf16=False),
            LevelConfig(resolution=32, channels=[32], blocks=[1], attention=["none"], temb_dim=64, heads=1, groups=8,
                        bf16=False),
            LevelConfig(resolution=16, channels=[64, 96], blocks=[1, 1], attention=["cross", "full"], temb_dim=128,
                        heads=2, groups=16),
        ],
        text=TextConfig(dim=64, layers=1, heads=2, ngram_buckets=1024, min_word_count=2),
        schedule=ScheduleConfig(),
        train=TrainConfig(
            stages=[
                StageConfig(levels=1, batch_size=32, lr=1e-3, warmup_steps=20, samples=6000),
                StageConfig(levels=2, batch_size=32, lr=5e-4, warmup_steps=10, samples=1500),
                StageConfig(levels=3, batch_size=16, lr=5e-4, warmup_steps=10, samples=1500),
            ],
            loss_weights=[1.0, 1.0, 1.0],
            ema_decay=0.99,
            checkpoint_minutes=2.0,
            log_every=20,
        ),
        sampling=SamplingConfig(sampler="dpmpp-2m", steps=20, guidance=3.0),
        dataset="emoji64",
        license="CC-BY-4.0",
    )
