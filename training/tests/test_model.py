import copy

import pytest
import torch

from training.mdm.config import load_config
from training.mdm.model import MatryoshkaModel


def inputs(model, batch=2, seed=0):
    return batch_of([(3, r, r) for r in model.resolutions], batch, seed)


def batch_of(shapes, batch=2, seed=0):
    """Noisy inputs of these per-level shapes (pictures or clips), a time each and a short prompt."""
    g = torch.Generator().manual_seed(seed)
    xs = [torch.randn(batch, *shape, generator=g) for shape in shapes]
    t = torch.rand(batch, generator=g)
    tokens = torch.zeros(batch, 24, dtype=torch.long)
    tokens[:, 0] = 2
    tokens[0, 1:4] = torch.tensor([3, 4, 1])
    ngrams = torch.zeros(batch, 24, 12, dtype=torch.long)
    ngrams[0, 1:4, :3] = torch.randint(1, 65, (3, 3), generator=g)
    return xs, t, tokens, ngrams


def randomise(model, seed=0):
    """Non-zero everywhere, like a trained model (fresh adapters/output convs are exactly zero)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=g) * 0.05)


@pytest.mark.parametrize("levels", [1, 2, 3])
def test_shapes_at_every_level(levels):
    cfg = load_config("tiny")
    model = MatryoshkaModel(cfg, 20, num_levels=levels)
    assert model.resolutions == [64, 32, 16][-levels:]
    randomise(model)
    out = model(*inputs(model, batch=3))
    assert [tuple(o.shape) for o in out] == [(3, 3, r, r) for r in model.resolutions]
    assert all(torch.isfinite(o).all() for o in out)


def test_emoji64_config_is_nested_16_32_64_and_fits_30mb_in_fp16():
    cfg = load_config("emoji64")
    model = MatryoshkaModel(cfg, 3000)
    assert model.resolutions == [64, 32, 16]
    params = sum(p.numel() for p in model.parameters())
    assert params * 2 < 29e6, params
    inner = sum(p.numel() for p in model.unet.inner.inner.parameters())
    outer = sum(p.numel() for p in model.unet.parameters()) - sum(p.numel() for p in model.unet.inner.parameters())
    assert inner > 10 * outer  # capacity sits in the 16 px UNet


@pytest.mark.parametrize("start", [1, 2])
def test_growing_a_level_leaves_inner_outputs_unchanged(start):
    cfg = load_config("tiny")
    small = MatryoshkaModel(cfg, 20, num_levels=start).eval()
    randomise(small)
    grown = small.grow().eval()
    assert grown.resolutions[1:] == small.resolutions
    xs, t, tok, ng = inputs(grown)
    with torch.no_grad():
        before = small(xs[1:], t, tok, ng)
        after = grown(xs, t, tok, ng)
    for b, a in zip(before, after[1:]):
        assert torch.equal(a, b)
    # ...and the adapters are what connects the levels: once non-zero, the inner output changes.
    with torch.no_grad():
        grown.unet.in_adapter.weight.add_(0.1)
        changed = grown(xs, t, tok, ng)
    assert not torch.allclose(changed[-1], before[-1])


def test_levels_see_their_own_noisy_input():
    cfg = load_config("tiny")
    model = MatryoshkaModel(cfg, 20).eval()
    randomise(model)
    xs, t, tok, ng = inputs(model)
    with torch.no_grad():
        a = model(xs, t, tok, ng)
        xs2 = [x.clone() for x in xs]
        xs2[0] += 0.5
        b = model(xs2, t, tok, ng)
    assert not torch.allclose(a[0], b[0])  # the 64 px input drives the 64 px output
    assert not torch.allclose(a[2], b[2])  # and reaches the 16 px level through the in_adapter


def test_text_changes_the_prediction():
    cfg = load_config("tiny")
    model = MatryoshkaModel(cfg, 20).eval()
    randomise(model)
    xs, t, tok, ng = inputs(model)
    with torch.no_grad():
        a = model(xs, t, tok, ng)
        tok2 = tok.clone()
        tok2[0, 1] = 7
        b = model(xs, t, tok2, ng)
    assert not torch.allclose(a[2][0], b[2][0])
    assert torch.allclose(a[2][1], b[2][1])  # the other row is untouched


def test_bf16_autocast_runs_with_fp32_outer_levels():
    cfg = load_config("tiny")
    assert cfg.levels[0].bf16 is False
    model = MatryoshkaModel(cfg, 20)
    randomise(model)
    xs, t, tok, ng = inputs(model)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = model(xs, t, tok, ng)
    assert out[0].dtype == torch.float32  # the fp32 level really ran in fp32
    assert out[2].dtype == torch.bfloat16
    ref = model(xs, t, tok, ng)
    for o, r in zip(out, ref):
        assert (o.float() - r).abs().max() < 0.1 * r.abs().max() + 0.05
    out[0].float().sum().backward()
    assert model.unet.conv_in.weight.grad is not None


def test_a_grown_refiner_starts_as_the_inner_picture_enlarged_and_is_scored_on_x0():
    import torch.nn.functional as F

    from training.mdm.config import add_outer_level, load_config
    from training.mdm.diffusion import diffusion_loss, pyramid
    from training.mdm.model import MatryoshkaModel
    from training.mdm.schedule import Schedule

    cfg = load_config("tiny")
    add_outer_level(cfg, 2 * cfg.resolution, 8)
    torch.manual_seed(0)
    model = MatryoshkaModel(cfg, 50).eval()
    b, res = 2, model.resolutions
    xs = [torch.randn(b, 3, r, r) for r in res]
    t = torch.tensor([0.3, 0.8])
    tokens, ngrams = torch.zeros(b, 24, dtype=torch.long), torch.zeros(b, 24, 12, dtype=torch.long)
    with torch.no_grad():
        preds = model(xs, t, tokens, ngrams)
    sched = Schedule(cfg.schedule)
    a, s = (v.view(-1, 1, 1, 1) for v in sched.alpha_sigma(t, res[0]))
    a1, s1 = (v.view(-1, 1, 1, 1) for v in sched.alpha_sigma(t, res[1]))
    inner_x0 = a1 * xs[1] - s1 * preds[1]
    implied = a * xs[0] - s * preds[0]
    assert torch.allclose(implied, F.interpolate(inner_x0, scale_factor=2.0, mode="bilinear", align_corners=False),
                          atol=1e-4)
    # Its loss is on x0: bounded for pictures in [-1, 1], not blown up by 1/sigma^2 at low noise.
    images = torch.rand(b, 3, res[0], res[0]) * 2 - 1
    out = diffusion_loss(model, res, sched, pyramid(images, res), tokens, ngrams, [1.0] * len(res),
                         generator=torch.Generator().manual_seed(1))
    assert float(out[f"loss_{res[0]}"]) < 4.0


def test_a_refiner_grown_around_a_refiner_leaves_what_the_inner_levels_predict_unchanged():
    """Growing a 4x level around a model whose outermost level is already a refiner (128 -> 256 px):
    the inner refiner must still emit v (its residual turned into v), so the grown model's inner
    predictions are the released model's, and the new level starts as the inner picture enlarged."""
    import copy

    import torch.nn.functional as F

    from training.mdm.config import add_outer_level, load_config
    from training.mdm.model import MatryoshkaModel
    from training.mdm.schedule import Schedule

    cfg = load_config("tiny")
    add_outer_level(cfg, 2 * cfg.resolution, 8)
    torch.manual_seed(0)
    released = MatryoshkaModel(cfg, 50).eval()
    randomise(released)
    grown_cfg = copy.deepcopy(cfg)
    add_outer_level(grown_cfg, 2 * grown_cfg.resolution, 8)
    grown = MatryoshkaModel(grown_cfg, 50).eval()
    grown.text_encoder.load_state_dict(released.text_encoder.state_dict())
    grown.unet.inner.load_state_dict(released.unet.state_dict())
    b, res = 2, grown.resolutions
    xs = [torch.randn(b, 3, r, r) for r in res]
    t = torch.tensor([0.3, 0.8])
    tokens, ngrams = torch.zeros(b, 24, dtype=torch.long), torch.zeros(b, 24, 12, dtype=torch.long)
    with torch.no_grad():
        before = released(xs[1:], t, tokens, ngrams)
        after = grown(xs, t, tokens, ngrams)
    for got, want in zip(after[1:], before):
        assert torch.allclose(got, want, atol=1e-5), (got - want).abs().max()
    sched = Schedule(cfg.schedule)
    a, s = (v.view(-1, 1, 1, 1) for v in sched.alpha_sigma(t, res[0]))
    a1, s1 = (v.view(-1, 1, 1, 1) for v in sched.alpha_sigma(t, res[1]))
    enlarged = F.interpolate(a1 * xs[1] - s1 * after[1], scale_factor=2.0, mode="bilinear", align_corners=False)
    assert torch.allclose(a * xs[0] - s * after[0], enlarged, atol=1e-4)
