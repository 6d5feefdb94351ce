import pytest
import torch

from training.mdm.config import load_config
from training.mdm.model import MatryoshkaModel
from training.mdm.clip_model import ClipModel, TemporalLayer, clip_pyramid, load_image_weights

from .test_model import batch_of, randomise

FRAMES = [4, 4, 2]


def clip_inputs(batch=2, frames=FRAMES, seed=0):
    return batch_of([(3, f, r, r) for f, r in zip(frames, [64, 32, 16])], batch, seed)


def test_output_shapes_follow_each_levels_frames():
    model = ClipModel(load_config("tiny"), 20, FRAMES)
    randomise(model)
    out = model(*clip_inputs(batch=3))
    assert [tuple(o.shape) for o in out] == [(3, 3, 4, 64, 64), (3, 3, 4, 32, 32), (3, 3, 2, 16, 16)]
    assert all(torch.isfinite(o).all() for o in out)


def test_temporal_layer_shape_and_zero_init():
    layer = TemporalLayer(16, frames=4, groups=4, heads=2, use_attention=True)
    x = torch.randn(8, 16, 5, 5)  # B=2, F=4
    assert torch.equal(layer(x), x)  # fresh: the identity
    torch.nn.init.normal_(layer.proj.weight)
    y = layer(x)
    assert y.shape == x.shape and not torch.allclose(y, x)


