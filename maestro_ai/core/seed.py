"""What a user gives a song to start from: a melody and/or a chord progression.

>>> from maestro_ai.core.score import Note
>>> Seed(melody=[Note(64, 0.0, 1.0)], source="notes").bars(4.0)
1
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from maestro_ai.core.score import Chord, Note


@dataclass
class Seed:
    """A melody (beats from 0) and/or a chord progression, and what kind of input it came from
    ('notes', 'chords', 'midi' or 'audio')."""

    melody: list[Note] | None = None
    chords: list[Chord] | None = None
    source: str = ""

    def bars(self, beats_per_bar: float) -> int:
        """How many bars the melody spans (at least one)."""
        if not self.melody:
            return 1
        return max(1, math.ceil(max(n.end for n in self.melody) / beats_per_bar - 1e-9))
