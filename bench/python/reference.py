"""Times the project's Python reference sampler (training/mdm/sample.py, PyTorch eager) on the same
architecture, sampler, steps, guidance and thread count as the engine, for the ratio in the table.

    /usr/bin/python3 bench/python/reference.py --bundle models/emoji-64 --threads 2 \
        --runs dpmpp-2m:20,ddim:10 --guidance 5 --images 2

A bundle holds ONNX only, so the PyTorch model is rebuilt from the training config whose id matches
the manifest, and its parameter count is checked against the manifest. Weights are random unless
--checkpoint is given: sampling time does not depend on the weights' values (no data-dependent
branches), only on shapes. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, ROOT)

import torch  # noqa: E402

from training.mdm.config import ScheduleConfig, load_config  # noqa: E402
from training.mdm.model import MatryoshkaModel  # noqa: E402
from training.mdm.sample import sample, torch_denoiser  # noqa: E402
from training.mdm.tokenizer import Tokenizer  # noqa: E402


def config_for(bundle_id: str):
    """The training config that exports a bundle with this id (configs name themselves via cfg.id)."""
    for path in sorted(glob.glob(os.path.join(ROOT, "training", "mdm", "configs", "*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        if name.startswith("_"):
            continue
        try:
            cfg = load_config(name)
        except Exception:  # a config under construction must not break the bench
            continue
        if cfg.id == bundle_id:
            return name, cfg
    raise SystemExit(f"no training config has id {bundle_id!r}")


def build_model(bundle: str, checkpoint: str | None):
    with open(os.path.join(bundle, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    tokenizer = Tokenizer.load(os.path.join(bundle, manifest["text"]["tokenizer"]))
    name, cfg = config_for(manifest["id"])
    model = MatryoshkaModel(cfg, len(tokenizer.vocab), num_levels=len(manifest["levels"]))
    weights = "random"
    if checkpoint:
        ckpt = torch.load(checkpoint, map_location="cpu")
        model.load_state_dict(ckpt["ema"])
        weights = checkpoint
    params = sum(p.numel() for p in model.parameters())
    expected = manifest.get("training", {}).get("parameters")
    if expected is not None and int(expected) != params:
        raise SystemExit(f"config {name} builds {params} parameters, the manifest says {expected}: not the same model")
    resolutions = [lv["resolution"] for lv in manifest["levels"]]
    if model.resolutions != resolutions:
        raise SystemExit(f"config {name} has levels {model.resolutions}, the bundle {resolutions}")
    sc = manifest["schedule"]
    schedule = ScheduleConfig(
        logsnr_min=sc["logsnrMin"],
        logsnr_max=sc["logsnrMax"],
        shift_base=sc["shift"]["baseResolution"],
        shift_power=sc["shift"]["power"],
    )
    return model.eval(), tokenizer, schedule, resolutions, manifest, {"config": name, "parameters": params, "weights": weights}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--runs", required=True, help="sampler:steps,… e.g. dpmpp-2m:20,ddim:10")
    ap.add_argument("--guidance", type=float, required=True)
    ap.add_argument("--images", type=int, default=2)
    ap.add_argument("--prompt", default="a red apple")
    ap.add_argument("--checkpoint")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    model, tokenizer, schedule, resolutions, manifest, info = build_model(args.bundle, args.checkpoint)
    denoise = torch_denoiser(model)
    clip = bool(manifest["sampling"]["x0"].get("clip", True))
    dyn = manifest["sampling"]["x0"].get("dynamicThreshold")

    def one(sampler: str, steps: int, seed: int):
        c0, t0 = time.process_time(), time.perf_counter()
        sample(denoise, tokenizer, schedule, resolutions, args.prompt, seed, steps=steps,
               guidance=args.guidance, sampler=sampler, channels=manifest["channels"], clip=clip,
               dynamic_threshold=dyn)
        return time.perf_counter() - t0, time.process_time() - c0

    one("ddim", 2, 0)  # warm-up: allocator and kernel selection, as the engine's warm-up request
    results = []
    for item in args.runs.split(","):
        sampler, steps = item.split(":")
        runs = [one(sampler, int(steps), 1 + k) for k in range(args.images)]
        results.append({"sampler": sampler, "steps": int(steps),
                        "secondsPerImage": statistics.median(w for w, _ in runs),
                        "cpuSecondsPerImage": statistics.median(c for _, c in runs),
                        "samples": [w for w, _ in runs]})
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), **info, "results": results},
              sys.stdout)


if __name__ == "__main__":
    main()
