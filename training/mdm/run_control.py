"""What every long training run (images, clips) shares: being paused and stopped from outside, its GPU settings, and when bf16 pays."""

import signal

import torch

# A run paused from outside (SIGSTOP to lend the CPU, a suspended laptop) must not count the pause as
# training time: no step of these configs takes a minute, so a longer step means the run was paused.
MAX_STEP_SECONDS = 60.0


def stop_on_kill() -> None:
    """Turns SIGTERM (kill's default) and SIGINT into KeyboardInterrupt, so the run's handler saves a
    checkpoint. `nohup ... &` starts a run with SIGINT ignored, which makes SIGTERM the one that matters."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def tune_cuda() -> None:
    """Every training step has the same shapes (cuDNN may pick its fastest kernels once), and the
    fp32 parts (the thin outer levels) may use TF32 on the GPU."""
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True


def bf16_autocast(wanted: bool, device: torch.device):
    """bf16 when the config wants it and the hardware runs it natively: a GPU, or a CPU with
    AVX512-BF16/AMX (without them torch emulates bf16, measured 15x slower than fp32 on an AVX2 EPYC)."""
    if not wanted:
        return None
    if device.type == "cuda":
        return torch.bfloat16
    try:
        with open("/proc/cpuinfo") as f:
            flags = f.read()
    except OSError:
        return None
    return torch.bfloat16 if ("avx512_bf16" in flags or "amx_bf16" in flags) else None
