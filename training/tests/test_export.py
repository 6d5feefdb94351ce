import base64
import hashlib
import json
import os
import shutil

import numpy as np
import onnx
import pytest
import torch

from training.mdm.export import cast_initializers_to_fp16, export_onnx, round_weights_to_fp16, write_bundle
from training.mdm.fixtures import SAMPLE_CASES, tiny_model
from training.mdm.sample import sample, torch_denoiser

FIX = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures")


def decode(t):
    dtype = {"float32": np.float32, "int64": np.int64, "uint8": np.uint8}[t["dtype"]]
    return np.frombuffer(base64.b64decode(t["base64"]), dtype=dtype).reshape(t["shape"])


def test_tiny_bundle_manifest_matches_its_files():
    d = os.path.join(FIX, "tiny-bundle")
    man = json.load(open(os.path.join(d, "manifest.json")))
    assert man["format"] == "matryoshka-bundle" and man["formatVersion"] == 1
    assert man["training"]["fixture"] is True and man["id"] == "tiny-bundle"
    assert [lv["resolution"] for lv in man["levels"]] == [64, 32, 16]
    assert set(man["files"]) == set(os.listdir(d)) - {"manifest.json"}
    total = 0
    for name, info in man["files"].items():
        data = open(os.path.join(d, name), "rb").read()
        assert len(data) == info["bytes"] and hashlib.sha256(data).hexdigest() == info["sha256"], name
        total += len(data)
    assert total < 1_000_000


def test_onnx_graph_has_the_bundle_interface():
    m = onnx.load(os.path.join(FIX, "tiny-bundle", "model.onnx"))
    assert m.opset_import[0].version == 17
    ins = {i.name: i for i in m.graph.input}
    assert list(ins) == ["x_64", "x_32", "x_16", "t", "tokens", "ngrams"]
    assert [o.name for o in m.graph.output] == ["v_64", "v_32", "v_16"]
    for i in list(m.graph.input) + list(m.graph.output):
        assert i.type.tensor_type.shape.dim[0].dim_param  # dynamic batch
    assert ins["tokens"].type.tensor_type.elem_type == onnx.TensorProto.INT64


def test_committed_step_fixture_matches_the_current_model_code():
    model, _ = tiny_model()
    doc = json.load(open(os.path.join(FIX, "parity", "step.json")))
    res = model.resolutions
    xs = [torch.from_numpy(decode(doc["inputs"][f"x_{r}"]).copy()) for r in res]
    args = [torch.from_numpy(decode(doc["inputs"][k]).copy()) for k in ("t", "tokens", "ngrams")]
    with torch.no_grad():
        outs = model(xs, *args)
    for r, o in zip(res, outs):
        ref = decode(doc["outputs"][f"v_{r}"])
        assert np.abs(o.numpy() - ref).max() < 1e-5
        assert np.abs(ref).mean() > 0.01  # a zero output would make parity meaningless


def test_committed_sample_fixture_matches_the_reference_sampler():
    model, tok = tiny_model()
    doc = json.load(open(os.path.join(FIX, "parity", "samples.json")))
    assert {c["sampler"] for c in doc["cases"]} == {"ddim", "ddpm", "dpmpp-2m"}
    den = torch_denoiser(model)
    for case, spec in zip(doc["cases"], SAMPLE_CASES):
        r = sample(den, tok, model.cfg.schedule, model.resolutions, spec["prompt"], spec["seed"], steps=spec["steps"],
                   guidance=spec["guidance"], sampler=spec["sampler"], negative_prompt=spec.get("negativePrompt", ""))
        diff = np.abs(r.pixels.astype(int) - decode(case["pixels"]).astype(int))
        assert diff.max() <= 1, case["sampler"]
    pixels = [decode(c["pixels"]) for c in doc["cases"]]
    assert not np.array_equal(pixels[0], pixels[1])  # samplers really differ


