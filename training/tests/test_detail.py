import numpy as np
from PIL import Image

from training.mdm.detail import edge_strength, high_frequency_share


def disc(size: int) -> np.ndarray:
    y, x = np.mgrid[:size, :size] + 0.5
    inside = (x - size / 2) ** 2 + (y - size / 2) ** 2 < (size * 0.35) ** 2
    img = np.full((size, size, 3), 255, np.uint8)
    img[inside] = (220, 30, 40)
    return img


def test_an_upscaled_picture_has_less_detail_above_the_small_sizes_limit_than_one_drawn_at_full_size():
    sharp = disc(128)
    small = np.asarray(Image.fromarray(sharp).resize((64, 64), Image.LANCZOS))
    upscaled = np.asarray(Image.fromarray(small).resize((128, 128), Image.LANCZOS))
    hf = high_frequency_share(np.stack([sharp, upscaled]), cutoff=32)
    assert hf[0] > 1.5 * hf[1] > 0
    edges = edge_strength(np.stack([sharp, upscaled]))
    assert edges[0] > 1.1 * edges[1]


def test_flat_pictures_have_no_detail():
    flat = np.full((1, 32, 32, 3), 128, np.uint8)
    assert high_frequency_share(flat, 8)[0] == 0 and edge_strength(flat)[0] == 0


def test_the_evaluator_takes_native_128_px_pictures_area_pooled_to_its_64_px():
    from training.mdm.evaluator import to_tensor

    img = np.zeros((1, 128, 128, 3), np.uint8)
    img[:, :, 64:] = 255  # right half white
    x = to_tensor(img)
    assert x.shape == (1, 3, 64, 64)
    assert float(x[0, 0, 0, 0]) == -1.0 and float(x[0, 0, 0, 63]) == 1.0
