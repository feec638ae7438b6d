"""Chord symbols and roman numerals.

>>> parse_chord("Cmaj7")
(0, (0, 4, 7, 11), None)
>>> parse_chord("F#m7b5/C")
(6, (0, 3, 6, 10), 0)
>>> roman_to_chord("ii7", Key(0, "major"))
('Dm7', 2, (0, 3, 7, 10))
"""
from __future__ import annotations

import re

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.key import MODES, Key, pc_name, pitch_class
from maestro_ai.core.score import Chord

# Suffix -> intervals above the root. The first spelling is the canonical one we print.
QUALITIES: dict[str, tuple[int, ...]] = {
    "": (0, 4, 7), "m": (0, 3, 7), "dim": (0, 3, 6), "aug": (0, 4, 8),
    "sus2": (0, 2, 7), "sus4": (0, 5, 7), "5": (0, 7),
    "6": (0, 4, 7, 9), "m6": (0, 3, 7, 9), "7": (0, 4, 7, 10), "maj7": (0, 4, 7, 11),
    "m7": (0, 3, 7, 10), "mmaj7": (0, 3, 7, 11), "m7b5": (0, 3, 6, 10), "dim7": (0, 3, 6, 9),
    "7sus4": (0, 5, 7, 10), "add9": (0, 4, 7, 14), "madd9": (0, 3, 7, 14),
    "9": (0, 4, 7, 10, 14), "maj9": (0, 4, 7, 11, 14), "m9": (0, 3, 7, 10, 14),
    "6/9": (0, 4, 7, 9, 14), "11": (0, 7, 10, 14, 17), "m11": (0, 3, 7, 10, 14, 17),
    "13": (0, 4, 10, 14, 21), "maj13": (0, 4, 11, 14, 21), "7b9": (0, 4, 7, 10, 13),
}
ALIASES = {
    "M": "", "maj": "", "min": "m", "-": "m", "M7": "maj7", "Δ": "maj7", "Δ7": "maj7",
    "ma7": "maj7", "min7": "m7", "-7": "m7", "ø": "m7b5", "ø7": "m7b5", "°": "dim",
    "o": "dim", "°7": "dim7", "o7": "dim7", "+": "aug", "sus": "sus4", "69": "6/9",
    "min9": "m9", "-9": "m9", "M9": "maj9", "min6": "m6", "mM7": "mmaj7",
}
_SYMBOL = re.compile(r"^([A-G][#b♯♭]?)([^/]*?)(?:/([A-G][#b♯♭]?))?$")


def parse_chord(symbol: str) -> tuple[int, tuple[int, ...], int | None]:
    """Read a chord symbol into (root pitch class, intervals, bass pitch class or None)."""
    m = _SYMBOL.match(symbol.strip())
    suffix = m.group(2) if m else ""
    suffix = ALIASES.get(suffix, suffix)
    if not m or suffix not in QUALITIES:
        raise InvalidRequest(f"cannot read chord {symbol!r}; write it like 'Cmaj7', 'Am', 'G6', 'F#m7b5' or 'C/E'")
    bass = pitch_class(m.group(3)) if m.group(3) else None
    return pitch_class(m.group(1)), QUALITIES[suffix], bass


def is_chord_symbol(token: str) -> bool:
    """True when a token reads as a chord symbol (an octave digit makes it a note: 'E4')."""
    try:
        parse_chord(token)
    except InvalidRequest:
        return False
    return True


def chord_symbol(root: int, intervals: tuple[int, ...], flats: bool = False, bass: int | None = None) -> str:
    """Print a chord: (2, m7 intervals) -> 'Dm7'."""
    intervals = tuple(intervals)
    suffix = None
    while suffix is None and intervals:
        suffix = next((s for s, iv in QUALITIES.items() if iv == intervals), None)
        intervals = intervals[:-1]  # unnamed extension: name the chord without its top interval
    suffix = suffix or ""
    text = pc_name(root, flats) + suffix
    if bass is not None and bass != root:
        text += "/" + pc_name(bass, flats)
    return text


_ROMAN = re.compile(r"^([b#]?)(VII|VI|IV|V|III|II|I|vii|vi|iv|v|iii|ii|i)(.*)$")
_ROMAN_DEGREE = {"i": 0, "ii": 1, "iii": 2, "iv": 3, "v": 4, "vi": 5, "vii": 6}


def roman_to_chord(numeral: str, key: Key) -> tuple[str, int, tuple[int, ...]]:
    """Realize a roman numeral in a key: ('V7', C major) -> ('G7', 7, dom7 intervals).

    Upper case is major, lower case minor; the suffix (7, maj7, 9, ø7, °, sus4, ...) is a chord
    quality as in a chord symbol; a leading b or # alters the root (bVII). As is usual, degrees
    count on the major scale of the tonic, so bVII in A minor is G; the mode picks the spelling.
    A secondary chord names its own tonic after a slash: V7/vi is the dominant of vi.

    >>> roman_to_chord("V7/vi", Key(0, "major"))[0], roman_to_chord("ii7/IV", Key(0, "major"))[0]
    ('E7', 'Gm7')
    """
    if "/" in numeral:
        head, _, target = numeral.partition("/")
        local = roman_to_chord(target, key)[1]
        _, root, intervals = roman_to_chord(head, Key(local, "major"))
        return chord_symbol(root, intervals, flats=key.flats), root, intervals
    m = _ROMAN.match(numeral)
    if not m:
        raise InvalidRequest(f"cannot read roman numeral {numeral!r}")
    accidental, degree_text, suffix = m.groups()
    scale = MODES["major"]
    root = (key.tonic + scale[_ROMAN_DEGREE[degree_text.lower()]] + {"b": -1, "#": 1, "": 0}[accidental]) % 12
    suffix = ALIASES.get(suffix, suffix)
    minor = degree_text.islower()
    if suffix in ("", "7", "9", "6", "11", "13") and minor:
        suffix = {"": "m", "7": "m7", "9": "m9", "6": "m6", "11": "m11", "13": "m11"}[suffix]
    if suffix not in QUALITIES:
        raise InvalidRequest(f"cannot read roman numeral {numeral!r}")
    intervals = QUALITIES[suffix]
    return chord_symbol(root, intervals, flats=key.flats), root, intervals


def moved_chord(chord: Chord, semitones: int, key: Key) -> Chord:
    """A chord `semitones` higher, spelled for `key`.

    >>> moved_chord(Chord("Am7", 9, (0, 3, 7, 10), 4.0, 4.0), 2, Key(2, "major")).symbol
    'Bm7'
    """
    root = (chord.root + semitones) % 12
    bass = None if chord.bass is None else (chord.bass + semitones) % 12
    return Chord(chord_symbol(root, chord.intervals, key.flats, bass), root, chord.intervals, chord.start, chord.duration,
                 bass)
