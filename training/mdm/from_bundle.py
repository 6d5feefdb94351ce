"""Recover a training checkpoint from a shipped bundle, so a fresh clone can keep training the model
it ships (training checkpoints never leave the machine that made them; the bundle does).

    python3 -m training.mdm.from_bundle models/emoji-clip-64 training/runs/shipped-clip/last.pt
    python3 -m training.train --config clip64 --run training/runs/clip64-more --init training/runs/shipped-clip/last.pt

The ONNX graph keeps most weights under their PyTorch names, but constant folding turns others into
anonymous initialisers (a Linear's weight becomes a transposed MatMul operand). The graph is traced
the same way every time, so the map is learnt from a twin: the same architecture with a distinct random
value in every parameter is exported, each of its initialisers is identified as a parameter (as is,
transposed or reshaped) or as a constant (equal in a second twin), and the bundle's initialisers are
read through that map, keyed by the graph nodes that read them. The recovery is checked by exporting the recovered model again: every
initialiser must come out bit-identical to the bundle's, or nothing is written.

The weights are the bundle's (fp16-rounded when it ships fp16); the checkpoint holds them as both the
model and its EMA, with the bundle's training record (clips/images seen, hours per hardware).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import tempfile
from typing import Dict, List, Optional, Tuple

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper

from . import checkpoint
from . import configs
from .config import ModelConfig, load_config
from .export import export_onnx
from .model import MatryoshkaModel
from .tokenizer import Tokenizer
from .clip_model import ClipModel


FP16_SUFFIX = "__fp16"  # export.cast_initializers_to_fp16 stores big tensors under this suffix

# How a graph initialiser derives from a parameter.
AS_IS, TRANSPOSED, RESHAPED = "as-is", "transposed", "reshaped"


def config_for(bundle_id: str) -> Tuple[str, ModelConfig]:
    """The config (by module name) whose id is the bundle's."""
    for info in pkgutil.iter_modules(configs.__path__):
        cfg = load_config(info.name)
        if cfg.id == bundle_id:
            return info.name, cfg
    raise SystemExit(f"no config under training/mdm/configs has id {bundle_id!r}")


def build_model(name: str, cfg: ModelConfig, manifest: dict, vocab_size: int) -> nn.Module:
    levels = len(manifest["levels"])
    if manifest.get("task") == "clip":
        frames = list(importlib.import_module(f"training.mdm.configs.{name}").FRAMES)
        shipped = [lv["frames"] for lv in manifest["levels"]]
        if frames[len(frames) - levels:] != shipped:
            raise SystemExit(f"config {name} draws frames {frames}, the bundle {shipped}")
        return ClipModel(cfg, vocab_size, frames, manifest["clip"].get("temporalAttention", "attn"), num_levels=levels)
    return MatryoshkaModel(cfg, vocab_size, num_levels=levels)


def graph_initialisers(path: str) -> List[Tuple[str, np.ndarray, List[str]]]:
    """(name without the fp16 suffix, fp32 value, the nodes reading it as "node:input") in graph order.
    Nodes are named by module scope and stay put when the exporter merges equal initialisers (as it
    does for untrained weights), so they, not initialiser names or positions, tie a bundle to its twin."""
    proto = onnx.load(path)
    readers: Dict[str, List[onnx.NodeProto]] = {}
    for node in proto.graph.node:
        for name in node.input:
            readers.setdefault(name, []).append(node)

    def read_by(name: str) -> List[str]:
        out = []
        for node in readers.get(name, []):
            if node.op_type == "Identity":  # how the exporter lets one merged initialiser feed several weights
                out += read_by(node.output[0])
            else:
                out += [f"{node.name}:{i}" for i, x in enumerate(node.input) if x == name]
        return sorted(set(out))

    out = []
    for init in proto.graph.initializer:
        name = init.name[: -len(FP16_SUFFIX)] if init.name.endswith(FP16_SUFFIX) else init.name
        out.append((name, numpy_helper.to_array(init).astype(np.float32), read_by(name)))
    return out


def fill_distinct(model: nn.Module, seed: int) -> Dict[str, np.ndarray]:
    """Give every parameter values no other parameter (or transpose) shares; returns them by name."""
    g = torch.Generator().manual_seed(seed)
    values = {}
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(torch.randn(p.shape, generator=g))
            values[name] = p.detach().numpy().copy()
    return values


def export_twin(model: nn.Module, folder: str, seed: int):
    values = fill_distinct(model, seed)
    path = os.path.join(folder, f"twin{seed}.onnx")
    export_onnx(model, path, weights="fp32")
    return values, graph_initialisers(path)


def identify(value: np.ndarray, params: Dict[str, np.ndarray], by_shape: Dict[tuple, List[str]]) -> Optional[Tuple[str, str]]:
    """(parameter, how) whose values this initialiser carries, or None."""
    for name in by_shape.get(value.shape, []):
        if np.array_equal(params[name], value):
            return name, AS_IS
    if value.ndim == 2:
        for name in by_shape.get(value.shape[::-1], []):
            if np.array_equal(params[name].T, value):
                return name, TRANSPOSED
    for name, p in params.items():
        if p.size == value.size and p.shape != value.shape and np.array_equal(p.reshape(value.shape), value):
            return name, RESHAPED
    return None


