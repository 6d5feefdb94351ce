"""The everyday benchmark's judging rules, on pictures whose answer is known."""

import json

import numpy as np

from training.mdm.everyday import FAMILIES, PROMPTS, Concepts, check, colour_share, target_classes, words_of


def _concepts(names):
    n = len(names)
    return Concepts(ids=[f"c{i}" for i in range(n)], words=[words_of(x) for x in names], names=list(names),
                    images=np.zeros((n, 8, 8, 3), np.uint8), labels=np.arange(n), family=np.zeros(n, int),
                    reserved=np.zeros(n, bool))


def _disc(rgb):
    img = np.full((32, 32, 3), 255, np.uint8)
    yy, xx = np.mgrid[0:32, 0:32]
    img[(yy - 16) ** 2 + (xx - 16) ** 2 < 100] = rgb
    return img


def test_targets_match_names_with_every_word_and_honour_exclusions():
    c = _concepts(["dog", "dog face", "hot dog", "cat", "light bulb", "bulb off"])
    assert target_classes({"targets": ["dog"], "exclude": ["hot dog"]}, c) == {0, 1}
    assert target_classes({"targets": ["light bulb"]}, c) == {4}
    assert target_classes({"targets": ["bulb"]}, c) == {4, 5}


def test_colour_share_tells_the_asked_colour_from_another():
    assert colour_share(_disc((30, 60, 220)), "blue") > 0.9
    assert colour_share(_disc((220, 30, 30)), "blue") == 0.0
    assert colour_share(_disc((90, 90, 90)), "red") == 0.0  # grey has no colour


def test_check_needs_the_concept_and_whatever_colour_or_style_was_asked():
    fam = np.zeros(len(FAMILIES))
    fam[FAMILIES.index("line-icon")] = 0.9
    red = _disc((220, 30, 30))
    ok = check({"targets": ["car"], "colour": "red"}, np.array([3, 1]), fam, red, {1})
    assert ok == {"concept": True, "colour": True, "ok": True}
    assert not check({"targets": ["car"], "colour": "blue"}, np.array([1]), fam, red, {1})["ok"]
    assert not check({"targets": ["car"]}, np.array([7, 8]), fam, red, {1})["ok"]
    assert check({"targets": ["house"], "style": "line"}, np.array([1]), fam, red, {1})["ok"]
    assert not check({"targets": ["house"], "style": "colour"}, np.array([1]), fam, red, {1})["ok"]


def test_the_benchmark_is_broad():
    with open(PROMPTS, encoding="utf-8") as f:
        prompts = json.load(f)["prompts"]
    assert len(prompts) >= 300
    assert len({p["prompt"] for p in prompts}) == len(prompts)
    assert len({p["category"] for p in prompts}) >= 12
