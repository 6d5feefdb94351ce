"""Recolour augmentation: a picture of one dominant hue turned to another colour, its caption to match.

"a red car" is only ever red in the data, so the model learns "car" as red and cannot bind a colour
word to a noun. Turning the hue of single-hue pictures (greys, black and white stay as they are)
and rewriting the caption's colour word gives it the same noun in many colours.
"""

from __future__ import annotations

import math
import re
from typing import Dict, List, Optional

import numpy as np
import torch

# Hue centres in degrees of the colour words captions use; the model's colour vocabulary.
HUES: Dict[str, float] = {"red": 0.0, "orange": 30.0, "yellow": 55.0, "green": 120.0, "blue": 215.0,
                          "purple": 275.0, "pink": 325.0}
_COLOUR_WORD = re.compile(r"\b(" + "|".join(HUES) + r")\b")
# Colours hue cannot make: a caption naming one is left alone, or "a brown heart" would turn into
# "a blue brown heart".
_OTHER_COLOUR = re.compile(r"\b(brown|black|white|gr[ae]y|gold|golden|silver|beige|tan|rainbow|multicolou?red)\b")
_ARTICLE = re.compile(r"^(a|an|the)\s+", re.I)


def colour_of(hue: float) -> str:
    """The colour word whose centre is nearest to `hue` (degrees)."""
    return min(HUES, key=lambda name: abs((hue - HUES[name] + 180.0) % 360.0 - 180.0))


def dominant_hues(images: np.ndarray, min_share: float = 0.5, max_spread: float = 22.0) -> np.ndarray:
    """Per image (uint8 [N, H, W, 3]): the hue in degrees most of its coloured pixels share, or NaN.

    A pixel is coloured when saturated and not dark; an image qualifies when coloured pixels are at
    least `min_share` of its drawn (non-white) pixels and their hues spread less than `max_spread`.
    """
    out = np.full(len(images), np.nan, np.float32)
    for start in range(0, len(images), 1024):
        x = images[start:start + 1024].astype(np.float32) / 255.0
        mx, mn = x.max(-1), x.min(-1)
        sat = (mx - mn) / np.maximum(mx, 1e-6)
        r, g, b = x[..., 0], x[..., 1], x[..., 2]
        # The hue angle from the opponent-colour plane: continuous, no HSV sector cases.
        hue = np.degrees(np.arctan2(math.sqrt(3) * (g - b), 2 * r - g - b)) % 360.0
        drawn = mn < 0.92
        coloured = drawn & (sat > 0.35) & (mx > 0.25)
        for k in range(x.shape[0]):
            c, d = coloured[k], drawn[k]
            if d.sum() < 20 or c.sum() < min_share * d.sum():
                continue
            angles = np.radians(hue[k][c])
            mean = np.array([np.cos(angles).mean(), np.sin(angles).mean()])
            length = float(np.hypot(*mean))
            spread = math.degrees(math.sqrt(max(0.0, -2.0 * math.log(max(length, 1e-6)))))
            if spread < max_spread:
                out[start + k] = math.degrees(math.atan2(mean[1], mean[0])) % 360.0
    return out


def hue_rotation(degrees: float) -> torch.Tensor:
    """3x3 matrix turning RGB about the grey axis by `degrees`: greys stay grey, hues turn."""
    t = math.radians(degrees)
    c, s = math.cos(t), math.sin(t)
    k = (1.0 - c) / 3.0
    q = math.sqrt(1.0 / 3.0) * s
    return torch.tensor([[c + k, k - q, k + q], [k + q, c + k, k - q], [k - q, k + q, c + k]], dtype=torch.float32)


def recolour_caption(caption: str, source: str, target: str) -> Optional[str]:
    """The caption with the picture's colour `source` said as `target`; None when it names another colour."""
    words = set(_COLOUR_WORD.findall(caption.lower()))
    if words - {source} or _OTHER_COLOUR.search(caption.lower()):
        return None
    if words:
        return _COLOUR_WORD.sub(target, caption)
    m = _ARTICLE.match(caption)
    if m:
        return f"a {target} {caption[m.end():]}"
    return f"{target} {caption}"


def recolour(image: torch.Tensor, hue: float, target: str) -> torch.Tensor:
    """`image` in [-1, 1], [3, H, W], hue-turned from `hue` to the centre of `target`."""
    m = hue_rotation(HUES[target] - hue)
    x = (image + 1.0) / 2.0
    y = torch.einsum("ij,jhw->ihw", m, x).clamp_(0.0, 1.0)
    return y * 2.0 - 1.0


def choices(hue: float) -> List[str]:
    """Colours a picture of `hue` may be turned to: all but its own."""
    own = colour_of(hue)
    return [c for c in HUES if c != own]