def learn_map(model: nn.Module) -> Tuple[Dict[str, Tuple[str, str]], List[str]]:
    """Per graph reader ("node:input") of a weight-carrying initialiser: (the parameter, how); and the
    parameters the graph does not carry at all. Readers of constants (equal in both twins) are left out."""
    with tempfile.TemporaryDirectory() as tmp:
        values_a, graph_a = export_twin(model, tmp, seed=1)
        _, graph_b = export_twin(model, tmp, seed=2)
    if [r for _, _, r in graph_a] != [r for _, _, r in graph_b]:
        raise RuntimeError("two exports of one architecture gave different graphs")
    by_shape: Dict[tuple, List[str]] = {}
    for name, v in values_a.items():
        by_shape.setdefault(v.shape, []).append(name)
    mapping: Dict[str, Tuple[str, str]] = {}
    for (name, a, readers), (_, b, _) in zip(graph_a, graph_b):
        found = identify(a, values_a, by_shape)
        if found is None:
            if not np.array_equal(a, b):
                raise RuntimeError(f"initialiser {name} depends on the weights in a way this tool cannot invert")
            continue
        for reader in readers:
            mapping[reader] = found
    carried = {param for param, _ in mapping.values()}
    return mapping, [n for n in values_a if n not in carried]


def recover_state(model: nn.Module, bundle_graph, mapping: Dict[str, Tuple[str, str]]) -> None:
    """Load the bundle's initialisers into the model's parameters through the learnt map."""
    params = dict(model.named_parameters())
    seen: Dict[str, np.ndarray] = {}
    for name, value, readers in bundle_graph:
        for reader in readers:
            if reader not in mapping:
                continue
            param, how = mapping[reader]
            target = params[param]
            if value.size != target.numel():
                raise SystemExit(f"the bundle's graph does not match this architecture: {name} has {value.size} "
                                 f"values where {param} has {target.numel()}")
            v = (value.T if how == TRANSPOSED else value).reshape(tuple(target.shape))
            if param in seen and not np.array_equal(seen[param], v):
                raise SystemExit(f"{param} appears twice in the bundle with different values")
            seen[param] = v
            with torch.no_grad():
                target.copy_(torch.from_numpy(np.ascontiguousarray(v)))
    missing = [p for p in params if p not in seen]
    if missing:
        raise SystemExit(f"the bundle's graph does not match this architecture: {len(missing)} of its {len(params)} "
                         f"parameters were not found (e.g. {missing[:2]}); another config, or another PyTorch's exporter?")


def verify(model: nn.Module, bundle_graph, weights: str) -> None:
    """Export the recovered model as the bundle was exported; every initialiser must match exactly."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "again.onnx")
        export_onnx(model, path, weights=weights)
        again = graph_initialisers(path)
    if len(again) != len(bundle_graph):
        raise SystemExit("recovered weights do not reproduce the bundle's graph")
    for (name, a, _), (_, b, _) in zip(again, bundle_graph):
        if a.shape != b.shape or not np.array_equal(a, b):
            raise SystemExit(f"recovered weights do not reproduce the bundle: initialiser {name} differs")


def recover(bundle: str, config: Optional[str] = None) -> dict:
    """A training checkpoint (as training.train writes them) holding the bundle's weights."""
    with open(os.path.join(bundle, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    if config:
        name, cfg = config, load_config(config)
    else:
        name, cfg = config_for(manifest["id"])
    with open(os.path.join(bundle, manifest["text"]["tokenizer"]), encoding="utf-8") as f:
        tok_json = json.load(f)
    tok = Tokenizer.from_json(tok_json)
    model = build_model(name, cfg, manifest, len(tok.vocab)).eval()
    mapping, absent = learn_map(model)
    if absent:
        raise SystemExit(f"the graph does not carry {len(absent)} parameters (e.g. {absent[:3]}): cannot recover them")
    graph = graph_initialisers(os.path.join(bundle, manifest["onnx"]["file"]))
    recover_state(model, graph, mapping)
    verify(model, graph, manifest["onnx"].get("weights", "fp32"))
    state = model.state_dict()
    info = manifest.get("training", {})
    hours = info.get("hoursByHardware") or {info.get("hardware", "unknown"): info.get("hours", 0.0)}
    ckpt = {
        "config": cfg.to_dict(), "tokenizer": tok_json, "model": state, "ema": state,
        "levels": len(manifest["levels"]), "step": 0, "samples_seen": int(info.get("samplesSeen", 0)),
        "train_seconds": 3600.0 * sum(hours.values()), "hardware_seconds": {h: 3600.0 * s for h, s in hours.items()},
        "recovered_from": {"bundle": manifest["id"], "sha256": manifest["files"][manifest["onnx"]["file"]]["sha256"]},
    }
    stages = [int(n) for n in info.get("stageSamples") or []]  # samples per progressive stage, for the FLOPs
    if manifest.get("task") == "clip":
        ckpt["frames"], ckpt["temporal_attention"] = model.all_frames, model.temporal_attention
        ckpt["init_samples"] = int(info.get("initImageSamples", 0))
        ckpt["samples_by_levels"] = {str(n + 1): s for n, s in enumerate(stages) if s}
    else:  # what train.py --init reads: the bundle's levels are its config's last stage of that many levels
        ckpt["stage"] = max(i for i, st in enumerate(cfg.train.stages) if st.levels == ckpt["levels"])
        ckpt.update(stage_step=0, stage_seconds=0.0, finished_stage_samples=stages[:-1] or None,
                    stage_samples=stages[-1] if stages else 0)
    return ckpt


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bundle", help="a bundle folder (manifest.json, model.onnx, tokenizer.json)")
    ap.add_argument("out", help="where to write the checkpoint (.pt)")
    ap.add_argument("--config", help="config module name (default: the one whose id is the bundle's)")
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    ckpt = recover(args.bundle, args.config)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    checkpoint.save(ckpt, args.out)
    n = sum(v.numel() for v in ckpt["ema"].values())
    print(f"{args.out}: {n:,} weights of {ckpt['recovered_from']['bundle']}, checked against the bundle's graph")


if __name__ == "__main__":
    main()
