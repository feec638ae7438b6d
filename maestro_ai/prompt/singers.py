"""The voices Maestro sings with (data/singers.toml): voice types with a range and the espeak-ng
voice whose syllables are sung. A genre names the types it chooses among; the seed picks one.

>>> singer = load_singer("female-low")
>>> singer.low, singer.high, singer.espeak
(55, 74, 'en-us+f2')
>>> choose_singer(("male-high", "female-high"), 3).name in ("male-high", "female-high")
True
"""
from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.random import stream
from maestro_ai.prompt.presets import read_data

DEFAULT_SINGERS = ("female-high", "male-high")  # a genre without a voice of its own, asked to sing


@dataclass(frozen=True)
class Singer:
    """A voice type: its name, what it is called, its range (MIDI), its espeak-ng voice and how
    far its formants move."""

    name: str
    label: str
    low: int
    high: int
    espeak: str
    warp: float = 1.0


@functools.cache
def all_singers() -> dict[str, Singer]:
    return {name: Singer(name, t["label"], int(t["range"][0]), int(t["range"][1]), t["espeak"], float(t.get("warp", 1.0)))
            for name, t in read_data("singers.toml").items()}


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
