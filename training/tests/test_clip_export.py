"""The clip exporter writes a format-2 bundle whose graph takes [B, C, F, r, r] with only B dynamic."""

import json

import numpy as np
import onnx

from training.mdm.clip_export import joint_twin, tiny_clip_model, write_clip_bundle


def test_clip_bundle_manifest_and_graph(tmp_path):
    model, tok = tiny_clip_model()
    out = tmp_path / "tiny-clip"
    man = write_clip_bundle(model, tok, str(out), training={"fixture": True})
    on_disk = json.loads((out / "manifest.json").read_text())
    assert on_disk == man
    assert man["formatVersion"] == 2 and man["task"] == "clip"
    assert [(lv["resolution"], lv["frames"]) for lv in man["levels"]] == [(64, 4), (32, 4), (16, 2)]
    assert man["clip"] == {"frames": 4, "fps": 8, "loop": True}
    assert set(man["files"]) == {"model.onnx", "tokenizer.json", "MODEL_CARD.md"}
    graph = onnx.load(str(out / "model.onnx")).graph

    def dims(v):
        return [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]

    shapes = {v.name: dims(v) for v in list(graph.input) + list(graph.output)}
    for lv in man["levels"]:
        r, f = lv["resolution"], lv["frames"]
        assert shapes[lv["input"]] == ["batch", 3, f, r, r]
        # Outputs come out of a transpose whose sizes the exporter leaves symbolic; the rank is fixed.
        assert len(shapes[lv["output"]]) == 5
    assert shapes["t"] == ["batch"]


def test_a_joint_attention_model_exports_with_the_same_interface(tmp_path):
    model, tok = tiny_clip_model()
    joint = joint_twin(model)
    plain = write_clip_bundle(model, tok, str(tmp_path / "attn"), training={"fixture": True})
    man = write_clip_bundle(joint, tok, str(tmp_path / "joint"), training={"fixture": True})
    assert [lv["input"] for lv in man["levels"]] == [lv["input"] for lv in plain["levels"]]
    ops = [n.op_type for n in onnx.load(str(tmp_path / "joint" / "model.onnx")).graph.node]
    plain_ops = [n.op_type for n in onnx.load(str(tmp_path / "attn" / "model.onnx")).graph.node]
    assert ops.count("Softmax") > plain_ops.count("Softmax")  # the joint attention is in the graph

    # The engine runs it as it is (no engine change for the mode), and the joint layers count: the
    # same seed draws another clip than through the twin without them.
    from training.eval_draw import draw

    clips = {}
    for name in ("attn", "joint"):
        bundle = tmp_path / "models" / name / "tiny-clip-bundle"
        bundle.parent.mkdir(parents=True)
        (tmp_path / name).rename(bundle)
        clips[name] = draw(str(bundle), ["a yellow star spinning"], [1], "ddim", 4, None, str(tmp_path / "work" / name),
                           1, kind="clip")["clips"]
    assert clips["joint"].shape == clips["attn"].shape == (1, 4, 64, 64, 3)
    assert not np.array_equal(clips["joint"], clips["attn"])
