"""Diatonic chords of a key: roman numerals realized at an extension level, the key's own 7ths
and 9ths, and the candidate chords a harmonizer chooses among.

>>> from maestro_ai.core.key import Key
>>> [symbol for symbol, _, _ in realize("Imaj7 vi7 ii7 V7", Key(0, "major"), 1)]
['Cmaj7', 'Am7', 'Dm7', 'G7']
>>> [root for _, root, _ in diatonic_candidates(Key(9, "minor"), 0)]
[9, 11, 0, 2, 4, 5, 7]
"""
from __future__ import annotations

from maestro_ai.core.key import Key
from maestro_ai.theory.chords import QUALITIES, chord_symbol, roman_to_chord

TRIADS = {QUALITIES[q]: q for q in ("", "m", "dim", "aug", "sus2", "sus4", "5")}


def extend_chord(root: int, intervals: tuple[int, ...], key: Key, level: int) -> tuple[int, ...]:
    """Re-voice a chord at an extension level (0 triads, 1 sevenths, 2 ninths), using the key's
    own 7ths and 9ths."""
    scale = set(key.scale)
    core = tuple(i for i in intervals if i < 10 or i in (10, 11) and level >= 1)
    if core in ((0, 7),) or (0, 4, 8) == core[:3]:
        return core  # power chords and augmented triads stay as they are
    if level == 0:
        return tuple(i for i in core if i < 10) if len(core) > 3 or core not in TRIADS else core
    if not any(i in (9, 10, 11) for i in core):
        if core == (0, 3, 6):
            seventh = 10
        else:
            seventh = 11 if (root + 11) % 12 in scale and 5 not in core else 10
        core = core + (seventh,)
    if level >= 2 and (root + 2) % 12 in scale and 3 not in core[:1]:
        core = core + (14,)
    full = tuple(sorted(core))
    return full if chord_symbol(root, full).endswith(("9", "7", "6", "maj7", "b5", "sus4")) else tuple(sorted(core[:4]))


def realize(numerals: str, key: Key, level: int) -> list[tuple[str, int, tuple[int, ...]]]:
    """Roman numerals -> (symbol, root, intervals) in a key, at an extension level."""
    out = []
    for numeral in numerals.split():
        _, root, intervals = roman_to_chord(numeral, key)
        intervals = extend_chord(root, intervals, key, level)
        out.append((chord_symbol(root, intervals, key.flats), root, intervals))
    return out


def diatonic_candidates(key: Key, level: int) -> list[tuple[int, int, tuple[int, ...]]]:
    """(scale degree, root, intervals) of each diatonic chord at an extension level."""
    scale = key.scale
    candidates = []
    for degree, root in enumerate(scale):
        third = (scale[(degree + 2) % 7] - root) % 12
        fifth = (scale[(degree + 4) % 7] - root) % 12
        candidates.append((degree, root, extend_chord(root, (0, third, fifth), key, level)))
    return candidates
