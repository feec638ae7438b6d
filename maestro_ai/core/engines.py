"""The engines composition is given rather than imports: a melody writer and a harmonizer.

Composition (maestro_ai.compose) asks for melodies and chords through these interfaces; the
learned composer (maestro_ai.models) implements them, and the pipeline passes it in. Any object
with the same shape plugs in (see `MotifMelodyEngine` in compose.melody for a rule-based one).

>>> from maestro_ai.core.key import Key
>>> req = MelodyRequest(Key(0, "major"), [], [], 4.0)
>>> req.register, req.density
((60, 84), 0.5)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from maestro_ai.core.key import Key
from maestro_ai.core.score import Chord, Note, Section


@dataclass
class MelodyRequest:
    """What a melody engine is asked for. Times are in beats from the song's start; the engine
    writes the `sections` it is given (the song's melodic ones) and leaves the `rests` bars empty."""

    key: Key
    chords: list[Chord]
    sections: list[Section]
    beats_per_bar: float
    register: tuple[int, int] = (60, 84)
    density: float = 0.5
    seed: list[Note] | None = None
    time_signature: tuple[int, int] | None = None  # a TimeSignature in songs; any (n, d) the model knows
    rests: frozenset[int] = frozenset()  # bars (from the song's start) where the lead breathes: no onsets


class MelodyEngine(Protocol):
    """Anything that writes a melody for a request; `name` and `version` go into track.json."""

    name: str
    version: str

    def compose(self, request: MelodyRequest, rng: np.random.Generator) -> list[Note]: ...


class Harmonizer(Protocol):
    """Chooses one chord per bar for a melody among `candidates` ((root, intervals) pairs), each
    bar's choice differing from `avoid`'s chord there where it can (reharmonization)."""

    def __call__(self, melody: list[Note], bars: int, beats_per_bar: float, key: Key,
                 candidates: list[tuple[int, tuple[int, ...]]], rng: np.random.Generator,
                 avoid: list[Chord] | None = None,
                 time_signature: tuple[int, int] | None = None) -> list[tuple[int, tuple[int, ...]]]: ...
