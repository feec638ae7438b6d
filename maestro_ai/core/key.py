"""Keys: a tonic pitch class and a mode, read from and written as text ('A minor', 'Bb major').

A `Key` is a (tonic, mode) tuple that checks itself, so `tonic, mode = key` works anywhere.

>>> key = Key.parse("A minor")
>>> key, str(key), key.scale
(Key(tonic=9, mode='minor'), 'A minor', (9, 11, 0, 2, 4, 5, 7))
>>> str(Key(10, "major")), Key.parse("F#m").name
('Bb major', 'F# minor')
"""
from __future__ import annotations

from typing import NamedTuple

from maestro_ai.core.errors import InvalidRequest

MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
}
MINOR_LIKE = {"minor", "dorian", "phrygian"}
MODE_ALIASES = {"maj": "major", "min": "minor", "aeolian": "minor", "ionian": "major"}
LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
FLAT_MAJOR_TONICS = {5, 10, 3, 8, 1, 6}  # major keys conventionally spelled with flats


def pitch_class(name: str) -> int:
    """Pitch class of a letter name with accidentals: 'Bb' -> 10, 'C#' -> 1."""
    if not name or name[0].upper() not in LETTERS:
        raise InvalidRequest(f"cannot read note name {name!r}; use a letter A-G with optional # or b")
    pc = LETTERS[name[0].upper()]
    for ch in name[1:]:
        if ch in "#♯":
            pc += 1
        elif ch in "b♭":
            pc -= 1
        else:
            raise InvalidRequest(f"cannot read note name {name!r}; use a letter A-G with optional # or b")
    return pc % 12


def pc_name(pc: int, flats: bool = False) -> str:
    """Name of a pitch class."""
    return (FLAT_NAMES if flats else SHARP_NAMES)[pc % 12]


class _KeyFields(NamedTuple):
    tonic: int
    mode: str


class Key(_KeyFields):
    """A key: tonic pitch class 0-11 (0 = C) and a mode from MODES."""

    __slots__ = ()

    def __new__(cls, tonic: int, mode: str) -> Key:
        if isinstance(tonic, bool) or not isinstance(tonic, int) or not 0 <= tonic <= 11:
            raise InvalidRequest(f"a key's tonic is a pitch class 0-11, not {tonic!r}")
        if mode not in MODES:
            raise InvalidRequest(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
        return super().__new__(cls, tonic, mode)

    @classmethod
    def parse(cls, text: object) -> Key:
        """Read 'A minor', 'Am', 'F# major', 'D dorian', 'Eb'."""
        if not isinstance(text, str):
            raise InvalidRequest(f"a key is text like 'A minor' or 'Eb major', not {text!r}")
        words = text.strip().replace("-", " ").split()
        if not words:
            raise InvalidRequest("empty key; write it like 'A minor' or 'Eb major'")
        tonic_text, mode = words[0], (words[1].lower() if len(words) > 1 else "major")
        if len(words) == 1 and len(tonic_text) > 1 and tonic_text.endswith("m") and tonic_text[:-1]:
            tonic_text, mode = tonic_text[:-1], "minor"
        mode = MODE_ALIASES.get(mode, mode)
        if mode not in MODES or len(words) > 2:
            raise InvalidRequest(f"cannot read key {text!r}; write it like 'A minor' or 'Eb major' "
                                 f"(modes: {', '.join(MODES)})")
        try:
            return cls(pitch_class(tonic_text), mode)
        except InvalidRequest:
            raise InvalidRequest(f"cannot read key {text!r}; write it like 'A minor' or 'Eb major'") from None

    @property
    def minor_like(self) -> bool:
        return self.mode in MINOR_LIKE

    @property
    def flats(self) -> bool:
        """Whether the key is conventionally spelled with flats (F major, D minor, ...)."""
        return (self.tonic + (3 if self.minor_like else 0)) % 12 in FLAT_MAJOR_TONICS

    @property
    def scale(self) -> tuple[int, ...]:
        """The seven pitch classes of the mode, starting on the tonic."""
        return tuple((self.tonic + step) % 12 for step in MODES[self.mode])

    @property
    def name(self) -> str:
        return f"{pc_name(self.tonic, self.flats)} {self.mode}"

    def __str__(self) -> str:
        return self.name

    def shift_from(self, tonic: int) -> int:
        """The nearest move, in semitones (-5 to +6), from pitch class `tonic` to this key's tonic.

        >>> Key(2, "minor").shift_from(0), Key(9, "major").shift_from(0)
        (2, -3)
        """
        shift = (self.tonic - tonic) % 12
        return shift - 12 if shift > 6 else shift
