import json
import os
import subprocess

import numpy as np
import pytest
import torch

from training.data.motion import MOTION_NAMES, MOTIONS, load_motion_corpus
from training.mdm.clip_sample import to_clips, to_frames
from training.mdm.motion_judge import CLASSIFIER_RECIPE, load_or_train_classifier, motion_scores, pick_pairs, save_clip_sheet
from training.tests.test_eval import make_packed

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TINY_CLIP = os.path.join(ROOT, "test", "fixtures", "tiny-clip-bundle")
TINY_IMAGE = os.path.join(ROOT, "test", "fixtures", "tiny-bundle")
BUILT = os.path.exists(os.path.join(ROOT, "packages", "core", "dist", "index.js"))


@pytest.fixture(scope="module")
def packed(tmp_path_factory):
    """make_packed's corpus, its yellow circles labelled "star" so that the target prompt is scored (real
    spinning clips of a circle must fit its own silhouette narrowed)."""
    folder = make_packed(str(tmp_path_factory.mktemp("clip-eval") / "packed"))
    path = os.path.join(folder, "meta.json")
    meta = json.load(open(path))
    for m in meta["images"]:
        if m["concept"] == "yellow-circle":
            m["label"] = "star"
    json.dump(meta, open(path, "w"))
    return folder


def test_pairs_are_fixed_per_motion_and_from_the_split(packed):
    corpus = load_motion_corpus(packed, "heldout-concept", 4)
    picks = pick_pairs(corpus, 3, seed=1)
    assert picks == pick_pairs(corpus, 3, seed=1) and picks != pick_pairs(corpus, 3, seed=2)
    motions = [corpus.pairs[i][1] for i in picks]
    assert [motions.count(m) for m in range(len(MOTION_NAMES))] == [3] * len(MOTION_NAMES)
    # A held-out pair's motion is the one its concept never trained with: some motions have no pair.
    pairs = load_motion_corpus(packed, "heldout-pair", 4)
    counts = [[pairs.pairs[i][1] for i in pick_pairs(pairs, 50, 0)].count(m) for m in range(len(MOTION_NAMES))]
    assert sum(counts) == len(pairs) and 0 in counts


def test_frames_round_trip_and_scores_name_motions_without_clips():
    frames = np.random.default_rng(0).integers(0, 256, size=(3, 4, 16, 16, 3), dtype=np.uint8)
    clips = to_clips(frames)
    assert clips.shape == (3, 3, 4, 16, 16) and clips.min() >= -1 and clips.max() <= 1
    assert np.array_equal(to_frames(clips), frames)

    class Fixed(torch.nn.Module):  # a classifier that always answers motion 1, with constant features
        def forward(self, x):
            return torch.nn.functional.one_hot(torch.ones(len(x), dtype=torch.long), len(MOTION_NAMES)).float()

        def frame_features(self, x):
            return torch.ones(x.shape[0], x.shape[2], 5)

    s = motion_scores(Fixed(), clips, [1, 1, 2])
    assert s["motion_accuracy"] == pytest.approx(2 / 3)
    assert s["per_motion_accuracy"][MOTION_NAMES[1]] == 1.0 and s["per_motion_accuracy"][MOTION_NAMES[2]] == 0.0
    assert s["per_motion_accuracy"][MOTION_NAMES[0]] is None
    assert s["temporal_consistency"] == pytest.approx(1.0)


def test_clip_sheet_is_an_animation_with_a_page_per_frame(tmp_path):
    from PIL import Image

    clip = np.repeat(np.arange(0, 250, 50, dtype=np.uint8), 8 * 8 * 3).reshape(5, 8, 8, 3)  # 5 distinct frames
    save_clip_sheet(str(tmp_path / "s.gif"), [[clip, clip], [clip]], ["a", "b"], ["x", "y"], scale=2)
    gif = Image.open(tmp_path / "s.gif")
    assert gif.n_frames == 5 and gif.size == (190 + 2 * 20, 16 + 2 * 20)


def test_classifier_cache_is_keyed_by_its_recipe(packed, tmp_path):
    quick = {**CLASSIFIER_RECIPE, "steps": 3}
    logs = []
    a, info = load_or_train_classifier(packed, 4, str(tmp_path), quick, log=logs.append)
    b, again = load_or_train_classifier(packed, 4, str(tmp_path), quick, log=logs.append)
    assert "cached" in logs[-1] and again == info
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))
    _, other = load_or_train_classifier(packed, 4, str(tmp_path), {**quick, "steps": 4}, log=logs.append)
    _, longer = load_or_train_classifier(packed, 8, str(tmp_path), quick, log=logs.append)
    assert len({info["key"], other["key"], longer["key"]}) == 3 and len(os.listdir(tmp_path)) == 3


def eval_cmd(packed, work, out, *extra):
    return ["/usr/bin/python3", "-m", "training.eval", "--model", "none", "--packed", packed, "--work", str(work),
            "--threads", "1", "--out", str(out), *extra]


