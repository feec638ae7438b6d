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
        return melody_bars(self.melody or [], beats_per_bar)


def melody_bars(notes: list[Note], beats_per_bar: float) -> int:
    """How many whole bars `notes` (beats from 0) span, at least one.

    >>> melody_bars([Note(60, 0.0, 4.5)], 4.0)
    2
    """
    if not notes:
        return 1
    return max(1, math.ceil(max(n.end for n in notes) / beats_per_bar - 1e-9))
