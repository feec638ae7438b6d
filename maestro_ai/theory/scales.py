"""Keys and modes.

>>> parse_key("A minor")
(9, 'minor')
>>> scale_pitch_classes(9, "minor")
(9, 11, 0, 2, 4, 5, 7)
>>> key_name(10, "major")
'Bb major'
"""
from __future__ import annotations

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.theory.pitch import pc_name, pitch_class

MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
}
MINOR_LIKE = {"minor", "dorian", "phrygian"}
# Keys whose conventional spelling uses flats.
_FLAT_MAJOR_TONICS = {5, 10, 3, 8, 1, 6}


def scale_pitch_classes(tonic: int, mode: str) -> tuple[int, ...]:
    """The seven pitch classes of a mode, starting on the tonic."""
    return tuple((tonic + step) % 12 for step in MODES[mode])


def uses_flats(tonic: int, mode: str) -> bool:
    """Whether a key is conventionally spelled with flats (F major, D minor, ...)."""
    relative_major = (tonic + (3 if mode in MINOR_LIKE else 0)) % 12
    return relative_major in _FLAT_MAJOR_TONICS


def key_name(tonic: int, mode: str) -> str:
    """'A minor', 'Bb major', 'D dorian'."""
    return f"{pc_name(tonic, flats=uses_flats(tonic, mode))} {mode}"


def parse_key(text: str) -> tuple[int, str]:
    """Read 'A minor', 'Am', 'F# major', 'D dorian', 'Eb' into (tonic pitch class, mode)."""
    words = text.strip().replace("-", " ").split()
    if not words:
        raise InvalidRequest("empty key; write it like 'A minor' or 'Eb major'")
    tonic_text, mode = words[0], (words[1].lower() if len(words) > 1 else "major")
    if len(words) == 1 and len(tonic_text) > 1 and tonic_text.endswith("m") and tonic_text[:-1]:
        tonic_text, mode = tonic_text[:-1], "minor"
    mode = {"maj": "major", "min": "minor", "aeolian": "minor", "ionian": "major"}.get(mode, mode)
    if mode not in MODES or len(words) > 2:
        raise InvalidRequest(f"cannot read key {text!r}; write it like 'A minor' or 'Eb major' "
                             f"(modes: {', '.join(MODES)})")
    try:
        return pitch_class(tonic_text), mode
    except InvalidRequest:
        raise InvalidRequest(f"cannot read key {text!r}; write it like 'A minor' or 'Eb major'") from None
