"""The motion corpus: each motion moves a picture the way its caption says, and the splits are disjoint."""

import json
import os

import numpy as np
import pytest
import torch

from training.data.motion import MOTION_NAMES, ClipBatcher, MotionCorpus, heldout_motion, load_motion_corpus, render

PACKED = os.path.join(os.path.dirname(__file__), "packed", "emoji64")


def centroid_and_mass(clip):
    """clip [C, F, R, R] of a dark square on white -> per frame (x, y, dark mass)."""
    w = (1 - clip[0]).clamp(min=0)  # [F, R, R]
    idx = torch.arange(w.shape[-1], dtype=torch.float32)
    mass = w.sum((1, 2))
    return (w.sum(1) * idx).sum(-1) / mass, (w.sum(2) * idx).sum(-1) / mass, mass


def square():
    x = torch.ones(1, 3, 64, 64)
    x[:, :, 24:40, 20:44] = -1  # wider than tall, so a rotation shows in the bounding box
    return x


@pytest.mark.parametrize("name", MOTION_NAMES)
def test_each_motion_moves_the_picture_as_its_caption_says(name):
    clip = render(square(), [MOTION_NAMES.index(name)], 8, np.random.default_rng(1))[0]
    assert clip.shape == (3, 8, 64, 64) and clip.min() >= -1 and clip.max() <= 1
    cx, cy, mass = centroid_and_mass(clip)
    dx, dy = cx[-1] - cx[0], cy.max() - cy.min()
    if name == "slide-left":
        assert dx < -30
    elif name == "slide-right":
        assert dx > 30
    elif name == "bounce":
        assert dy > 8 and abs(cy[0] - cy[-1]) < 8  # up and back down: a loop
    elif name in ("zoom-in", "zoom-out"):
        grows = mass[-1] > 4 * mass[0]
        assert grows if name == "zoom-in" else mass[0] > 4 * mass[-1]
        assert torch.all(torch.diff(mass) > 0) if name == "zoom-in" else torch.all(torch.diff(mass) < 0)
    elif name == "pulse":
        assert mass.max() > 1.5 * mass.min() and abs(cx.max() - cx.min()) < 1
    elif name == "shake":
        assert (torch.diff(cx).abs() > 3).all()
    elif name == "fade":
        assert mass[-1] < 0.1 * mass[0] and torch.all(torch.diff(mass) < 0)
    elif name == "spin":
        dark = clip[0] < 0
        cols, rows = dark.any(1).sum(-1).float(), dark.any(2).sum(-1).float()
        # About the vertical axis: as wide as the bar, then edge on (a sliver) half a loop later, and
        # back, always as tall and in place.
        assert cols[0] >= 20 and cols[4] <= 3 and abs(cols[1] - cols[7]) <= 1 and cols[1] < cols[0]
        assert rows.max() - rows.min() <= 1 and abs(cx.max() - cx.min()) < 1.5
    elif name == "wobble":
        dark = clip[0] < 0
        rows = dark.any(2).sum(-1).float()  # bounding-box height per frame: grows as the bar turns
        assert rows.max() - rows.min() >= 5 and abs(cx.max() - cx.min()) < 1.5


@pytest.mark.skipif(not os.path.exists(os.path.join(PACKED, "meta.json")), reason="no packed corpus")
def test_splits_are_disjoint_and_hold_out_whole_concepts_and_pairs():
    limit = 600
    train = load_motion_corpus(PACKED, "train", limit=limit)
    concept = load_motion_corpus(PACKED, "heldout-concept", limit=limit)
    pair = load_motion_corpus(PACKED, "heldout-pair", limit=limit)
    a, b, c = set(train.pairs), set(concept.pairs), set(pair.pairs)
    assert not (a & b) and not (a & c) and not (b & c)
    assert len(a | b | c) == limit * len(MOTION_NAMES)
    with open(os.path.join(PACKED, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)["images"]
    trained_concepts = {meta[r]["concept"] for r, _ in train.pairs}
    assert not trained_concepts & {meta[r]["concept"] for r, _ in concept.pairs}
    for r, m in pair.pairs:
        assert m == heldout_motion(meta[r]["concept"])
        assert (r, m) not in a
    # Every motion is trained, and every motion is held out with some concept.
    assert {m for _, m in train.pairs} == set(range(len(MOTION_NAMES)))
    assert {m for _, m in pair.pairs} == set(range(len(MOTION_NAMES)))


def test_captions_also_put_a_one_word_verb_first():
    corpus = MotionCorpus(images=torch.zeros(1, 3, 8, 8), meta=[{"label": "star", "captions": ["a star"]}],
                          pairs=[(0, 0)], frames=4)
    spin = MOTION_NAMES.index("spin")
    zoom = MOTION_NAMES.index("zoom-in")
    spins = {corpus.caption(0, spin, v) for v in range(12)}  # the batcher's variants
    assert "a spinning star" in spins and "a star spinning" in spins
    assert corpus.canonical_caption(0, spin) == "a star spinning"  # eval prompts are unchanged
    assert not any(c.startswith("a zooming in") for c in (corpus.caption(0, zoom, v) for v in range(12)))


def test_a_spin_is_the_same_for_every_clip_and_follows_spin_widths():
    from training.data.motion import spin_widths

    x = square()
    clips = [render(x, [MOTION_NAMES.index("spin")], 8, np.random.default_rng(seed))[0] for seed in range(3)]
    assert all(torch.equal(clips[0], c) for c in clips[1:])  # no random direction or speed to average over
    widths = (clips[0][0] < 0).any(1).sum(-1).float() / 24  # the bar is 24 px wide, drawn at scale 0.9
    assert np.allclose(widths.numpy(), 0.9 * spin_widths(8), atol=2 / 24)


def test_adjective_labels_are_captioned_as_things():
    corpus = MotionCorpus(images=torch.zeros(1, 3, 8, 8),
                          meta=[{"label": "star-struck", "captions": ["a star-struck"]}], pairs=[(0, 0)], frames=4)
    spin = MOTION_NAMES.index("spin")
    caps = {corpus.caption(0, spin, v) for v in range(12)}
    assert "a spinning star-struck face" in caps and "a star-struck face spinning" in caps
    assert not any(c.endswith("star-struck") or "star-struck " + "spinning" in c for c in caps)


class _Words:
    def encode_batch(self, texts):
        return np.zeros((len(texts), 4), np.int64), np.zeros((len(texts), 4), np.int64)


def test_motion_weights_draw_that_motion_more_often():
    pairs = [(0, m) for m in range(len(MOTION_NAMES))]
    corpus = MotionCorpus(images=torch.ones(1, 3, 8, 8), meta=[{"label": "star"}], pairs=pairs, frames=4)
    spin = MOTION_NAMES.index("spin")
    plain = np.concatenate([ClipBatcher(corpus, _Words(), 0.0, seed=3).next(200)[3].numpy() for _ in range(5)])
    weighted = np.concatenate([ClipBatcher(corpus, _Words(), 0.0, seed=3, motion_weights={"spin": 4.0}).next(200)[3].numpy()
                               for _ in range(5)])
    assert abs((plain == spin).mean() - 0.1) < 0.04
    assert abs((weighted == spin).mean() - 4 / 13) < 0.05  # 4 against 9 others at 1
    with pytest.raises(ValueError, match="unknown motions"):
        ClipBatcher(corpus, _Words(), 0.0, seed=3, motion_weights={"spinn": 2.0})
