"""Choosing a key from the mood when neither the user nor a seed gives one.

>>> rng = np.random.default_rng(0)
>>> choose_mode(0.2, ("major", "minor", "dorian"), rng), 0 <= choose_tonic(rng) <= 11
('minor', True)
"""
from __future__ import annotations

import numpy as np

from maestro_ai.core.key import MINOR_LIKE

COMMON_TONICS = [0, 2, 4, 5, 7, 9, 10, 3, 11, 8, 1, 6]


def choose_mode(valence: float, genre_modes: tuple[str, ...], rng: np.random.Generator) -> str:
    """Minor-like modes for low valence, major-like for high, from the genre's own modes."""
    want_minor = valence < 0.5 if abs(valence - 0.5) > 0.08 else rng.random() < 0.5
    matching = [m for m in genre_modes if (m in MINOR_LIKE) == want_minor]
    return matching[0] if matching else genre_modes[0]


def choose_tonic(rng: np.random.Generator) -> int:
    """A tonic, favouring keys that are common in practice."""
    weights = np.linspace(1.0, 0.3, len(COMMON_TONICS))
    return int(rng.choice(COMMON_TONICS, p=weights / weights.sum()))
