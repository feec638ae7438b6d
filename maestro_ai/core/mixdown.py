"""The mix as the render stage hands it on: one stem per part and their sum.

>>> import numpy as np
>>> m = Mixdown({"drums": np.zeros((2, 4), np.float32)}, np.zeros((2, 4), np.float32), 44100, {"drums": 0.0})
>>> m.frames
4
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


class StoredAudio(Protocol):
    """Audio kept elsewhere until it is needed (a long song's stems wait on disk: io.spill)."""

    def load(self) -> np.ndarray: ...


def audio_of(stem: np.ndarray | StoredAudio) -> np.ndarray:
    """A stem's samples, wherever they are kept."""
    return stem if isinstance(stem, np.ndarray) else stem.load()


@dataclass
class Mixdown:
    """Stems by part name (float32, (2, frames), in memory or stored) in the song's part order,
    their sum (the pre-master mix), the sample rate, and the gain each stem was given (dB)."""

    stems: dict[str, np.ndarray | StoredAudio]
    mix: np.ndarray
    sample_rate: int
    gains_db: dict[str, float]

    @property
    def frames(self) -> int:
        return int(self.mix.shape[1])
