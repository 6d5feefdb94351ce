"""Write a model bundle (docs/model-bundle.md): model.onnx, tokenizer.json, cards and a manifest
with the size and sha256 of every file.

    python3 -m training.mdm.export --checkpoint training/runs/emoji64/last.pt --out models/emoji-64 \
        --weights fp16 --model-card card.md --data-card training/data/DATA_CARD.md
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import tempfile
import warnings
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper

from . import checkpoint
from .config import ModelConfig
from .flops import run_flops
from .model import MatryoshkaModel
from .rehash import NOT_LISTED
from .tokenizer import Tokenizer

OPSET = 17


class OnnxStep(nn.Module):
    """Positional inputs/outputs in the bundle's order: x_<r>..., t, tokens, ngrams -> v_<r>..."""

    def __init__(self, model: MatryoshkaModel):
        super().__init__()
        self.model = model
        self.n = len(model.resolutions)

    def forward(self, *args):
        xs = list(args[: self.n])
        t, tokens, ngrams = args[self.n :]
        return tuple(self.model(xs, t, tokens, ngrams))


def example_inputs(model: nn.Module, batch: int = 2, seed: int = 0):
    """Random inputs in the graph's layout: each level [B, C, r, r], or [B, C, F, r, r] for a clip
    model (one with `frames` per level); then t, tokens and n-grams with a few real-looking rows."""
    g = torch.Generator().manual_seed(seed)
    cfg = model.cfg
    frames = getattr(model, "frames", None)
    shapes = (
        [(cfg.channels, r, r) for r in model.resolutions]
        if frames is None
        else [(cfg.channels, f, r, r) for f, r in zip(frames, model.resolutions)]
    )
    xs = [torch.randn(batch, *shape, generator=g) for shape in shapes]
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


def export_onnx(model: nn.Module, path: str, weights: str = "fp32") -> None:
    """One denoising step of an image or clip model as ONNX; only the batch axis is dynamic."""
    model = model.eval().float()
    res = model.resolutions
    xs, t, tokens, ngrams = example_inputs(model)
    input_names = [f"x_{r}" for r in res] + ["t", "tokens", "ngrams"]
    output_names = [f"v_{r}" for r in res]
    dynamic = {n: {0: "batch"} for n in input_names + output_names}
    # The tracer warns about the head-size constant and prim::Constant shape inference; both are
    # fixed by design (the batch axis is the only dynamic one), so keep the output readable.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", category=torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", message="The shape inference of prim::Constant")
        torch.onnx.export(
            OnnxStep(model),
            tuple(xs) + (t, tokens, ngrams),
            path,
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=dynamic,
            opset_version=OPSET,
            do_constant_folding=True,
        )
    proto = onnx.load(path)
    if weights == "fp16":
        proto = cast_initializers_to_fp16(proto)
    onnx.checker.check_model(proto)
    onnx.save(proto, path)


def cast_initializers_to_fp16(proto: onnx.ModelProto, min_elements: int = 16) -> onnx.ModelProto:
    """Store large float initialisers as fp16 and Cast them back to fp32 at the top of the graph,
    halving the file while the arithmetic stays fp32 (the engine needs no fp16 kernels)."""
    graph = proto.graph
    casts = []
    keep = []
    for init in graph.initializer:
        if init.data_type == TensorProto.FLOAT and int(np.prod(init.dims)) >= min_elements:
            arr = numpy_helper.to_array(init).astype(np.float16)
            half = numpy_helper.from_array(arr, init.name + "__fp16")
            keep.append(half)
            casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT, name=init.name + "__cast"))
        else:
            keep.append(init)
    del graph.initializer[:]
    graph.initializer.extend(keep)
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(casts + nodes)
    return proto