def test_fp16_weights_halve_the_file_and_stay_close(tmp_path):
    model, tok = tiny_model()
    p32, p16 = str(tmp_path / "a.onnx"), str(tmp_path / "b.onnx")
    export_onnx(model, p32, "fp32")
    export_onnx(model, p16, "fp16")
    m16 = onnx.load(p16)
    onnx.checker.check_model(m16)
    n16 = sum(1 for i in m16.graph.initializer if i.data_type == onnx.TensorProto.FLOAT16)
    assert n16 > 20 and any(n.op_type == "Cast" for n in m16.graph.node)
    init32 = sum(len(i.raw_data) for i in onnx.load(p32).graph.initializer)
    init16 = sum(len(i.raw_data) for i in m16.graph.initializer)
    assert init16 < 0.6 * init32
    # Quality: the fp16-rounded weights give nearly the same prediction.
    rounded, _ = tiny_model()
    round_weights_to_fp16(rounded)
    from training.mdm.export import example_inputs

    xs, t, tk, ng = example_inputs(model)
    with torch.no_grad():
        a, b = model(xs, t, tk, ng), rounded(xs, t, tk, ng)
    for x, y in zip(a, b):
        assert (x - y).abs().max() < 1e-2 * (1 + x.abs().max())


def test_write_bundle_is_complete(tmp_path):
    model, tok = tiny_model()
    out = tmp_path / "b"
    card = tmp_path / "DATA.md"
    card.write_text("data card")
    grid = tmp_path / "samples.png"
    grid.write_bytes(b"png")
    man = write_bundle(model, tok, str(out), "fp16", data_card=str(card), training={"samplesSeen": 5},
                       extra_files=[str(grid)])
    files = {"model.onnx", "tokenizer.json", "MODEL_CARD.md", "DATA_CARD.md", "samples.png"}
    assert set(os.listdir(out)) == files | {"manifest.json"} and set(man["files"]) == files
    assert man["onnx"]["weights"] == "fp16" and man["training"]["samplesSeen"] == 5
    assert man["training"]["parameters"] == sum(p.numel() for p in model.parameters())


def test_onnxruntime_matches_torch_if_available(tmp_path):
    ort = pytest.importorskip("onnxruntime")  # not packaged for Debian 12: the TS side checks parity
    model, _ = tiny_model()
    p = str(tmp_path / "m.onnx")
    export_onnx(model, p)
    doc = json.load(open(os.path.join(FIX, "parity", "step.json")))
    sess = ort.InferenceSession(p, providers=["CPUExecutionProvider"])
    outs = sess.run(None, {k: decode(v) for k, v in doc["inputs"].items()})
    for o, r in zip(outs, [64, 32, 16]):
        assert np.abs(o - decode(doc["outputs"][f"v_{r}"])).max() <= 1e-4


def test_rehash_relists_edited_and_added_files_and_nothing_else(tmp_path):
    from training.mdm.rehash import rehash

    d = tmp_path / "tiny-bundle"
    shutil.copytree(os.path.join(FIX, "tiny-bundle"), d)
    before = json.load(open(d / "manifest.json"))
    (d / "MODEL_CARD.md").write_text("# edited card\n")
    (d / "eval-heldout.png").write_bytes(b"\x89PNG not really")
    rehash(str(d))
    after = json.load(open(d / "manifest.json"))
    assert {k: v for k, v in after.items() if k != "files"} == {k: v for k, v in before.items() if k != "files"}
    assert after["files"]["model.onnx"] == before["files"]["model.onnx"]
    assert after["files"]["MODEL_CARD.md"] == {
        "sha256": hashlib.sha256(b"# edited card\n").hexdigest(), "bytes": 14}
    assert after["files"]["eval-heldout.png"]["bytes"] == 15
    assert set(after["files"]) == set(os.listdir(d)) - {"manifest.json"}


def test_stage_samples_come_from_the_checkpoint_or_a_checked_override():
    from training.mdm.export import stage_samples

    ck = {"samples_seen": 300, "finished_stage_samples": [100, 50], "stage_samples": 150}
    assert stage_samples(ck) == [100, 50, 150]
    assert stage_samples({"samples_seen": 300, "stage_samples": 150}) is None  # older checkpoints cannot tell
    assert stage_samples({"samples_seen": 300, "stage_samples": 150}, "200,100") == [200, 100]
    with pytest.raises(SystemExit, match="add up to 290"):
        stage_samples(ck, "200,90")


def test_hours_by_hardware_names_each_machine_that_trained_and_skips_idle_ones():
    from training.mdm.export import hours_by_hardware

    assert hours_by_hardware({"2-core CPU (x86_64)": 31347.0, "NVIDIA H200": 449.2, "spare": 0.0}) == {
        "2-core CPU (x86_64)": 8.707, "NVIDIA H200": 0.125}
