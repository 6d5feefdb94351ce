import numpy as np
import pytest

from training.mdm.config import ScheduleConfig
from training.mdm.sample import alpha_sigma, logsnr, sample, to_uint8
from training.mdm.tokenizer import Tokenizer

SC = ScheduleConfig()
RES = [64, 32, 16]


def point_mass_denoiser(target):
    """The exact v-model for data that is always `target` (per level): every sampler must land on it."""
    calls = []

    def run(xs, t, tokens, ngrams):
        calls.append((float(t[0]), tokens.shape[0]))
        out = []
        for z, r, x in zip(xs, RES, target):
            a, s = alpha_sigma(float(t[0]), r, SC)
            eps = (z.astype(np.float64) - a * x) / s
            out.append((a * eps - s * x).astype(np.float32))
        return out

    return run, calls


@pytest.mark.parametrize("sampler", ["ddim", "ddpm", "dpmpp-2m"])
def test_samplers_recover_a_point_mass(sampler):
    rng = np.random.default_rng(0)
    target = [rng.uniform(-0.9, 0.9, size=(3, r, r)) for r in RES]
    den, calls = point_mass_denoiser(target)
    tok = Tokenizer.build(["a b"], min_count=1)
    r = sample(den, tok, SC, RES, "a", seed=5, steps=7, guidance=3.0, sampler=sampler)
    assert [c[0] for c in calls] == pytest.approx([1 - i / 7 for i in range(7)])
    assert all(c[1] == 2 for c in calls)  # conditional and unconditional rows in one batch
    for got, want in zip(r.levels, target):
        assert np.abs(got - want).max() < 1e-4
    assert np.array_equal(r.pixels, to_uint8(target[0]))


def test_schedule_shift_gives_larger_levels_less_signal():
    for t in (0.1, 0.5, 0.9):
        assert logsnr(t, 64, SC) < logsnr(t, 32, SC) < logsnr(t, 16, SC)
        assert logsnr(t, 16, SC) - logsnr(t, 64, SC) == pytest.approx(np.log(4))
    assert logsnr(0.0, 16, SC) == pytest.approx(15.0)
    assert logsnr(1.0, 16, SC) == pytest.approx(-15.0)


def test_to_uint8_rounds_half_up_and_clamps():
    x = np.array([-1.5, -1.0, 0.0, 1.0 / 255, 1.0, 2.0]).reshape(1, 1, 6)
    assert to_uint8(x).reshape(-1).tolist() == [0, 0, 128, 128, 255, 255]
