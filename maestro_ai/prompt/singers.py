"""The voices Maestro sings with (data/singers.toml): voice types with a range, the engine that
speaks their syllables and its voice (espeak-ng's, for Maestro's own), and the voices registered
beside them (core.voices). A genre names the types it chooses among; the seed picks one.

>>> singer = load_singer("female-low")
>>> singer.low, singer.high, singer.engine, singer.voice
(55, 74, 'espeak-ng', 'en-us+f2')
>>> choose_singer(("male-high", "female-high"), 3).name in ("male-high", "female-high")
True
"""
from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.random import stream
from maestro_ai.core.voices import registered_voices
from maestro_ai.prompt.presets import read_data

DEFAULT_SINGERS = ("female-high", "male-high")  # a genre without a voice of its own, asked to sing
ESPEAK_NG = "espeak-ng"  # the engine of Maestro's own voices


@dataclass(frozen=True)
class Singer:
    """A voice type: its name, what it is called, its range (MIDI), the engine's voice that speaks
    its syllables, how far its formants move, and the engine (a registered one's name)."""

    name: str
    label: str
    low: int
    high: int
    voice: str
    warp: float = 1.0
    engine: str = ESPEAK_NG


@functools.cache
def shipped_singers() -> dict[str, Singer]:
    """Maestro's own voices (data/singers.toml)."""
    return {name: Singer(name, t["label"], int(t["range"][0]), int(t["range"][1]), t["voice"], float(t.get("warp", 1.0)))
            for name, t in read_data("singers.toml").items()}


def all_singers() -> dict[str, Singer]:
    """Maestro's own voices and the registered ones (each sung by its own engine)."""
    shipped = shipped_singers()
    registered = {name: Singer(name, v.label, v.low, v.high, v.voice, engine=v.engine.name)
                  for name, v in registered_voices(tuple(shipped)).items()}
    return {**shipped, **registered}


def load_singer(name: str) -> Singer:
    """The voice type called `name`, or a one-line error naming the valid ones."""
    singers = all_singers()
    if isinstance(name, str) and name.strip().lower() in singers:
        return singers[name.strip().lower()]
    close = difflib.get_close_matches(str(name).lower(), singers, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise InvalidRequest(f"unknown voice {str(name)!r:.40}; {hint}Valid: {', '.join(singers)}")


def choose_singer(names: tuple[str, ...], seed: int) -> Singer:
    """One of the genre's voice types, the same for the same seed."""
    names = names or DEFAULT_SINGERS
    return load_singer(names[int(stream(seed, "singer").integers(len(names)))])