@pytest.mark.parametrize("frames", [[4, 4, 4], FRAMES])
def test_fresh_clip_model_equals_the_image_model_frame_by_frame(frames):
    """Zero-initialised temporal layers: a frame is what the image model gives for that frame's
    pyramid. With time nested, an inner level runs on every s-th frame only, so this holds for the
    frames it runs on (all of them when no level drops frames); the others get the inner features
    of the key frame before them, by design."""
    cfg = load_config("tiny")
    image = MatryoshkaModel(cfg, 20)
    randomise(image, seed=3)
    clip = ClipModel(cfg, 20, frames)
    missing = load_image_weights(clip, image.state_dict())
    assert missing and all(".temporal." in k for k in missing)
    image.eval(), clip.eval()
    xs, t, tokens, ngrams = clip_inputs(batch=2, frames=frames, seed=5)
    s1, s2 = frames[0] // frames[1], frames[0] // frames[2]
    checked = 0
    with torch.no_grad():
        out = clip(xs, t, tokens, ngrams)
        for j in range(0, frames[0], s2):
            ref = image([xs[0][:, :, j], xs[1][:, :, j // s1], xs[2][:, :, j // s2]], t, tokens, ngrams)
            torch.testing.assert_close(out[0][:, :, j], ref[0], atol=1e-5, rtol=1e-4)
            torch.testing.assert_close(out[1][:, :, j // s1], ref[1], atol=1e-5, rtol=1e-4)
            torch.testing.assert_close(out[2][:, :, j // s2], ref[2], atol=1e-5, rtol=1e-4)
            checked += 1
    assert checked == frames[2]


def test_trained_temporal_layers_mix_frames():
    clip = ClipModel(load_config("tiny"), 20, FRAMES)
    randomise(clip)
    clip.eval()
    xs, t, tokens, ngrams = clip_inputs(batch=1)
    with torch.no_grad():
        a = clip(xs, t, tokens, ngrams)
        xs2 = [x.clone() for x in xs]
        xs2[0][:, :, 0] += 1.0  # change only frame 0 of the outer level
        b = clip(xs2, t, tokens, ngrams)
    assert not torch.allclose(a[0][:, :, 1], b[0][:, :, 1])  # frame 1 saw it through time


def test_image_checkpoint_with_fewer_levels_initialises_the_inner_level():
    cfg = load_config("tiny")
    inner_only = MatryoshkaModel(cfg, 20, num_levels=1)
    randomise(inner_only, seed=9)
    clip = ClipModel(cfg, 24, FRAMES)  # vocabulary grown by 4 motion words
    missing = load_image_weights(clip, inner_only.state_dict())
    inner = clip.unet.inner.inner
    for k, v in inner_only.unet.state_dict().items():
        assert torch.equal(inner.state_dict()[k], v), k
    word = clip.text_encoder.word.weight
    assert torch.equal(word[:20], inner_only.text_encoder.word.weight)
    assert any(k.startswith("unet.conv_in") for k in missing)


def test_image_checkpoint_with_more_levels_initialises_a_progressive_clip_model_level_by_level():
    """A clip run that starts at the innermost level takes the full image model's innermost level,
    and each level it grows takes the image model's level of that resolution, inner ones untouched."""
    cfg = load_config("tiny")
    image = MatryoshkaModel(cfg, 20)
    randomise(image, seed=11)
    clip = ClipModel(cfg, 24, FRAMES, num_levels=1)
    missing = load_image_weights(clip, image.state_dict())
    assert missing and all(".temporal." in k for k in missing)
    for k, v in image.unet.inner.inner.state_dict().items():
        assert torch.equal(clip.unet.state_dict()[k], v), k
    randomise(clip, seed=12)  # clip training moves the inner level and the text encoder
    trained = {k: v.clone() for k, v in clip.state_dict().items()}
    grown = clip.grow()
    missing = load_image_weights(grown, image.state_dict(), outer_only=True)
    for k, v in trained.items():
        key = "unet.inner." + k[len("unet."):] if k.startswith("unet.") else k
        assert torch.equal(grown.state_dict()[key], v), key
    outer = {k: v for k, v in image.unet.inner.state_dict().items() if not k.startswith("inner.")}
    for k, v in outer.items():
        assert torch.equal(grown.unet.state_dict()[k], v), k
    assert not any(k.startswith("unet.inner.") for k in missing)
    assert all(".temporal." in k for k in missing)


def test_pyramid_pools_space_and_keeps_every_sth_frame():
    clip = torch.arange(2 * 3 * 4 * 8 * 8, dtype=torch.float32).reshape(2, 3, 4, 8, 8)
    lv = clip_pyramid(clip, [8, 4, 2], [4, 2, 1])
    assert [tuple(x.shape) for x in lv] == [(2, 3, 4, 8, 8), (2, 3, 2, 4, 4), (2, 3, 1, 2, 2)]
    torch.testing.assert_close(lv[1][:, :, 1], torch.nn.functional.avg_pool2d(clip[:, :, 2], 2))


def test_progressive_clip_model_grows_outward_without_changing_the_inner_levels():
    cfg = load_config("tiny")
    inner = ClipModel(cfg, 20, FRAMES, num_levels=1)
    assert inner.resolutions == [16] and inner.frames == [2]
    randomise(inner, seed=4)
    inner.eval()
    grown = inner.grow().eval()
    assert grown.resolutions == [32, 16] and grown.frames == [4, 2]
    xs, t, tokens, ngrams = clip_inputs(batch=2, seed=6)
    with torch.no_grad():
        alone = inner([xs[2]], t, tokens, ngrams)[0]
        nested = grown([xs[1], xs[2]], t, tokens, ngrams)
    assert [tuple(o.shape) for o in nested] == [(2, 3, 4, 32, 32), (2, 3, 2, 16, 16)]
    torch.testing.assert_close(nested[1], alone)  # zero adapters: the trained inner level is untouched
    assert len(grown.grow().levels) == 3


def test_rejects_frame_counts_that_do_not_nest():
    with pytest.raises(ValueError):
        ClipModel(load_config("tiny"), 20, [4, 3, 1])


def test_sampler_returns_clips_of_the_outer_level():
    from training.mdm.tokenizer import Tokenizer
    from training.mdm.clip_sample import sample_clips

    cfg = load_config("tiny")
    tok = Tokenizer.for_config(cfg.text, ["a red apple bouncing", "a star spinning"])
    clip = ClipModel(cfg, len(tok.vocab), FRAMES)
    randomise(clip)
    out = sample_clips(clip, tok, ["a red apple bouncing", "a star spinning", "x"], steps=2, batch=2)
    assert out.shape == (3, 3, 4, 64, 64)
    assert out.min() >= -1 and out.max() <= 1


def test_motion_classifier_features_and_logits():
    from training.mdm.motion_judge import MotionClassifier, temporal_consistency

    clf = MotionClassifier(frames=8)
    clips = torch.rand(2, 3, 8, 64, 64) * 2 - 1
    assert clf.frame_features(clips).shape == (2, 8, 128)
    assert clf(clips).shape == (2, 10)
    still = clips[:, :, :1].expand(2, 3, 8, 64, 64)
    assert abs(temporal_consistency(clf, still) - 1.0) < 1e-5  # identical frames: perfectly consistent


def test_joint_attention_moves_content_between_pixels_and_frames_which_per_pixel_layers_cannot():
    x = torch.randn(8, 16, 4, 4)  # B=2, F=4, 4x4 maps
    poked = x.clone()  # clip 0, frame 0: two corner pixels swapped (the norm's statistics stay the same)
    poked[0, :, 0, 0], poked[0, :, 3, 3] = x[0, :, 3, 3], x[0, :, 0, 0]
    for joint in (0, 4):
        layer = TemporalLayer(16, frames=4, groups=4, heads=2, use_attention=True, joint_size=joint)
        randomise(layer, seed=1)
        with torch.no_grad():
            torch.nn.init.normal_(layer.proj.weight)
            if joint:
                torch.nn.init.normal_(layer.joint_proj.weight)
            moved = (layer(poked) - layer(x)).abs()
        assert moved[1, :, 0, 0].max() > 1e-3  # the same pixel of the next frame: either layer
        elsewhere = moved[1:4, :, 1:3, 1:3].max()  # the middle pixels of the later frames
        assert (elsewhere > 1e-3) == bool(joint), (joint, float(elsewhere))
        assert moved[4:].max() == 0  # never into the other clip


def test_joint_mode_adds_zero_layers_on_the_self_attention_maps_only():
    cfg = load_config("tiny")
    attn = ClipModel(cfg, 20, FRAMES)
    randomise(attn, seed=2)
    joint = ClipModel(cfg, 20, FRAMES, "joint")
    missing = load_image_weights(joint, attn.state_dict())
    assert missing and all(".joint_" in k for k in missing)
    sizes = {m.joint_size for m in joint.modules() if isinstance(m, TemporalLayer) and m.joint_size}
    assert sizes == {8}  # the tiny 16 px level attends over space at 8 px, and only there
    attn.eval(), joint.eval()
    with torch.no_grad():
        inputs = clip_inputs(batch=2, seed=7)
        for a, b in zip(attn(*inputs), joint(*inputs)):
            torch.testing.assert_close(a, b)  # zero-initialised: the same model until it trains
    grown = ClipModel(cfg, 20, FRAMES, "joint", num_levels=2).grow()
    assert grown.temporal_attention == "joint"
    with pytest.raises(ValueError, match="attn, joint or none"):
        ClipModel(cfg, 20, FRAMES, "jiont")
