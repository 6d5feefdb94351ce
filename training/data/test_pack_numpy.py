"""The packed data set as the PyTorch side reads it: numpy must memory-map the .npy that the
Node packer writes, and the gzip copy must hold the same bytes."""

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
PACK = REPO / "training" / "data" / "pack.mjs"


@pytest.fixture(scope="module")
def packed(tmp_path_factory):
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "sharp").exists():
        pytest.skip("node and the repo's node_modules (npm ci) are needed to pack")
    out = tmp_path_factory.mktemp("packed")
    subprocess.run(
        [node, str(PACK), "--res", "32", "--limit", "48", "--supersample", "2",
         "--gzip", "--no-preview", "--quiet", "--out", str(out)],
        cwd=REPO, check=True, capture_output=True, timeout=300,
    )
    return out


def test_numpy_memory_maps_the_array(packed):
    images = np.load(packed / "images_32.npy", mmap_mode="r")
    meta = json.loads((packed / "meta.json").read_text())
    assert isinstance(images, np.memmap)
    assert images.dtype == np.uint8
    assert images.shape == (48, 32, 32, 3)
    assert images.flags["C_CONTIGUOUS"]
    assert meta["count"] == len(meta["images"]) == 48
    # Real pictures on white: dark ink inside, white corners.
    flat = images.reshape(48, -1)
    assert (flat.min(axis=1) < 128).all()
    assert (images[:, 0, 0, :] == 255).all()


def test_gzip_copy_holds_the_same_bytes(packed):
    mapped = np.load(packed / "images_32.npy", mmap_mode="r")
    with gzip.open(packed / "images_32.npy.gz") as f:
        loaded = np.load(f)
    assert loaded.shape == mapped.shape
    assert np.array_equal(loaded, mapped)
