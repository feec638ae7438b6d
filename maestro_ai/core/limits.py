"""Every limit a request is checked against, in one place, and the checks that enforce them.

>>> number("tempo", 72, TEMPO_BPM, "BPM")
72.0
>>> number("tempo", 9999, TEMPO_BPM, "BPM")
Traceback (most recent call last):
maestro_ai.core.errors.InvalidRequest: tempo 9999 is out of range; use 30-300 BPM
>>> whole("seed", 7, SEED)
7
"""
from __future__ import annotations

import math
import numbers
import unicodedata

from maestro_ai.core.errors import InvalidRequest

TEMPO_BPM = (30.0, 300.0)  # a song's tempo
FILE_TEMPO_BPM = (20.0, 400.0)  # the tempo written into a MIDI file (melody, transcribe)
DURATION_SECONDS = (5.0, 1200.0)  # a song's length
SEED = (0, 2**64 - 1)  # seeds are unsigned 64-bit integers
KEY_PHRASES = 32  # at most this many key phrases ...
PHRASE_CHARACTERS = 200  # ... each at most this long
TITLE_CHARACTERS = 120
MELODY_BARS = (1, 256)  # `maestro melody --bars`
SEED_MELODY_BEATS = 64.0  # a seed melody longer than this is cut here
TRANSCRIBE_SECONDS = 1800.0  # `maestro transcribe` takes recordings up to half an hour
LUFS = (-40.0, -5.0)  # mastering targets
TRUE_PEAK_DBTP = (-9.0, 0.0)
WIDTH = (0.0, 2.0)
MIX = (0.0, 1.0)
TEMPERATURE = (0.1, 2.0)  # the composer's sampling
TOP_K = (1, 500)
TOP_P = (0.1, 1.0)


def number(name: str, value: object, limits: tuple[float, float], unit: str = "") -> float:
    """`value` as a float inside `limits` (inclusive), or an InvalidRequest naming the range.

    >>> number("duration", float("nan"), DURATION_SECONDS, "seconds")
    Traceback (most recent call last):
    maestro_ai.core.errors.InvalidRequest: duration must be a number, not nan
    """
    if isinstance(value, (bool, str, bytes)) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        raise InvalidRequest(f"{name} must be a number, not {_shown(value)}")
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise InvalidRequest(f"{name} must be a number, not {_shown(value)}") from None
    if not math.isfinite(result):
        raise InvalidRequest(f"{name} must be a number, not {value!r}")
    low, high = limits
    if not low <= result <= high:
        span = f"{low:g} to {high:g}" if low < 0 else f"{low:g}-{high:g}"
        raise InvalidRequest(f"{name} {result:g} is out of range; use {span}{' ' + unit if unit else ''}")
    return result


def whole(name: str, value: object, limits: tuple[int, int]) -> int:
    """`value` as an int inside `limits` (inclusive); floats with a fraction, bools and text are refused.

    >>> whole("seed", -1, SEED)
    Traceback (most recent call last):
    maestro_ai.core.errors.InvalidRequest: seed must be a whole number from 0 to 18446744073709551615, not -1
    """
    low, high = limits
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidRequest(f"{name} must be a whole number from {low} to {high}, not {_shown(value)}")
    return int(value)


def text(name: str, value: object, most: int, example: str) -> str:
    """A non-empty string of at most `most` characters, stripped.

    >>> text("title", "  Rain  ", TITLE_CHARACTERS, "'Rain'")
    'Rain'
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"{name} must be a non-empty string, like {example}")
    if len(value.strip()) > most:
        raise InvalidRequest(f"{name} is {len(value.strip())} characters long; keep it to {most}")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise InvalidRequest(f"{name} holds control characters or bytes that are not text; write it in plain text")
    return value.strip()


def _shown(value: object) -> str:
    """A value as a message can show it: short, and a huge number by its length."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"a number of {len(str(abs(value))) if value.bit_length() < 13_000 else 'thousands of'} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
