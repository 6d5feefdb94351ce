"""Starts a training command the way `nohup ... &` does and stops it the way `kill` does."""

import os
import signal
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def kill_after_first_metrics(module_args, run_dir, timeout=120):
    """Runs `python -m <module_args>` with SIGINT ignored (as nohup leaves it), waits until the run has
    logged a step to <run_dir>/metrics.jsonl, sends SIGTERM, and returns (returncode, output)."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.Popen([sys.executable, "-m", *module_args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    metrics = os.path.join(run_dir, "metrics.jsonl")
    deadline = time.time() + timeout
    while not (os.path.exists(metrics) and os.path.getsize(metrics) > 0):
        if time.time() > deadline or proc.poll() is not None:
            proc.kill()
            return proc.wait(), proc.communicate()[0]
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=timeout)
    return proc.returncode, out
