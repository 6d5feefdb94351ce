"""A bundle gives back the exact weights it was exported from, so a fresh clone can keep training."""


import onnx
import pytest
import torch
from onnx import numpy_helper

from training.mdm.export import write_bundle
from training.mdm.fixtures import tiny_model
from training.mdm.from_bundle import main, recover
from training.mdm.tokenizer import Tokenizer
from training.mdm.clip_model import ClipModel
from training.mdm.clip_export import joint_twin, tiny_clip_model, write_clip_bundle
from training.mdm.model import MatryoshkaModel
from training.mdm.config import ModelConfig
from training.train import main as train_main


def assert_same_weights(a: torch.nn.Module, state: dict) -> None:
    ref = a.state_dict()
    assert set(ref) == set(state)
    for name, v in ref.items():
        assert torch.equal(v, state[name]), name


def test_clip_bundle_gives_back_its_exact_weights_and_record(tmp_path):
    model, tok = tiny_clip_model(seed=7)
    out = tmp_path / "clip"
    write_clip_bundle(model, tok, str(out), weights="fp32",
                      training={"samplesSeen": 1234, "hours": 0.5, "hoursByHardware": {"2-core CPU": 0.5},
                                "stageSamples": [0, 200, 1034], "initImageSamples": 99})
    ckpt = recover(str(out))
    assert_same_weights(model, ckpt["ema"])
    assert ckpt["model"] is ckpt["ema"] and ckpt["levels"] == 3 and ckpt["frames"] == [4, 4, 2]
    assert ckpt["samples_seen"] == 1234 and ckpt["init_samples"] == 99
    assert ckpt["samples_by_levels"] == {"2": 200, "3": 1034}
    assert ckpt["hardware_seconds"] == {"2-core CPU": 1800.0}
    assert Tokenizer.from_checkpoint(ckpt["tokenizer"]).vocab == tok.vocab
    # The checkpoint builds the model the trainer would build from it.
    again = ClipModel(ModelConfig.from_dict(ckpt["config"]), len(tok.vocab), ckpt["frames"], num_levels=ckpt["levels"])
    again.load_state_dict(ckpt["ema"])


def test_a_joint_attention_clip_bundle_comes_back_as_one(tmp_path):
    model, tok = tiny_clip_model(seed=8)
    joint = joint_twin(model)
    write_clip_bundle(joint, tok, str(tmp_path / "joint"), weights="fp32")
    ckpt = recover(str(tmp_path / "joint"))
    assert ckpt["temporal_attention"] == "joint"
    assert_same_weights(joint, ckpt["ema"])


def test_fp16_image_bundle_gives_back_the_rounded_weights(tmp_path):
    model, tok = tiny_model(seed=3)
    out = tmp_path / "image"
    write_bundle(model, tok, str(out), weights="fp16", training={"samplesSeen": 10, "hours": 0.1, "hardware": "x"})
    ckpt = recover(str(out))
    with torch.no_grad():
        for p in model.parameters():
            if p.numel() >= 16:  # what export.cast_initializers_to_fp16 stores as fp16
                p.copy_(p.half().float())
    assert_same_weights(model, ckpt["ema"])
    assert ckpt["samples_seen"] == 10 and "frames" not in ckpt


def test_a_bundle_with_changed_weights_recovers_the_change(tmp_path):
    """Not the twin's or a default init: what the file says (one initialiser edited on disk)."""
    model, tok = tiny_model(seed=5)
    out = tmp_path / "image"
    write_bundle(model, tok, str(out), weights="fp32")
    path = out / "model.onnx"
    proto = onnx.load(str(path))
    init = next(i for i in proto.graph.initializer if i.name.startswith("onnx::MatMul"))  # a folded, nameless one
    value = numpy_helper.to_array(init).copy()
    value[0, 0] += 1.0
    init.CopyFrom(numpy_helper.from_array(value, init.name))
    onnx.save(proto, str(path))
    ckpt = recover(str(out))
    changed = [n for n, v in model.state_dict().items() if not torch.equal(v, ckpt["ema"][n])]
    assert len(changed) == 1
    diff = ckpt["ema"][changed[0]] - model.state_dict()[changed[0]]
    assert torch.count_nonzero(diff) == 1 and float(diff.abs().max()) == pytest.approx(1.0, rel=1e-3)


def test_another_architecture_is_refused_and_nothing_written(tmp_path):
    model, tok = tiny_model()
    out = tmp_path / "image"
    write_bundle(model, tok, str(out), weights="fp32")
    target = tmp_path / "ckpt" / "last.pt"
    with pytest.raises(SystemExit, match="architecture"):
        main([str(out), str(target), "--config", "smoke"])
    assert not target.exists() and not (tmp_path / "ckpt").exists()


def test_the_image_trainer_continues_from_a_recovered_bundle(tmp_path):
    model, tok = tiny_model()
    out = tmp_path / "image"
    write_bundle(model, tok, str(out), weights="fp32", training={"samplesSeen": 4000, "stageSamples": [2000, 1000, 1000]})
    ckpt_path = tmp_path / "ckpt" / "last.pt"
    main([str(out), str(ckpt_path)])
    train_main(["--config", "tiny", "--run", str(tmp_path / "run"), "--init", str(ckpt_path), "--synthetic",
                "--stage-samples", "2000,1000,0", "--max-steps", "2", "--threads", "1"])
    after = torch.load(tmp_path / "run" / "last.pt")
    assert after["levels"] == 3 and after["samples_seen"] == 4000 + 2 * 8
    assert after["finished_stage_samples"] == [2000, 1000]
    moved = [n for n, v in model.state_dict().items() if not torch.equal(v, after["model"][n])]
    assert moved  # trained on from the bundle's weights, all levels present
    again = MatryoshkaModel(ModelConfig.from_dict(after["config"]), len(tok.vocab), num_levels=after["levels"])
    again.load_state_dict(after["ema"])


def test_the_clip_trainer_continues_from_a_recovered_clip_bundle_on_its_inner_levels(tmp_path):
    """A fresh clone's route for clips: from_bundle, then the one loop with --init on fewer levels."""
    from training.tests.test_train_clips import packed_dir

    model, tok = tiny_clip_model(seed=7)
    out = tmp_path / "clip"
    write_clip_bundle(model, tok, str(out), weights="fp32",
                      training={"samplesSeen": 1234, "hours": 0.5, "stageSamples": [0, 200, 1034]})
    ckpt_path = tmp_path / "ckpt" / "last.pt"
    main([str(out), str(ckpt_path)])
    train_main(["--config", "clip_tiny", "--run", str(tmp_path / "run"), "--init", str(ckpt_path), "--levels", "2",
                "--data", packed_dir(tmp_path / "packed"), "--batch-size", "2", "--max-steps", "2", "--threads", "1"])
    after = torch.load(tmp_path / "run" / "last.pt")
    assert after["task"] == "clip" and after["levels"] == 2 and after["step"] == 2
    assert after["samples_seen"] == 1234 + 2 * 2 and after["samples_by_levels"] == {"2": 204, "3": 1034}
    # Its two levels started as the bundle's inner two (moved by two steps only).
    inner = model.state_dict()["unet.inner.conv_in.weight"]
    assert (after["ema"]["unet.conv_in.weight"] - inner).abs().max() < 0.1 * inner.abs().max() + 1e-3
