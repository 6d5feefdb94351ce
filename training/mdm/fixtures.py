"""Writes the shared test fixtures that tie the Python and TypeScript sides together:

    test/fixtures/tiny-bundle/            a random-weight 16/32/64 bundle (training.fixture = true)
    test/fixtures/rng.json                xoshiro128** uniforms and normals for several seeds
    test/fixtures/tokenizer-vectors.json  texts -> tokens/ngrams under the tiny bundle's tokenizer
    test/fixtures/parity/step.json        fixed inputs -> PyTorch outputs of the tiny bundle
    test/fixtures/parity/samples.json     prompt + seed + sampler + steps -> Python-sampler pixels

    /usr/bin/python3 -m training.mdm.fixtures            (deterministic: same bytes every run)
"""

from __future__ import annotations

import base64
import json
import os

import numpy as np
import torch

from .config import load_config
from .export import example_inputs, write_bundle
from .model import MatryoshkaModel
from .rng import Xoshiro128
from .sample import sample, torch_denoiser
from .tokenizer import Tokenizer, char_ngrams, split_words

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "test", "fixtures")

# A stand-in caption corpus for the fixture's vocabulary; min_word_count 1 keeps every word.
CAPTIONS = [
    "a red apple", "red heart", "a smiling cat face", "grinning face with big eyes", "rocket",
    "a house with a garden", "sun behind cloud", "yellow star", "blue heart", "green apple",
    "flat emoji of a dog", "line icon of a house", "fire", "pizza", "café", "crème brûlée",
]

TOKENIZER_TEXTS = [
    "", " ", "a red apple", "A RED APPLE", "  red,   heart!! ", "red-heart", "smiling_cat_face",
    "appel", "hart", "zzqxv unknownword", "emoji 123", "4 apples and 2 pears", "3d", "x2",
    "café", "CAFÉ", "cafe\u0301", "crème brûlée", "ﬁre", "Ｆｕｌｌｗｉｄｔｈ", "①②",
    "猫の顔", "火", "😀", "🍎 apple", "👩🏽‍🚀 astronaut", "❤️", "naïve résumé",
    "αβγ", "straße", "it's a dog's life", "tab\tand\nnewline", "hyphen-ated/slashed.words",
    "a", "ab", "<bos>", "one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone twentytwo twentythree "
    "twentyfour twentyfive", "supercalifragilisticexpialidocious",
]

RNG_SEEDS = [0, 1, 42, 123456789, 2147483648, 4294967295]


def b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def tensor_json(a: np.ndarray) -> dict:
    dtype = {np.dtype("float32"): "float32", np.dtype("int64"): "int64", np.dtype("uint8"): "uint8"}[a.dtype]
    return {"dtype": dtype, "shape": list(a.shape), "base64": b64(a)}


def tiny_model(seed: int = 1234):
    cfg = load_config("tiny")
    tok = Tokenizer.for_config(cfg.text, CAPTIONS)
    torch.manual_seed(seed)
    model = MatryoshkaModel(cfg, len(tok.vocab))
    randomize_zero_layers(model, seed)
    return model.eval(), tok


