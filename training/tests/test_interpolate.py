import torch

from training.mdm.tokenizer import Tokenizer
from training.mdm.config import load_config
from training.mdm.interpolate import interpolate, main
from training.mdm.model import MatryoshkaModel
from training.mdm.clip_model import ClipModel
from training.mdm.clip_export import load_clip_checkpoint


def models(seed=0):
    """A tiny clip model and a differently initialised image model with the same spatial layout."""
    cfg = load_config("clip_tiny")
    torch.manual_seed(seed)
    clip = ClipModel(cfg, 40, [4, 4, 2])
    with torch.no_grad():
        for p in clip.parameters():
            p.add_(torch.randn_like(p) * 0.1)  # temporal projections too, so they are not all zero
    image = MatryoshkaModel(load_config("tiny"), 30)
    return clip, image


def test_only_the_spatial_unet_is_averaged_and_the_ends_are_the_two_models():
    clip, image = models()
    img = image.state_dict()
    own = clip.state_dict()
    half = interpolate(clip, img, 0.5)
    key = "unet.inner.conv_in.weight"
    assert torch.allclose(half[key], 0.5 * own[key] + 0.5 * img[key], atol=1e-6)
    for k in own:
        if ".temporal." in k or k.startswith("text_encoder."):
            assert torch.equal(half[k], own[k]), k
    assert any(not torch.equal(half[k], own[k]) for k in own if ".temporal." not in k)
    zero, one = interpolate(clip, img, 0.0), interpolate(clip, img, 1.0)
    assert all(torch.equal(zero[k], own[k]) for k in own)
    assert torch.equal(one[key], img[key]) and torch.equal(one["unet.conv_in.weight"], img["unet.conv_in.weight"])
    assert clip.state_dict()[key].equal(own[key])  # the clip model itself is left as it was


def test_cli_writes_a_clip_checkpoint_that_loads_and_says_what_was_mixed(tmp_path):
    cfg = load_config("clip_tiny")
    tok = Tokenizer.for_config(cfg.text, ["a square spinning"])
    clip = ClipModel(cfg, len(tok.vocab), [4, 4, 2])
    image = MatryoshkaModel(load_config("tiny"), 3)  # a clip vocabulary extends the image one
    torch.save({"config": cfg.to_dict(), "frames": [4, 4, 2], "tokenizer": tok.to_json(), "levels": 3,
                "ema": clip.state_dict(), "model": clip.state_dict(), "opt": {}, "samples_seen": 7}, tmp_path / "c.pt")
    torch.save({"ema": image.state_dict(), "samples_seen": 99}, tmp_path / "i.pt")
    main(["--clip", str(tmp_path / "c.pt"), "--image", str(tmp_path / "i.pt"), "--image-weight", "0.25",
          "--out", str(tmp_path / "m.pt")])
    model, _, ck = load_clip_checkpoint(str(tmp_path / "m.pt"))
    assert ck["interpolation"]["image_weight"] == 0.25 and ck["interpolation"]["image_samples"] == 99
    assert "opt" not in ck and ck["samples_seen"] == 7
    key = "unet.inner.inner.conv_in.weight"
    want = 0.75 * clip.state_dict()[key] + 0.25 * image.state_dict()[key]
    assert torch.allclose(model.state_dict()[key], want, atol=1e-6)
