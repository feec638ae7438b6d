"""Note names and MIDI numbers.

>>> note_to_midi("C4"), note_to_midi("F#3"), midi_to_name(61)
(60, 54, 'C#4')
"""
from __future__ import annotations

import re

from maestro_ai.core.errors import InvalidRequest

PITCH_CLASS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
SHARP_NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
FLAT_NAMES = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"]
_NOTE = re.compile(r"^([A-Ga-g])([#b♯♭]*)(-?\d+)$")


def pitch_class(name: str) -> int:
    """Pitch class of a letter name with accidentals: 'Bb' -> 10, 'C#' -> 1."""
    if not name or name[0].upper() not in PITCH_CLASS:
        raise InvalidRequest(f"cannot read note name {name!r}; use a letter A-G with optional # or b")
    pc = PITCH_CLASS[name[0].upper()]
    for ch in name[1:]:
        if ch in "#♯":
            pc += 1
        elif ch in "b♭":
            pc -= 1
        else:
            raise InvalidRequest(f"cannot read note name {name!r}; use a letter A-G with optional # or b")
    return pc % 12


def note_to_midi(name: str) -> int:
    """MIDI number of a scientific-pitch name (C4 = 60)."""
    m = _NOTE.match(name.strip())
    if not m:
        raise InvalidRequest(f"cannot read note {name!r}; write it like 'E4', 'F#3' or 'Bb5'")
    letter, acc, octave = m.groups()
    base = PITCH_CLASS[letter.upper()] + sum(1 if a in "#♯" else -1 for a in acc)
    midi = base + (int(octave) + 1) * 12
    if not 0 <= midi <= 127:
        raise InvalidRequest(f"note {name!r} is outside the MIDI range C-1..G9")
    return midi


def midi_to_name(midi: int, flats: bool = False) -> str:
    """Scientific-pitch name of a MIDI number."""
    names = FLAT_NAMES if flats else SHARP_NAMES
    return f"{names[midi % 12]}{midi // 12 - 1}"


def pc_name(pc: int, flats: bool = False) -> str:
    """Name of a pitch class."""
    return (FLAT_NAMES if flats else SHARP_NAMES)[pc % 12]
