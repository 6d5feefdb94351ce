"""A few-minute end-to-end run on the real data: proves train -> export -> engine, not quality.

It is the tiny test model's layout (16/32/64 px, one block per level, attention only at 16 px, three
progressive stages) made a few times wider and trained on the emoji data; only what differs is
written here.
"""

from dataclasses import replace

from training.mdm.config import ModelConfig, StageConfig
from training.mdm.configs import tiny


def config() -> ModelConfig:
    base = tiny.config()
    outer, middle, inner = base.levels
    return replace(
        base,
        id="smoke-64",
        name="Matryoshka smoke-test model",
        description="A small 16/32/64 nested model trained for a few minutes; shows the pipeline works, draws blobs.",
        levels=[
            replace(outer, channels=[16], temb_dim=64),
            replace(middle, channels=[32], temb_dim=64, groups=8, bf16=False),
            replace(inner, channels=[64, 96], temb_dim=128, groups=16),
        ],
        text=replace(base.text, dim=64, ngram_buckets=1024, min_word_count=2),
        train=replace(
            base.train,
            stages=[
                StageConfig(levels=1, batch_size=32, lr=1e-3, warmup_steps=20, samples=6000),
                StageConfig(levels=2, batch_size=32, lr=5e-4, warmup_steps=10, samples=1500),
                StageConfig(levels=3, batch_size=16, lr=5e-4, warmup_steps=10, samples=1500),
            ],
            checkpoint_minutes=2.0,
            log_every=20,
        ),
        sampling=replace(base.sampling, sampler="dpmpp-2m", steps=20),
        dataset="emoji64",
        license="CC-BY-4.0",
        fixture=False,
    )
