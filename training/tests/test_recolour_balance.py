"""The v2 data levers: recolour augmentation, balanced draws, and a vocabulary grown in place."""

import numpy as np
import torch

from training.mdm import recolour as rc
from training.mdm.data import Batcher, Dataset, balanced_weights
from training.mdm.tokenizer import Tokenizer
from training.mdm.tasks.image import extend_word_embeddings


def _disc(rgb, size=32):
    img = np.full((size, size, 3), 255, np.uint8)
    yy, xx = np.mgrid[0:size, 0:size]
    img[(yy - size / 2) ** 2 + (xx - size / 2) ** 2 < (size / 3) ** 2] = rgb
    return img


def test_dominant_hue_finds_one_hue_pictures_and_skips_many_coloured_or_grey_ones():
    red, blue, grey = _disc((220, 30, 30)), _disc((30, 60, 220)), _disc((90, 90, 90))
    split = _disc((220, 30, 30))
    split[:, 16:][split[:, 16:, 0] == 220] = (30, 200, 40)  # half red, half green
    hues = rc.dominant_hues(np.stack([red, blue, grey, split]))
    assert rc.colour_of(float(hues[0])) == "red"
    assert rc.colour_of(float(hues[1])) == "blue"
    assert np.isnan(hues[2]) and np.isnan(hues[3])


def test_recolour_turns_the_hue_and_keeps_greys_white_and_black():
    img = _disc((220, 30, 30))
    img[0, 0] = (0, 0, 0)
    x = torch.from_numpy(img).permute(2, 0, 1).float() / 127.5 - 1
    y = rc.recolour(x, float(rc.dominant_hues(img[None])[0]), "blue")
    turned = rc.dominant_hues(((y.permute(1, 2, 0) + 1) * 127.5).round().byte().numpy()[None])[0]
    assert rc.colour_of(float(turned)) == "blue"
    assert torch.allclose(y[:, 0, 0], x[:, 0, 0], atol=1e-5)  # black stays black
    assert torch.allclose(y[:, 0, 1], x[:, 0, 1], atol=1e-5)  # white stays white


def test_recolour_caption_swaps_or_adds_the_colour_word_and_refuses_other_colours():
    assert rc.recolour_caption("a red car", "red", "blue") == "a blue car"
    assert rc.recolour_caption("an apple", "red", "green") == "a green apple"
    assert rc.recolour_caption("sparkles", "yellow", "pink") == "pink sparkles"
    assert rc.recolour_caption("a red and yellow flag", "red", "blue") is None
    assert rc.recolour_caption("a brown heart", "orange", "blue") is None


def test_balanced_weights_give_each_family_its_share_and_damp_concepts_with_many_styles():
    concepts = ["apple"] * 4 + ["pear"] + ["person"] * 20 + ["house-line"] * 30
    families = ["emoji"] * 5 + ["people"] * 20 + ["line-icon"] * 30
    w = balanced_weights(concepts, families)
    fam = np.array(families)
    shares = {f: w[fam == f].sum() for f in set(families)}
    total = 0.45 + 0.12 + 0.20
    assert abs(shares["emoji"] - 0.45 / total) < 1e-9
    assert abs(shares["people"] - 0.12 / total) < 1e-9
    # Four apples draw twice (sqrt 4) as often as the one pear, not four times.
    assert abs(w[:4].sum() / w[4] - 2.0) < 1e-9


def test_family_shares_can_be_given_per_run():
    families = ["emoji"] * 5 + ["line-icon"] * 30
    w = balanced_weights(["a"] * 35, families, {"emoji": 0.9, "line-icon": 0.1})
    assert abs(w[:5].sum() - 0.9) < 1e-9


def test_batcher_recolours_pictures_and_their_captions_together():
    img = _disc((220, 30, 30))
    x = (torch.from_numpy(np.stack([img] * 4)).permute(0, 3, 1, 2).float() / 127.5 - 1)
    data = Dataset(images=x, captions=[["a red ball"]] * 4, concepts=["ball"] * 4, families=["emoji"] * 4,
                   hues=rc.dominant_hues(np.stack([img] * 4)))
    tok = Tokenizer.build(["a red ball", "a blue ball", "a green ball", "a yellow ball", "a orange ball",
                           "a purple ball", "a pink ball"] * 2)
    batcher = Batcher(data, tok, 0.0, seed=0, recolour=1.0)
    out, toks, _ = batcher.next(8)
    for k in range(8):
        word = tok.vocab[int(toks[k, 2])]
        assert word in rc.HUES and word != "red"
        picture = ((out[k].permute(1, 2, 0) + 1) * 127.5).round().byte().numpy()
        assert rc.colour_of(float(rc.dominant_hues(picture[None])[0])) == word
    assert torch.equal(data.images, x)  # the dataset itself is untouched


def test_extended_vocabulary_keeps_every_old_id_and_grows_the_embeddings_with_zeros():
    tok = Tokenizer.build(["a red heart", "a red heart", "a cat", "a cat"])
    grown = tok.extended(["a kitty", "a kitty", "a red heart", "once"])
    assert grown.vocab[: len(tok.vocab)] == tok.vocab
    assert "kitty" in grown.vocab and "once" not in grown.vocab
    assert grown.encode("a red heart") == tok.encode("a red heart")
    w = torch.randn(len(tok.vocab), 4)
    ck = {"ema": {"text_encoder.word.weight": w}, "optimizer": {}, "rng": {}}
    out = extend_word_embeddings(ck, len(grown.vocab))
    new = out["ema"]["text_encoder.word.weight"]
    assert torch.equal(new[: len(tok.vocab)], w) and torch.count_nonzero(new[len(tok.vocab):]) == 0
    assert "optimizer" not in out and "rng" not in out
