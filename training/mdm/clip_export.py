"""Write a clip bundle (docs/model-bundle.md, format version 2, task "clip") or the clip test fixture.

    python3 -m training.mdm.clip_export --checkpoint training/runs/clip64/last.pt --out models/emoji-clip-64 \
        --model-card card.md --data-card training/data/DATA_CARD.md
    python3 -m training.mdm.clip_export --fixture     # test/fixtures/tiny-clip-bundle + parity/clip-step.json

The graph takes each level as [B, C, F, r, r] with F fixed per level and only B dynamic: frames are
folded into the batch inside the graph with static reshapes, which ONNX exports cleanly, while the
engine sees one tensor per level and never has to know how the network arranges its frames.
"""

from __future__ import annotations

import argparse
import importlib
import os
from typing import List, Optional, Sequence

import torch

from .export import assemble_bundle, example_inputs, hours_by_hardware, load_checkpoint, manifest as image_manifest
from .fixtures import CAPTIONS, FIXTURES, _write_json, randomize_zero_layers, tensor_json
from .config import load_config
from .tokenizer import Tokenizer
from .clip_model import ClipModel

FORMAT_VERSION = 2


def clip_manifest(model: ClipModel, out_dir: str, weights: str, training: dict, fps: int) -> dict:
    man = image_manifest(model.cfg, model, out_dir, weights, training)
    man["formatVersion"] = FORMAT_VERSION
    man["task"] = "clip"
    for level, f in zip(man["levels"], model.frames):
        level["frames"] = f
    man["clip"] = {"frames": model.frames[0], "fps": fps, "loop": True}
    if model.temporal_attention != "attn":  # the engine does not need it (it is in the graph); from_bundle does
        man["clip"]["temporalAttention"] = model.temporal_attention
    return man


def write_clip_bundle(model: ClipModel, tokenizer: Tokenizer, out_dir: str, weights: str = "fp32",
                      model_card: Optional[str] = None, data_card: Optional[str] = None,
                      training: Optional[dict] = None, fps: int = 8, extra_files: Sequence[str] = ()) -> dict:
    """A clip bundle (format version 2) at out_dir, written as export.write_bundle writes images."""
    return assemble_bundle(
        model, tokenizer, out_dir, weights, model_card or default_clip_card(model), data_card, training, extra_files,
        lambda folder, info: clip_manifest(model, folder, weights, info, fps),
    )


def default_clip_card(model: ClipModel) -> str:
    cfg = model.cfg
    params = sum(p.numel() for p in model.parameters())
    return (
        f"# {cfg.name}\n\n{cfg.description}\n\n- Nested UNet with temporal layers, levels "
        + ", ".join(f"{r} px x {f} frames" for r, f in zip(model.resolutions, model.frames))
        + f", {params:,} parameters.\n"
        + ("\n**Random weights: a test fixture, not a model. It draws noise.**\n" if cfg.fixture else "")
    )


def tiny_clip_model(seed: int = 4321):
    cfg = load_config("clip_tiny")
    frames = importlib.import_module("training.mdm.configs.clip_tiny").FRAMES
    tok = Tokenizer.for_config(cfg.text, CAPTIONS + ["a red apple bouncing", "a yellow star spinning"])
    torch.manual_seed(seed)
    model = ClipModel(cfg, len(tok.vocab), frames)
    randomize_zero_layers(model, seed)
    return model.eval(), tok


def joint_twin(model: ClipModel, std: float = 0.05) -> ClipModel:
    """`model` with joint attention added, its joint layers random (a fresh one's are zero, and would
    compute exactly what `model` does): a test fixture for the joint mode."""
    joint = ClipModel(model.cfg, model.vocab_size, model.all_frames, "joint").eval()
    joint.load_state_dict(model.state_dict(), strict=False)
    with torch.no_grad():
        for name, p in joint.named_parameters():
            if ".joint_" in name:
                p.normal_(0, std)
    return joint


def write_fixture() -> None:
    torch.set_num_threads(1)
    model, tok = tiny_clip_model()
    write_clip_bundle(model, tok, os.path.join(FIXTURES, "tiny-clip-bundle"), weights="fp32",
                      training={"samplesSeen": 0, "hardware": "none (random weights)", "hours": 0, "fixture": True})
    xs, t, tokens, ngrams = example_inputs(model, batch=2, seed=11)
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
    """A clip model's checkpoint (see export.load_checkpoint)."""
    return load_checkpoint(
        path, lambda cfg, vocab, ckpt: ClipModel(cfg, vocab, ckpt["frames"], ckpt.get("temporal_attention", "attn"),
                                           num_levels=ckpt.get("levels")),
        use_ema,
    )


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fixture", action="store_true")
    ap.add_argument("--checkpoint")
    ap.add_argument("--out")
    ap.add_argument("--weights", choices=["fp32", "fp16"], default="fp16")
    ap.add_argument("--model-card")
    ap.add_argument("--data-card")
    ap.add_argument("--fps", type=int, default=8)
    ap.add_argument("--extra", nargs="*", default=[], help="more files to ship in the bundle (e.g. samples.gif)")
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
    if ckpt.get("hardware_seconds"):
        training["hoursByHardware"] = hours_by_hardware(ckpt["hardware_seconds"])
    if ckpt.get("samples_by_levels"):  # progressive: clips seen with 1, 2, ... levels
        by = ckpt["samples_by_levels"]
        training["stageSamples"] = [int(by.get(str(n), 0)) for n in range(1, len(model.resolutions) + 1)]
    if ckpt.get("init_samples"):  # the image model it started from
        training["initImageSamples"] = int(ckpt["init_samples"])
    if ckpt.get("interpolation"):  # spatial weights averaged back towards an image model (interpolate.py)
        training["imageWeight"] = float(ckpt["interpolation"]["image_weight"])
        training["imageWeightSamples"] = int(ckpt["interpolation"]["image_samples"])
    man = write_clip_bundle(model, tok, args.out, args.weights, card, args.data_card, training, args.fps, args.extra)
    total = sum(f["bytes"] for f in man["files"].values())
    print(f"wrote {args.out}: {[(l['resolution'], l['frames']) for l in man['levels']]}, {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
