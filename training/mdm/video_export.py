"""Write a clip bundle (docs/model-bundle.md, format version 2, task "clip") or the clip test fixture.

    python3 -m training.mdm.video_export --checkpoint training/runs/clip64/last.pt --out models/emoji-clip-64 \
        --model-card card.md --data-card training/data/DATA_CARD.md
    python3 -m training.mdm.video_export --fixture     # test/fixtures/tiny-clip-bundle + parity/clip-step.json

The graph takes each level as [B, C, F, r, r] with F fixed per level and only B dynamic: frames are
folded into the batch inside the graph with static reshapes, which ONNX exports cleanly, while the
engine sees one tensor per level and never has to know how the network arranges its frames.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import tempfile
from typing import List, Optional

import onnx
import torch

from .export import OPSET, OnnxStep, cast_initializers_to_fp16, manifest as image_manifest
from .fixtures import CAPTIONS, FIXTURES, _write_json, tensor_json
from .config import load_config
from .tokenizer import Tokenizer
from .video import ClipModel

FORMAT_VERSION = 2


def example_clip_inputs(model: ClipModel, batch: int = 2, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    cfg = model.cfg
    xs = [torch.randn(batch, cfg.channels, f, r, r, generator=g) for f, r in zip(model.frames, model.resolutions)]
    t = torch.rand(batch, generator=g)
    L, G = cfg.text.max_tokens, cfg.text.ngrams_per_token
    tokens = torch.zeros(batch, L, dtype=torch.long)
    ngrams = torch.zeros(batch, L, G, dtype=torch.long)
    tokens[:, 0] = 2
    for b in range(batch):
        n = 1 + b % (L - 1)
        tokens[b, 1 : n + 1] = torch.randint(1, model.vocab_size, (n,), generator=g)
        ngrams[b, 1 : n + 1, : G // 2] = torch.randint(1, cfg.text.ngram_buckets + 1, (n, G // 2), generator=g)
    return xs, t, tokens, ngrams


def export_clip_onnx(model: ClipModel, path: str, weights: str = "fp32") -> None:
    model = model.eval().float()
    res = model.resolutions
    xs, t, tokens, ngrams = example_clip_inputs(model)
    input_names = [f"x_{r}" for r in res] + ["t", "tokens", "ngrams"]
    output_names = [f"v_{r}" for r in res]
    with torch.no_grad():
        torch.onnx.export(
            OnnxStep(model), tuple(xs) + (t, tokens, ngrams), path,
            input_names=input_names, output_names=output_names,
            dynamic_axes={n: {0: "batch"} for n in input_names + output_names},
            opset_version=OPSET, do_constant_folding=True,
        )
    proto = onnx.load(path)
    if weights == "fp16":
        proto = cast_initializers_to_fp16(proto)
    onnx.checker.check_model(proto)
    onnx.save(proto, path)


def clip_manifest(model: ClipModel, out_dir: str, weights: str, training: dict, fps: int) -> dict:
    man = image_manifest(model.cfg, model, out_dir, weights, training)
    man["formatVersion"] = FORMAT_VERSION
    man["task"] = "clip"
    for level, f in zip(man["levels"], model.frames):
        level["frames"] = f
    man["clip"] = {"frames": model.frames[0], "fps": fps, "loop": True}
    return man


def write_clip_bundle(model: ClipModel, tokenizer: Tokenizer, out_dir: str, weights: str = "fp32",
                      model_card: Optional[str] = None, data_card: Optional[str] = None,
                      training: Optional[dict] = None, fps: int = 8) -> dict:
    """Like export.write_bundle: built in a temporary folder, moved into place only when complete."""
    cfg = model.cfg
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".bundle-", dir=parent)
    try:
        export_clip_onnx(model, os.path.join(tmp, "model.onnx"), weights)
        tokenizer.save(os.path.join(tmp, "tokenizer.json"))
        params = sum(p.numel() for p in model.parameters())
        card = model_card or (
            f"# {cfg.name}\n\n{cfg.description}\n\n- Nested UNet with temporal layers, levels "
            + ", ".join(f"{r} px x {f} frames" for r, f in zip(model.resolutions, model.frames))
            + f", {params:,} parameters.\n"
            + ("\n**Random weights: a test fixture, not a model. It draws noise.**\n" if cfg.fixture else "")
        )
        with open(os.path.join(tmp, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
            f.write(card)
        if data_card:
            shutil.copyfile(data_card, os.path.join(tmp, "DATA_CARD.md"))
        info = {"parameters": params, "samplesSeen": 0, "hardware": "", "hours": 0, "fixture": cfg.fixture}
        info.update(training or {})
        man = clip_manifest(model, tmp, weights, info, fps)
        with open(os.path.join(tmp, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump(man, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.chmod(tmp, 0o755)
        if os.path.isdir(out_dir):
            shutil.rmtree(out_dir)
        os.replace(tmp, out_dir)
        return man
    finally:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp)


def tiny_clip_model(seed: int = 4321):
    cfg = load_config("clip_tiny")
    frames = importlib.import_module("training.mdm.configs.clip_tiny").FRAMES
    tok = Tokenizer.for_config(cfg.text, CAPTIONS + ["a red apple bouncing", "a yellow star spinning"])
    torch.manual_seed(seed)
    model = ClipModel(cfg, len(tok.vocab), frames)
    # Zero-initialised layers (adapters, temporal projections) would hide a broken engine; randomise them.
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if torch.count_nonzero(p) == 0 and not name.endswith("word.weight") and not name.endswith("ngram.weight"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
    return model.eval(), tok


def write_fixture() -> None:
    torch.set_num_threads(1)
    model, tok = tiny_clip_model()
    write_clip_bundle(model, tok, os.path.join(FIXTURES, "tiny-clip-bundle"), weights="fp32",
                      training={"samplesSeen": 0, "hardware": "none (random weights)", "hours": 0, "fixture": True})
    xs, t, tokens, ngrams = example_clip_inputs(model, batch=2, seed=11)
    t[0] = 1.0
    with torch.no_grad():
        outs = model(xs, t, tokens, ngrams)
    res = model.resolutions
    _write_json(os.path.join(FIXTURES, "parity", "clip-step.json"), {
        "about": "Inputs and PyTorch (fp32) outputs of test/fixtures/tiny-clip-bundle for one step, levels "
        "[B, C, F, r, r]; onnxruntime must match within `tolerance` (max abs diff). Little-endian base64.",
        "bundle": "tiny-clip-bundle",
        "tolerance": 1e-4,
        "inputs": {**{f"x_{r}": tensor_json(x.numpy()) for r, x in zip(res, xs)}, "t": tensor_json(t.numpy()),
                   "tokens": tensor_json(tokens.numpy()), "ngrams": tensor_json(ngrams.numpy())},
        "outputs": {f"v_{r}": tensor_json(o.numpy()) for r, o in zip(res, outs)},
    })


def load_clip_checkpoint(path: str, use_ema: bool = True):
    from .config import ModelConfig

    ckpt = torch.load(path, map_location="cpu")
    cfg = ModelConfig.from_dict(ckpt["config"])
    tok = Tokenizer.from_json(ckpt["tokenizer"])
    model = ClipModel(cfg, len(tok.vocab), ckpt["frames"], num_levels=ckpt.get("levels"))
    model.load_state_dict(ckpt["ema"] if use_ema else ckpt["model"])
    return model.eval(), tok, ckpt


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixture", action="store_true")
    ap.add_argument("--checkpoint")
    ap.add_argument("--out")
    ap.add_argument("--weights", choices=["fp32", "fp16"], default="fp16")
    ap.add_argument("--model-card")
    ap.add_argument("--data-card")
    ap.add_argument("--fps", type=int, default=8)
    args = ap.parse_args(argv)
    if args.fixture:
        write_fixture()
        print(f"wrote {FIXTURES}/tiny-clip-bundle and parity/clip-step.json")
        return
    if not (args.checkpoint and args.out):
        ap.error("--checkpoint and --out are required (or --fixture)")
    model, tok, ckpt = load_clip_checkpoint(args.checkpoint)
    card = open(args.model_card, encoding="utf-8").read() if args.model_card else None
    training = {"samplesSeen": int(ckpt.get("samples_seen", 0)), "hours": round(ckpt.get("train_seconds", 0) / 3600, 2),
                "hardware": ckpt.get("hardware", "")}
    man = write_clip_bundle(model, tok, args.out, args.weights, card, args.data_card, training, args.fps)
    total = sum(f["bytes"] for f in man["files"].values())
    print(f"wrote {args.out}: {[(l['resolution'], l['frames']) for l in man['levels']]}, {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