def test_clip_model_must_be_a_clip_bundle(packed, tmp_path):
    run = subprocess.run(eval_cmd(packed, tmp_path, tmp_path / "e.json", "--clip-model", TINY_IMAGE), cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode != 0 and 'format version 2 and task "clip"' in run.stderr
    run = subprocess.run(eval_cmd(packed, tmp_path, tmp_path / "e.json", "--clip-model", "none"), cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode != 0 and "nothing to evaluate" in run.stderr


@pytest.mark.skipif(not BUILT, reason="needs the built engine (npm run build)")
def test_clip_section_end_to_end_with_the_engine(packed, tmp_path):
    out = tmp_path / "eval.json"
    cmd = eval_cmd(packed, tmp_path / "work", out, "--clip-model", TINY_CLIP, "--clip-prompts", "1",
                   "--classifier-steps", "100", "--markdown", str(tmp_path / "eval.md"))
    first = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert first.returncode == 0, first.stderr[-2000:]
    r = json.loads(out.read_text())
    assert list(r) == ["clips", "seconds"]
    c = r["clips"]
    man = json.load(open(os.path.join(TINY_CLIP, "manifest.json")))
    assert (c["model"], c["frames"], c["resolution"]) == ("tiny-clip-bundle", 4, 64)
    assert (c["sampler"], c["steps"], c["guidance"]) == ("dpmpp-2m", 8, man["sampling"]["guidance"])
    assert c["chance"] == pytest.approx(0.1) and c["cpu_seconds_per_clip"] > 0
    # The classifier learnt the motions from real clips: far above chance on real clips it never saw.
    assert c["classifier"]["heldout_concept_accuracy"] >= 0.6
    assert c["classifier"]["recipe"]["steps"] == 100
    sizes = {"heldout-pair": len(load_motion_corpus(packed, "heldout-pair", 4)),
             "heldout-concept": len(load_motion_corpus(packed, "heldout-concept", 4))}
    assert list(c["sets"]) == ["heldout-pair", "heldout-concept"]
    for name, s in c["sets"].items():
        motions = [p["motion"] for p in s["prompts"]]
        assert s["clips"] == len(s["prompts"]) == len(set(motions)) <= min(10, sizes[name])
        assert all(p["prompt"].endswith(" " + MOTIONS[p["motion"]][0]) for p in s["prompts"])
        assert len({p["seed"] for p in s["prompts"]}) == s["clips"]
        for k in ("motion_accuracy_generated", "motion_accuracy_real"):
            assert 0 <= s[k] <= 1
        for k in ("temporal_consistency_generated", "temporal_consistency_real"):
            assert -1 <= s[k] <= 1
        assert [m for m, a in s["per_motion_accuracy_real"].items() if a is not None] == \
            [m for m in MOTION_NAMES if m in motions]
    assert c["sets"]["heldout-concept"]["clips"] == 10
    assert c["sets"]["heldout-concept"]["motion_accuracy_real"] >= 0.5
    # Every clip is a cached folder of 4 whole 64 px frames, named by frame index.
    from PIL import Image

    # The acceptance prompt: drawn for its seeds, scored against the "star" pictures, next to real clips.
    t = c["target"]
    assert (t["prompt"], t["concept"], t["seeds"]) == ("a spinning star", "star", [1, 2, 3, 4])
    assert len(t["generated"]["per_clip"]) == 4 and 0 <= t["generated"]["mean_iou"] <= 1
    stars = sum(m.get("label") == "star" for m in json.load(open(os.path.join(packed, "meta.json")))["images"])
    assert len(t["real"]["per_clip"]) == stars > 0 and t["real"]["mean_iou"] > 0.85
    assert t["generated"]["mean_iou"] < t["real"]["mean_iou"]  # random weights draw no circle
    assert t["real"]["width_error"] < 0.1 and 0 <= t["generated"]["width_error"] <= 1.5
    folders = [p for p in (tmp_path / "work").glob("tiny-clip-bundle-*/dpmpp-2m-8-gdefault/*") if p.is_dir()]
    assert len(folders) == sum(s["clips"] for s in c["sets"].values()) + 4
    for f in folders:
        assert sorted(x.name for x in f.iterdir()) == ["00.png", "01.png", "02.png", "03.png"]
        assert Image.open(f / "00.png").size == (64, 64)
    md = (tmp_path / "eval.md").read_text()
    assert md.startswith("### Clips (tiny-clip-bundle") and "| held-out concepts (never trained) | 10 |" in md
    assert "| | silhouette IoU | width error |" in md
    assert '"a spinning star"' in md and f"| real corpus clips ({stars}) | " in md
    gif = Image.open(tmp_path / c["sheet"])
    assert gif.n_frames == 4 and gif.size == (190 + 4 * 132, 16 + (len(MOTION_NAMES) + 1) * 132)

    # A rerun draws nothing, trains nothing and repeats every number.
    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert second.returncode == 0 and "drawing" not in second.stderr and "classifier: cached" in second.stderr
    assert json.loads(out.read_text())["clips"] == c
