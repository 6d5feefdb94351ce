import numpy as np
import pytest

from training.mdm.config import ScheduleConfig
from training.mdm.sample import sample, to_uint8
from training.mdm.samplers import SAMPLERS, create_sampler
from training.mdm.schedule import NestedSchedule, level_noise, logsnr_at as logsnr
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
            n = level_noise(float(t[0]), r, SC)
            a, s = n.alpha, n.sigma
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


def gaussian_ode_solution(mean, std, z, src, dst):
    """For data N(mean, std^2) per pixel the probability-flow ODE keeps each pixel's standard score."""
    spread = lambda n: np.sqrt(n.alpha**2 * std**2 + n.sigma**2)  # noqa: E731
    return dst.alpha * mean + spread(dst) / spread(src) * (z - src.alpha * mean)


def error_at_half(name, steps, mean=0.3, std=0.5):
    """As samplers.test.ts: the exact x0 of Gaussian data drives the sampler from t = 1 to 1/2, so the gap
    to the closed-form ODE solution is the sampler's own discretisation error."""
    schedule = NestedSchedule(SC, [32, 16])
    solver = create_sampler(name, schedule, "x0", clip=False)
    solver.set_timesteps(steps)
    rng = np.random.default_rng(21)
    z1 = [n.alpha * mean + np.sqrt(n.alpha**2 * std**2 + n.sigma**2) * rng.standard_normal((1, 3, r, r))
          for n, r in zip(schedule.at(1.0), [32, 16])]
    z = z1
    for t in solver.timesteps:
        if t <= 0.5:
            break
        x0 = [mean + n.alpha * std**2 / (n.alpha**2 * std**2 + n.sigma**2) * (zz - n.alpha * mean)
              for zz, n in zip(z, schedule.at(t))]
        z = solver.step(x0, t, z).prev_sample
    return max(np.abs(got - gaussian_ode_solution(mean, std, start, src, dst)).max()
               for got, start, src, dst in zip(z, z1, schedule.at(1.0), schedule.at(0.5)))


def test_ddim_converges_at_first_order_and_dpm_solver_at_second():
    order = lambda e: np.log2(e[-2] / e[-1])  # noqa: E731
    ddim = [error_at_half("ddim", n) for n in (8, 16, 32, 64)]
    dpm = [error_at_half("dpmpp-2m", n) for n in (8, 16, 32, 64)]
    assert 0.8 < order(ddim) < 1.3
    assert order(dpm) > 1.6
    assert dpm[-1] < ddim[-1] / 5


@pytest.mark.parametrize("name", ["ddim", "dpmpp-2m"])
def test_a_sampler_steps_torch_tensors_as_it_steps_numpy_arrays(name):
    import torch

    schedule = NestedSchedule(SC, RES)
    rng = np.random.default_rng(2)
    z = [rng.standard_normal((2, 3, r, r)) for r in RES]
    outs = [[rng.standard_normal((2, 3, r, r)) for r in RES] for _ in range(3)]
    results = []
    for wrap in (lambda a: a, torch.from_numpy):
        solver = create_sampler(name, schedule, "v", dynamic_threshold={"percentile": 0.9, "max": 2.0})
        solver.set_timesteps(3)
        zz = [wrap(a) for a in z]
        for t, out in zip(solver.timesteps, outs):
            zz = solver.step([wrap(o) for o in out], t, zz).prev_sample
        results.append([np.asarray(a) for a in zz])
    for a, b in zip(*results):
        assert np.allclose(a, b, atol=1e-9)


def test_a_sampler_refuses_a_time_off_its_grid_and_names_every_sampler():
    solver = create_sampler("ddim", NestedSchedule(SC, RES))
    solver.set_timesteps(4)
    assert solver.timesteps == [1.0, 0.75, 0.5, 0.25]
    with pytest.raises(ValueError, match="not one of this sampler's timesteps"):
        solver.step([], 0.3, [])
    with pytest.raises(ValueError, match="unknown sampler"):
        create_sampler("euler", NestedSchedule(SC, RES))
    assert sorted(SAMPLERS) == ["ddim", "ddpm", "dpmpp-2m"]
