"""Training throughput (img/s) of a config at each progressive stage, on this machine.

    /usr/bin/python3 -m training.bench --config emoji64 [--steps 6] [--batch 32]
"""

from __future__ import annotations

import argparse
import time

import torch

from training.mdm.config import ModelConfig, load_config
from training.mdm.diffusion import diffusion_loss, pyramid
from training.mdm.model import MatryoshkaModel
from training.mdm.schedule import Schedule


def bench(cfg: ModelConfig, levels: int, batch: int, steps: int, bf16: bool = True, vocab: int = 2500) -> float:
    torch.manual_seed(0)
    model = MatryoshkaModel(cfg, vocab, num_levels=levels)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    sched = Schedule(cfg.schedule)
    r = model.resolutions[0]
    x = torch.rand(batch, 3, r, r) * 2 - 1
    toks = torch.randint(1, vocab, (batch, cfg.text.max_tokens))
    toks[:, 6:] = 0
    grams = torch.randint(0, cfg.text.ngram_buckets, (batch, cfg.text.max_tokens, cfg.text.ngrams_per_token))
    ws = cfg.train.loss_weights[-levels:]
    times = []
    for i in range(steps + 1):
        t0 = time.time()
        out = diffusion_loss(model, model.resolutions, sched, pyramid(x, model.resolutions), toks, grams, ws,
                             autocast_dtype=torch.bfloat16 if bf16 else None)
        opt.zero_grad()
        out["loss"].backward()
        opt.step()
        if i > 0:  # the first step pays for allocation and kernel selection
            times.append(time.time() - t0)
    return batch * len(times) / sum(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="emoji64")
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--fp32", action="store_true")
    ap.add_argument("--levels", default="")
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads or max(1, __import__("os").cpu_count()))
    cfg = load_config(args.config)
    levels = [int(x) for x in args.levels.split(",")] if args.levels else range(1, len(cfg.levels) + 1)
    for k in levels:
        m = MatryoshkaModel(cfg, 2500, num_levels=k)
        n = sum(p.numel() for p in m.parameters())
        rate = bench(cfg, k, args.batch, args.steps, bf16=not args.fp32)
        print(f"{args.config}: levels {m.resolutions} {n / 1e6:.2f}M params: {rate:.1f} img/s (batch {args.batch})",
              flush=True)


if __name__ == "__main__":
    main()