def round_weights_to_fp16(model: nn.Module, min_elements: int = 16) -> None:
    """Make a torch model compute with exactly the weights an fp16 bundle carries (for parity)."""
    with torch.no_grad():
        for p in model.parameters():
            if p.numel() >= min_elements:
                p.copy_(p.half().float())


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest(cfg: ModelConfig, model: MatryoshkaModel, out_dir: str, weights: str, training: dict) -> dict:
    files = {}
    for name in sorted(os.listdir(out_dir)):
        p = os.path.join(out_dir, name)
        if name not in NOT_LISTED and os.path.isfile(p):
            files[name] = {"sha256": sha256_file(p), "bytes": os.path.getsize(p)}
    sc, sm = cfg.schedule, cfg.sampling
    return {
        "format": "matryoshka-bundle",
        "formatVersion": 1,
        "id": cfg.id,
        "name": cfg.name,
        "description": cfg.description,
        "task": "image",
        "license": cfg.license,
        "channels": cfg.channels,
        "levels": [{"resolution": r, "input": f"x_{r}", "output": f"v_{r}"} for r in model.resolutions],
        "schedule": {
            "type": "cosine-logsnr",
            "logsnrMin": sc.logsnr_min,
            "logsnrMax": sc.logsnr_max,
            "shift": {"baseResolution": sc.shift_base, "power": sc.shift_power},
        },
        "prediction": cfg.prediction,
        "sampling": {
            "sampler": sm.sampler,
            "steps": sm.steps,
            "guidance": sm.guidance,
            "x0": {"clip": sm.clip, "dynamicThreshold": sm.dynamic_threshold},
        },
        "text": {
            "tokenizer": "tokenizer.json",
            "maxTokens": cfg.text.max_tokens,
            "ngramsPerToken": cfg.text.ngrams_per_token,
        },
        "onnx": {"file": "model.onnx", "opset": OPSET, "weights": weights},
        "files": files,
        "training": training,
    }


def write_bundle(
    model: MatryoshkaModel,
    tokenizer: Tokenizer,
    out_dir: str,
    weights: str = "fp32",
    model_card: Optional[str] = None,
    data_card: Optional[str] = None,
    training: Optional[dict] = None,
    extra_files: Sequence[str] = (),
) -> dict:
    """An image bundle (format version 1) at out_dir."""
    card = model_card or default_model_card(model.cfg, model, training or {})
    return assemble_bundle(
        model, tokenizer, out_dir, weights, card, data_card, training, extra_files,
        lambda folder, info: manifest(model.cfg, model, folder, weights, info),
    )


