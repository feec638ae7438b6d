"""Voice leading: place chord tones so each voice moves as little as possible.

>>> voice_chord((0, 4, 7, 11), previous=None, low=52, high=72)
[59, 60, 64, 67]
"""
from __future__ import annotations

import itertools


def _candidates(pcs: tuple[int, ...], low: int, high: int) -> list[list[int]]:
    """All close-ish voicings (one note per pitch class) inside [low, high]."""
    options = [[p for p in range(low, high + 1) if p % 12 == pc] for pc in pcs]
    out = []
    for combo in itertools.product(*options):
        notes = sorted(combo)
        if notes[-1] - notes[0] <= 16:
            out.append(notes)
    return out


def voice_chord(pcs: tuple[int, ...], previous: list[int] | None, low: int, high: int) -> list[int]:
    """Choose a voicing of the pitch classes that moves least from the previous voicing.

    With no previous voicing, the one centred nearest the middle of the range wins.
    """
    cands = _candidates(tuple(pcs), low, high)
    if not cands:  # range too narrow for a compact voicing: stack upward from low
        return sorted(low + (pc - low) % 12 for pc in pcs)
    centre = (low + high) / 2
    if previous is None:
        return min(cands, key=lambda v: (abs(sum(v) / len(v) - centre) + 0.2 * (v[-1] - v[0]), v))

    def movement(v: list[int]) -> float:
        # Each new note moves to its nearest previous note; common tones cost nothing.
        cost = sum(min(abs(n - p) for p in previous) for n in v)
        return cost + 0.1 * abs(sum(v) / len(v) - centre)

    return min(cands, key=lambda v: (movement(v), v))


def drop2(voicing: list[int]) -> list[int]:
    """A close voicing of four notes or more with its second voice from the top an octave lower:
    the jazz pianist's drop-2, wider and clearer than a cluster (fewer notes stay as they are).

    >>> drop2([60, 64, 67, 71])
    [55, 60, 64, 71]
    """
    if len(voicing) < 4:
        return list(voicing)
    notes = sorted(voicing)
    notes[-2] -= 12
    return sorted(notes)
