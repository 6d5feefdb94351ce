"""Per-motion loss on fixed clips: repeatable, per level, and equal on the levels two nestings share."""

import importlib

import pytest
import torch

from training.data.motion import MOTION_NAMES, load_motion_corpus
from training.mdm.config import load_config
from training.mdm.motion_loss import fixed_batches, motion_losses, table
from training.mdm.schedule import Schedule
from training.mdm.tokenizer import Tokenizer
from training.mdm.clip_model import ClipModel, zero_in_adapter

from .test_train_clips import packed_dir

FRAMES = importlib.import_module("training.mdm.configs.clip_tiny").FRAMES


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    packed = packed_dir(tmp_path_factory.mktemp("motion-loss") / "packed", n=12)
    corpus = load_motion_corpus(packed, "train", FRAMES[0], 64)
    cfg = load_config("clip_tiny")
    tok = Tokenizer.for_config(cfg.text, [corpus.canonical_caption(*p) for p in corpus.pairs])
    torch.manual_seed(0)
    three = ClipModel(cfg, len(tok.vocab), FRAMES)
    with torch.no_grad():
        for p in three.parameters():
            p.add_(torch.randn(p.shape) * 0.05)
    return corpus, tok, three, Schedule(cfg.schedule)


def test_losses_are_per_motion_and_level_and_repeat(setup):
    corpus, tok, model, schedule = setup
    batches = fixed_batches(corpus, 3, seed=0)
    assert sorted(batches) == list(range(len(MOTION_NAMES)))
    a = motion_losses(model, tok, schedule, batches)
    b = motion_losses(model, tok, schedule, fixed_batches(corpus, 3, seed=0))
    assert a == b and list(a) == list(MOTION_NAMES)
    assert all(set(v) == {64, 32, 16} and all(x > 0 for x in v.values()) for v in a.values())
    other = motion_losses(model, tok, schedule, fixed_batches(corpus, 3, seed=1))
    assert other != a
    md = table({"runs/a/last.pt": a, "runs/b/last.pt": other})
    assert md.splitlines()[0].startswith("| motion | a 16 px | a 32 px | a 64 px | b 16 px")
    assert len(md.splitlines()) == 2 + len(MOTION_NAMES)


def test_inner_levels_score_alike_nested_or_alone_once_the_in_adapter_is_cut(setup):
    corpus, tok, three, schedule = setup
    batches = fixed_batches(corpus, 2, seed=0)
    two = ClipModel(three.cfg, len(tok.vocab), FRAMES, num_levels=2)
    two.load_state_dict({k.replace("unet.inner.", "unet.", 1): v for k, v in three.state_dict().items()
                         if not k.startswith("unet.") or k.startswith("unet.inner.")})
    alone = motion_losses(two, tok, schedule, batches)
    nested = motion_losses(three, tok, schedule, batches)
    assert any(abs(nested[m][16] - alone[m][16]) > 1e-4 for m in alone)  # the outer level's features reach in
    zero_in_adapter(three)
    cut = motion_losses(three, tok, schedule, batches)
    for m in alone:
        for r in (32, 16):
            assert cut[m][r] == pytest.approx(alone[m][r], rel=1e-4)
    with pytest.raises(ValueError):
        zero_in_adapter(ClipModel(three.cfg, len(tok.vocab), FRAMES, num_levels=1))
