"""The key of a melody or a chord progression (Krumhansl-Kessler profiles).

>>> from maestro_ai.core.score import Note
>>> estimate_key([Note(p, i, 1.0) for i, p in enumerate([69, 72, 76, 74, 72, 71, 69])], None)
Key(tonic=9, mode='minor')
"""
from __future__ import annotations

import numpy as np

from maestro_ai.core.key import Key
from maestro_ai.core.score import Chord, Note

MAJOR_PROFILE = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR_PROFILE = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def estimate_key(melody: list[Note] | None, chords: list[Chord] | None) -> Key:
    """Best-correlating major or minor key for the pitch-class weight of a seed.

    For chords, the first chord's root gets a bonus: a progression usually starts at home.
    """
    if chords and not melody:
        return _key_of_chords(chords)
    weights = np.zeros(12)
    for n in melody or []:
        weights[n.pitch % 12] += n.duration
    for i, c in enumerate(chords or []):
        for pc in c.pitch_classes:
            weights[pc] += c.duration / 4
        if i == 0:
            weights[c.root] += 1.0
    best, best_score = (0, "major"), -np.inf
    for tonic in range(12):
        for mode, profile in (("major", MAJOR_PROFILE), ("minor", MINOR_PROFILE)):
            score = float(np.corrcoef(weights, np.roll(profile, tonic))[0, 1]) if weights.any() else 0.0
            if chords and chords[0].root == tonic and (3 in chords[0].intervals) == (mode == "minor"):
                score += 0.1
            if score > best_score:
                best, best_score = (tonic, mode), score
    return Key(*best)


def _key_of_chords(chords: list[Chord]) -> Key:
    """The key in which most chord tones are diatonic, preferring the first chord as home."""
    tones = [pc for c in chords for pc in c.pitch_classes]
    first = chords[0]
    first_mode = "minor" if 3 in first.intervals and 4 not in first.intervals else "major"
    best, best_score = (first.root, first_mode), -np.inf
    for tonic in range(12):
        for mode in ("major", "minor"):
            scale = set(Key(tonic, mode).scale)
            score = sum(pc in scale for pc in tones) / len(tones)
            score += 0.3 * (tonic == first.root and mode == first_mode) + 0.2 * (tonic == chords[-1].root)
            if score > best_score:
                best, best_score = (tonic, mode), score
    return Key(*best)
