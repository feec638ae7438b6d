"""Note names and MIDI numbers (pitch classes and their names live with the Key, in core.key).

>>> note_to_midi("C4"), note_to_midi("F#3"), midi_to_name(61)
(60, 54, 'C#4')
"""
from __future__ import annotations

import re

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.key import FLAT_NAMES, LETTERS, SHARP_NAMES

_NOTE = re.compile(r"^([A-Ga-g])([#b♯♭]*)(-?\d+)$")


def note_to_midi(name: str) -> int:
    """MIDI number of a scientific-pitch name (C4 = 60)."""
    m = _NOTE.match(name.strip())
    if not m:
        raise InvalidRequest(f"cannot read note {name!r}; write it like 'E4', 'F#3' or 'Bb5'")
    letter, acc, octave = m.groups()
    base = LETTERS[letter.upper()] + sum(1 if a in "#♯" else -1 for a in acc)
    midi = base + (int(octave) + 1) * 12
    if not 0 <= midi <= 127:
        raise InvalidRequest(f"note {name!r} is outside the MIDI range C-1..G9")
    return midi


def midi_to_name(midi: int, flats: bool = False) -> str:
    """Scientific-pitch name of a MIDI number."""
    names = FLAT_NAMES if flats else SHARP_NAMES
    return f"{names[midi % 12]}{midi // 12 - 1}"