def randomize_zero_layers(model: torch.nn.Module, seed: int) -> None:
    """Zero-initialised layers (adapters, output convs, temporal projections) would make a random
    model output exactly 0, which would let a broken engine pass parity: give them random weights."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if torch.count_nonzero(p) == 0 and not name.endswith("word.weight") and not name.endswith("ngram.weight"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)


def write_rng() -> None:
    vectors = []
    for seed in RNG_SEEDS:
        r = Xoshiro128(seed)
        raw = [r.next() for _ in range(8)]
        r = Xoshiro128(seed)
        uniforms = [r.uniform() for _ in range(8)]
        r = Xoshiro128(seed)
        normals = r.normals(9)  # odd count: the 9th uses a fresh pair
        vectors.append(
            {
                "seed": seed,
                "next": raw,
                "uniforms": uniforms,
                "normals": [float(x) for x in normals],
            }
        )
    doc = {
        "about": "xoshiro128** seeded by splitmix32 (docs/model-bundle.md). Each list starts from a fresh generator. "
        "normals are float32 values (stored as the nearest double).",
        "vectors": vectors,
    }
    _write_json(os.path.join(FIXTURES, "rng.json"), doc)


def write_tokenizer_vectors(tok: Tokenizer) -> None:
    cases = []
    for text in TOKENIZER_TEXTS:
        tokens, ngrams = tok.encode(text)
        cases.append({"text": text, "words": split_words(text), "tokens": tokens, "ngrams": ngrams})
    doc = {
        "about": "Expected encodings under test/fixtures/tiny-bundle/tokenizer.json (docs/model-bundle.md).",
        "tokenizer": "tiny-bundle/tokenizer.json",
        "cases": cases,
    }
    _write_json(os.path.join(FIXTURES, "tokenizer-vectors.json"), doc)


def write_step_parity(model: MatryoshkaModel) -> None:
    xs, t, tokens, ngrams = example_inputs(model, batch=3, seed=7)
    t[0] = 1.0  # the first sampling step
    with torch.no_grad():
        outs = model(xs, t, tokens, ngrams)
    res = model.resolutions
    doc = {
        "about": "Inputs and PyTorch (fp32) outputs of test/fixtures/tiny-bundle for one step; onnxruntime must match "
        "within `tolerance` (max abs diff). Tensors are little-endian base64.",
        "bundle": "tiny-bundle",
        "tolerance": 1e-4,
        "inputs": {
            **{f"x_{r}": tensor_json(x.numpy()) for r, x in zip(res, xs)},
            "t": tensor_json(t.numpy()),
            "tokens": tensor_json(tokens.numpy()),
            "ngrams": tensor_json(ngrams.numpy()),
        },
        "outputs": {f"v_{r}": tensor_json(o.numpy()) for r, o in zip(res, outs)},
    }
    _write_json(os.path.join(FIXTURES, "parity", "step.json"), doc)


SAMPLE_CASES = [
    {"prompt": "a red apple", "seed": 0, "sampler": "ddim", "steps": 6, "guidance": 3.0},
    {"prompt": "a red apple", "seed": 0, "sampler": "dpmpp-2m", "steps": 6, "guidance": 3.0},
    {"prompt": "a red apple", "seed": 0, "sampler": "ddpm", "steps": 6, "guidance": 3.0},
    {"prompt": "smiling cat face", "seed": 4294967295, "sampler": "dpmpp-2m", "steps": 8, "guidance": 1.0},
    {"prompt": "blue heart", "negativePrompt": "red", "seed": 42, "sampler": "ddim", "steps": 5, "guidance": 5.0},
    {"prompt": "rocket", "seed": 7, "sampler": "ddpm", "steps": 4, "guidance": 1.0},
    {"prompt": "", "seed": 1, "sampler": "dpmpp-2m", "steps": 3, "guidance": 2.0},
]


def write_sample_parity(model: MatryoshkaModel, tok: Tokenizer) -> None:
    cfg = model.cfg
    den = torch_denoiser(model)
    cases = []
    for case in SAMPLE_CASES:
        r = sample(
            den,
            tok,
            cfg.schedule,
            model.resolutions,
            case["prompt"],
            case["seed"],
            steps=case["steps"],
            guidance=case["guidance"],
            sampler=case["sampler"],
            negative_prompt=case.get("negativePrompt", ""),
        )
        lowest = np.floor((r.levels[-1] + 1.0) * 127.5 + 0.5).clip(0, 255).astype(np.uint8).transpose(1, 2, 0)
        cases.append(
            {
                **case,
                "width": model.resolutions[0],
                "height": model.resolutions[0],
                "pixels": tensor_json(r.pixels),
                "innermost": tensor_json(lowest),
            }
        )
    doc = {
        "about": "Python reference sampler (training/mdm/sample.py) on test/fixtures/tiny-bundle: final uint8 RGB pixels "
        "[H, W, 3] of the outermost level, and of the innermost level (the free preview). x0 clip on. "
        "The engine must match within 1/255 per pixel.",
        "bundle": "tiny-bundle",
        "tolerance": 1,
        "cases": cases,
    }
    _write_json(os.path.join(FIXTURES, "parity", "samples.json"), doc)


def _write_json(path: str, doc: dict) -> None:
    """Readable but compact: one line per list item of the top-level lists, no per-number lines."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    parts = []
    for k, v in doc.items():
        if isinstance(v, list):
            items = ",\n".join("  " + json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in v)
            parts.append(f" {json.dumps(k)}: [\n{items}\n ]")
        else:
            parts.append(f" {json.dumps(k)}: " + json.dumps(v, ensure_ascii=False, separators=(",", ":")))
    with open(path, "w", encoding="utf-8") as f:
        f.write("{\n" + ",\n".join(parts) + "\n}\n")


def main() -> None:
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    model, tok = tiny_model()
    write_bundle(
        model,
        tok,
        os.path.join(FIXTURES, "tiny-bundle"),
        weights="fp32",
        training={"samplesSeen": 0, "hardware": "none (random weights)", "hours": 0, "fixture": True},
    )
    write_rng()
    write_tokenizer_vectors(tok)
    write_step_parity(model)
    write_sample_parity(model, tok)
    print(f"fixtures written under {FIXTURES}")


if __name__ == "__main__":
    main()
