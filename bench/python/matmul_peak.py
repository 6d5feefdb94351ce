"""The machine's practical arithmetic limit for the GFLOP/s column: the best float32 GFLOP/s of a
square matrix multiply in PyTorch at the bench's thread count and on one thread (the per-core limit), and an ONNX model holding one MatMul of
the same size, which bench/matmul-peak.ts runs in ONNX Runtime (the engine's own kernels).

    /usr/bin/python3 bench/python/matmul_peak.py --threads 2 --n 1024 --onnx-out /tmp/matmul.onnx

Best of several repeats, because a shared machine only ever makes a run slower. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import torch


def best_gflops(n: int, threads: int, repeats: int) -> float:
    torch.set_num_threads(threads)
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t0)
    return 2 * n**3 / best / 1e9


def best_cpu_gflops(n: int, repeats: int) -> float:
    """One thread, timed in CPU time: the rate per CPU-second of a core, which other processes
    taking turns on the core do not dilute (wall time would count their turns too)."""
    torch.set_num_threads(1)
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    best = float("inf")
    for _ in range(repeats):
        c0 = time.process_time()
        a @ b
        best = min(best, time.process_time() - c0)
    return 2 * n**3 / best / 1e9


def torch_peak(n: int, threads: int, repeats: int) -> dict:
    return {"gflops": best_gflops(n, threads, repeats), "singleThreadGflops": best_cpu_gflops(n, repeats)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--n", type=int, default=1024)
    ap.add_argument("--repeats", type=int, default=20)
    args = ap.parse_args()
    json.dump({"n": args.n, "threads": args.threads, "torch": torch_peak(args.n, args.threads, args.repeats)}, sys.stdout)


if __name__ == "__main__":
    main()
