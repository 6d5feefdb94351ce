import numpy as np
import torch

from training.data.motion import MOTION_NAMES, render
from training.mdm.turning import turning


def arrow():
    """An asymmetric shape (no rotational symmetry) on white, uint8 [64, 64, 3]."""
    img = np.full((64, 64, 3), 255, dtype=np.uint8)
    img[14:50, 28:36] = (200, 30, 30)  # shaft
    img[14:22, 36:50] = (200, 30, 30)  # a flag on one side only
    return img


def clip_of(img, motion, frames=8):
    x = torch.from_numpy(img).permute(2, 0, 1)[None].float() / 127.5 - 1
    c = render(x, [MOTION_NAMES.index(motion)], frames, np.random.default_rng(0))[0]
    return [((c[:, f].permute(1, 2, 0).numpy() + 1) * 127.5).round().clip(0, 255).astype(np.uint8) for f in range(frames)]


def test_a_spinning_picture_narrows_to_its_edge_and_back_and_a_still_one_does_not():
    ref = [arrow()]
    spin = turning(clip_of(arrow(), "spin"), ref)
    assert spin["mean_iou"] > 0.85 and spin["width_error"] < 0.05, spin
    assert spin["widths"][0] == 1.0 and spin["widths"][4] < 0.2  # face on, then edge on half a loop later
    still = turning([arrow()] * 8, ref)
    assert still["mean_iou"] > 0.95 and still["widths"] == [1.0] * 8 and still["width_error"] > 0.35
    # Growing and sliding keep the shape and its width: neither is a turn.
    for motion in ("zoom-in", "slide-right"):
        other = turning(clip_of(arrow(), motion), ref)
        assert other["mean_iou"] > 0.8 and other["width_error"] > 0.3, (motion, other)
    # The same frames out of order are the right widths at the wrong times.
    frames = clip_of(arrow(), "spin")
    assert turning(frames[4:] + frames[:4], ref)["width_error"] > 0.5


def test_a_different_shape_scores_lower():
    ref = [arrow()]
    disc = np.full((64, 64, 3), 255, dtype=np.uint8)
    yy, xx = np.mgrid[:64, :64]
    disc[(yy - 32) ** 2 + (xx - 32) ** 2 < 15 ** 2] = (240, 200, 20)
    assert turning([disc] * 2, ref)["mean_iou"] < turning([arrow()] * 2, ref)["mean_iou"] - 0.2
    blank = np.full((64, 64, 3), 255, dtype=np.uint8)
    assert turning([blank] * 2, ref)["iou"] == [0.0, 0.0]


def test_a_checkpoint_is_scored_at_every_level_from_the_same_samples(tmp_path):
    from training.mdm.config import load_config
    from training.mdm.tokenizer import Tokenizer
    from training.mdm.turning import levels_turning
    from training.mdm.clip_model import ClipModel
    from training.mdm.clip_sample import sample_clips

    cfg = load_config("clip_tiny")
    tok = Tokenizer.for_config(cfg.text, ["an arrow spinning"])
    torch.manual_seed(0)
    model = ClipModel(cfg, len(tok.vocab), [4, 4, 2]).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape) * 0.05)
    path = tmp_path / "clip.pt"
    torch.save({"config": cfg.to_dict(), "frames": [4, 4, 2], "tokenizer": tok.to_json(), "levels": 3,
                "ema": model.state_dict()}, path)

    levels = sample_clips(model, tok, ["an arrow spinning"], seed=3, steps=2, guidance=2.0, all_levels=True)
    assert [tuple(x.shape) for x in levels] == [(1, 3, 4, 64, 64), (1, 3, 4, 32, 32), (1, 3, 2, 16, 16)]
    outer = sample_clips(model, tok, ["an arrow spinning"], seed=3, steps=2, guidance=2.0)
    assert torch.equal(outer, levels[0])  # the default is the outermost level of the very same run

    scores = levels_turning(str(path), "an arrow spinning", [arrow()], seeds=[1, 2])
    assert [(s["resolution"], s["frames"]) for s in scores] == [(64, 4), (32, 4), (16, 2)]
    assert all(len(s["widths"]) == 2 and len(s["widths"][0]) == s["frames"] for s in scores)
    assert all(0 <= s["mean_iou"] <= 1 for s in scores)


def test_faint_specks_around_an_edge_on_frame_do_not_widen_it():
    ref = [arrow()]
    frames = clip_of(arrow(), "spin")
    edge = frames[4].copy()
    rng = np.random.default_rng(0)
    ys, xs = rng.integers(0, 64, 40), rng.integers(0, 64, 40)
    edge[ys, xs] = 235  # near-white noise, as a sampler leaves around a sliver
    assert turning([edge], ref)["widths"][0] < 0.12
