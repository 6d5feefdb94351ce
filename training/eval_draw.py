"""The eval's drawing side: pictures and clips drawn by the real engine (training/eval_generate.mjs),
cached under the eval work folder by what they depend on (the weights, the vocabulary, the sampling
settings, and each prompt as the engine reads it, with its seed), so an interrupted eval resumes, a
rerun draws nothing, and a change to prompt reading redraws only the prompts it reads differently."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from typing import Dict, List, Optional

import numpy as np
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
GENERATE_JS = os.path.join(ROOT, "training", "eval_generate.mjs")


def log(msg: str) -> None:
    print(f"[eval {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def bundle_key(bundle: str) -> str:
    """What the drawn images depend on besides the prompt as read: the weights (by hash), the tokenizer
    without its prompt-reading table, and the sampling defaults; not the cards or the manifest's
    descriptive fields, so editing a card or the reading table keeps the cache."""
    with open(os.path.join(bundle, "manifest.json"), encoding="utf-8") as f:
        man = json.load(f)
    key = {k: man.get(k) for k in ("sampling", "schedule", "levels", "prediction")}
    key["files"] = {name: entry for name, entry in man["files"].items() if name == man["onnx"]["file"]}
    with open(os.path.join(bundle, man.get("text", {}).get("tokenizer", "tokenizer.json")), encoding="utf-8") as f:
        tokenizer = json.load(f)
    tokenizer.pop("interpret", None)
    key["tokenizer"] = hashlib.sha256(json.dumps(tokenizer, sort_keys=True).encode()).hexdigest()
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]


def read_prompts(bundle: str, prompts: List[str], kind: str) -> List[str]:
    """Each prompt as the engine reads it for this bundle (engine.readPrompt): the text the model is
    given, with the colour the picture is then turned to, if any."""
    job = {"read": True, "kind": kind, "modelsDir": os.path.dirname(bundle),
           "model": os.path.basename(bundle.rstrip("/")), "prompts": list(prompts)}
    run = subprocess.run(["node", GENERATE_JS, "-"], cwd=ROOT, input=json.dumps(job), capture_output=True,
                         text=True)
    if run.returncode != 0:
        raise SystemExit(f"engine could not read prompts for {bundle}:\n{run.stderr[-3000:]}")
    texts = json.loads(run.stdout.strip().splitlines()[-1])
    assert len(texts) == len(prompts)
    return texts


def read_clip(folder: str) -> np.ndarray:
    """A cached clip (one PNG per frame, named by frame index) -> uint8 [F, R, R, 3]."""
    names = sorted(n for n in os.listdir(folder) if n.endswith(".png"))
    return np.stack([np.asarray(Image.open(os.path.join(folder, n)).convert("RGB")) for n in names])


def draw(bundle: str, prompts: List[str], seeds: List[int], sampler: str, steps: int, guidance: Optional[float],
         work: str, threads: int, kind: str = "image", size: Optional[int] = None) -> Dict:
    """Images (kind "image") or clips (kind "clip") for (prompt, seed) pairs through the engine; cached.
    -> {"images": uint8 [N, R, R, 3] or "clips": uint8 [N, F, R, R, 3], "timing": the engine's medians}."""
    bundle = os.path.abspath(bundle)
    model = os.path.basename(bundle.rstrip("/"))
    tag = f"{sampler}-{steps}-g{guidance if guidance is not None else 'default'}" + (f"-{size}px" if size else "")
    out_dir = os.path.join(work, f"{model}-{bundle_key(bundle)}", tag)
    os.makedirs(out_dir, exist_ok=True)
    # An image is NAME.png; a clip is a folder NAME/ of frame PNGs, renamed into place when complete.
    ext = ".png" if kind == "image" else ""
    texts = read_prompts(bundle, prompts, kind)
    files = [f"{hashlib.sha1(f'{t}|{s}'.encode()).hexdigest()[:16]}{ext}" for t, s in zip(texts, seeds)]
    timing_path = os.path.join(out_dir, "timing.json")
    count = "images" if kind == "image" else "clips"
    todo = [i for i, f in enumerate(files) if not os.path.exists(os.path.join(out_dir, f))]
    if todo:
        log(f"{model}: drawing {len(todo)} {count} ({sampler}, {steps} steps)")
        job = {
            "modelsDir": os.path.dirname(bundle), "model": model, "threads": threads, "sampler": sampler,
            "steps": steps, "outDir": out_dir,
            "items": [{"prompt": prompts[i], "seed": seeds[i], "file": files[i]} for i in todo],
        }
        if kind != "image":
            job["kind"] = kind
        if size:
            job["size"] = size
        if guidance is not None:
            job["guidance"] = guidance
        job_path = os.path.join(out_dir, "job.json")
        with open(job_path, "w", encoding="utf-8") as f:
            json.dump(job, f)
        run = subprocess.run(["node", GENERATE_JS, job_path], cwd=ROOT, capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(f"engine failed for {bundle}:\n{run.stderr[-3000:]}")
        timing = json.loads(run.stdout.strip().splitlines()[-1])
        # A resumed run times only its last part; keep the timing of the larger batch.
        if not os.path.exists(timing_path) or json.load(open(timing_path))[count] <= timing[count]:
            with open(timing_path, "w", encoding="utf-8") as f:
                json.dump(timing, f)
    timing = json.load(open(timing_path)) if os.path.exists(timing_path) else {}
    if kind == "image":
        images = np.stack([np.asarray(Image.open(os.path.join(out_dir, f)).convert("RGB")) for f in files])
        return {"images": images, "timing": timing}
    return {"clips": np.stack([read_clip(os.path.join(out_dir, f)) for f in files]), "timing": timing}