def assemble_bundle(
    model: nn.Module,
    tokenizer: Tokenizer,
    out_dir: str,
    weights: str,
    model_card: str,
    data_card: Optional[str],
    training: Optional[dict],
    extra_files: Sequence[str],
    build_manifest: Callable[[str, dict], dict],
) -> dict:
    """Writes every file of a bundle, then `build_manifest(folder, training info)` over them, into a
    temporary folder beside out_dir that replaces out_dir only when complete, so a failed export
    never leaves a half bundle behind. Returns the manifest."""
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".bundle-", dir=parent)
    try:
        export_onnx(model, os.path.join(tmp, "model.onnx"), weights)
        tokenizer.save(os.path.join(tmp, "tokenizer.json"))
        with open(os.path.join(tmp, "MODEL_CARD.md"), "w", encoding="utf-8") as f:
            f.write(model_card)
        if data_card:
            shutil.copyfile(data_card, os.path.join(tmp, "DATA_CARD.md"))
        for path in extra_files:  # e.g. the sample grid the model card shows; hashed like the rest
            shutil.copyfile(path, os.path.join(tmp, os.path.basename(path)))
        info = {
            "parameters": sum(p.numel() for p in model.parameters()),
            "samplesSeen": 0,
            "hardware": "",
            "hours": 0,
            "fixture": model.cfg.fixture,
        }
        info.update(training or {})
        man = build_manifest(tmp, info)
        with open(os.path.join(tmp, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump(man, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a bundle is meant to be shared
        if os.path.isdir(out_dir):
            shutil.rmtree(out_dir)
        os.replace(tmp, out_dir)
        return man
    finally:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp)


def default_model_card(cfg: ModelConfig, model: MatryoshkaModel, training: dict) -> str:
    params = sum(p.numel() for p in model.parameters())
    res = "/".join(str(r) for r in model.resolutions)
    lines = [
        f"# {cfg.name}",
        "",
        cfg.description,
        "",
        f"- Architecture: nested UNet (Matryoshka Diffusion), levels {res} px, {params:,} parameters,",
        "  jointly trained word + character n-gram text encoder, v-prediction, cosine log-SNR schedule.",
        f"- Training: {training.get('samplesSeen', 0):,} samples, {training.get('hours', 0)} h on {training.get('hardware', '?')}.",
    ]
    if cfg.fixture:
        lines += ["", "**Random weights: a test fixture, not a model. It draws noise.**"]
    return "\n".join(lines) + "\n"


def stage_samples(ckpt: dict, override: Optional[str] = None) -> Optional[List[int]]:
    """Samples seen in each progressive stage so far, or None where the checkpoint cannot tell."""
    if override:
        stages = [int(v) for v in override.split(",")]
        if sum(stages) != int(ckpt.get("samples_seen", 0)):
            raise SystemExit(f"--stage-samples add up to {sum(stages)}, the checkpoint saw {ckpt.get('samples_seen')}")
        return stages
    done = ckpt.get("finished_stage_samples")
    return None if done is None else list(done) + [int(ckpt["stage_samples"])]


def hours_by_hardware(seconds: dict) -> dict:
    """Training hours per machine (a run that moved between a CPU and a lent GPU), for the manifest."""
    return {hw: round(s / 3600, 3) for hw, s in seconds.items() if s > 0}


def load_checkpoint(path: str, build: Callable[[ModelConfig, int, dict], nn.Module], use_ema: bool = True):
    """(model, tokenizer, checkpoint dict) from a training checkpoint, the model made by
    `build(config, vocabulary size, checkpoint)`; EMA weights by default."""
    ckpt = checkpoint.load(path)
    cfg = ModelConfig.from_dict(ckpt["config"])
    tokenizer = Tokenizer.from_checkpoint(ckpt["tokenizer"])
    model = build(cfg, len(tokenizer.vocab), ckpt)
    model.load_state_dict(ckpt["ema"] if use_ema else ckpt["model"])
    return model.eval(), tokenizer, ckpt


def load_checkpoint_model(path: str, use_ema: bool = True):
    """An image model's checkpoint (see load_checkpoint)."""
    return load_checkpoint(path, lambda cfg, vocab, ckpt: MatryoshkaModel(cfg, vocab, num_levels=ckpt["levels"]), use_ema)


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--weights", choices=["fp32", "fp16"], default="fp16")
    ap.add_argument("--model-card")
    ap.add_argument("--data-card")
    ap.add_argument("--hardware", default="")
    ap.add_argument("--raw", action="store_true", help="export the raw weights instead of the EMA")
    ap.add_argument("--extra", nargs="*", default=[], help="more files to ship in the bundle (e.g. samples.png)")
    ap.add_argument("--license", help="SPDX id overriding the config's")
    ap.add_argument("--stage-samples", help="samples per progressive stage, e.g. 73184,12888,19680, for runs whose "
                    "checkpoint predates the record of them (gives the manifest's training FLOPs)")
    args = ap.parse_args(argv)
    model, tok, ckpt = load_checkpoint_model(args.checkpoint, use_ema=not args.raw)
    if args.license:
        model.cfg.license = args.license
    card = open(args.model_card, encoding="utf-8").read() if args.model_card else None
    training = {
        "samplesSeen": int(ckpt.get("samples_seen", 0)),
        "hours": round(ckpt.get("train_seconds", 0.0) / 3600, 2),
        "hardware": args.hardware or ckpt.get("hardware", ""),
    }
    if ckpt.get("hardware_seconds"):
        training["hoursByHardware"] = hours_by_hardware(ckpt["hardware_seconds"])
    stages = stage_samples(ckpt, args.stage_samples)
    if stages is not None:
        training["stageSamples"] = stages
        training["flops"] = run_flops(model.cfg, len(tok.vocab), stages)
    man = write_bundle(model, tok, args.out, args.weights, card, args.data_card, training, args.extra)
    total = sum(f["bytes"] for f in man["files"].values())
    print(f"wrote {args.out}: levels {[l['resolution'] for l in man['levels']]}, {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
