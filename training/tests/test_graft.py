"""A retrained inner model grafted inside a grown one keeps both parts' weights exactly."""

import pytest
import torch

from training.mdm.configs import tiny
from training.mdm.graft import graft
from training.mdm.model import MatryoshkaModel


def _checkpoint(model: MatryoshkaModel, samples: int, seconds: float) -> dict:
    sd = {k: v.clone() for k, v in model.state_dict().items()}
    return {"config": model.cfg.to_dict(), "tokenizer": {"vocab": model.vocab_size}, "ema": sd, "model": sd,
            "levels": len(model.resolutions), "stage": len(model.resolutions) - 1, "step": 10,
            "samples_seen": samples, "stage_samples": samples // 2, "train_seconds": seconds,
            "hardware_seconds": {"cpu": seconds}, "finished_stage_samples": [samples // 4]}


def test_graft_keeps_the_outer_level_and_takes_the_inner_model_and_its_vocabulary():
    cfg = tiny.config()
    torch.manual_seed(0)
    grown = MatryoshkaModel(cfg, 40)  # every level of the config
    retrained = MatryoshkaModel(cfg, 55, num_levels=len(cfg.levels) - 1)  # larger vocabulary, one level fewer
    ck = graft(_checkpoint(grown, 1000, 100.0), _checkpoint(retrained, 5000, 900.0), 30.0, "cpu")

    rebuilt = MatryoshkaModel(cfg, 55)
    rebuilt.load_state_dict(ck["ema"])  # strict: every weight present, every shape right
    outer = {k: v for k, v in grown.state_dict().items() if k.startswith("unet.") and not k.startswith("unet.inner.")}
    for k, v in outer.items():
        assert torch.equal(rebuilt.state_dict()[k], v), k
    for k, v in retrained.state_dict().items():
        key = "unet.inner." + k[len("unet."):] if k.startswith("unet.") else k
        assert torch.equal(rebuilt.state_dict()[key], v), k
    assert ck["levels"] == len(cfg.levels) and ck["tokenizer"] == {"vocab": 55}
    assert ck["train_seconds"] == 930.0 and ck["hardware_seconds"] == {"cpu": 930.0}
    assert ck["samples_seen"] == 5000 + 500


def test_graft_refuses_checkpoints_that_do_not_nest():
    cfg = tiny.config()
    a = _checkpoint(MatryoshkaModel(cfg, 40), 10, 1.0)
    with pytest.raises(ValueError, match="nothing to graft"):
        graft(a, a, 0.0, "cpu")
