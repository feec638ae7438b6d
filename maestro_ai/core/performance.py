"""The performance: the score as played, in MIDI ticks, with swing and human timing.

Both song.mid and the audio stems come from the same performance, so they agree exactly.

>>> from maestro_ai.core.key import Key
>>> from maestro_ai.core.meter import TimeSignature
>>> perf = Performance(tempo=120.0, time_signature=TimeSignature(4, 4), key=Key(0, "major"), parts=[])
>>> perf.seconds(PPQ)
0.5
"""
from __future__ import annotations

from dataclasses import dataclass, field

from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature

PPQ = 480  # ticks per quarter note


@dataclass(frozen=True)
class PlayedNote:
    """A note as played: start and end in ticks, MIDI pitch and velocity."""

    start: int
    end: int
    pitch: int
    velocity: int


@dataclass(frozen=True)
class Control:
    """A controller or pitch-bend event: `number` is a MIDI controller (64 sustain pedal, 11
    expression, 1 modulation) with a value 0-127, or BEND with a value -8192..8191."""

    tick: int
    number: int
    value: int


BEND = -1  # Control.number of a pitch-bend event


@dataclass
class PlayedPart:
    """One part as played: name, GM program, drum flag, MIDI channel, notes (sorted by start), the
    expression played with them (controls, sorted by tick) and the pitch-bend range in semitones."""

    name: str
    program: int
    is_drum: bool
    channel: int
    instrument: str = ""
    notes: list[PlayedNote] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    bend_range: int = 2
    lyrics: list[tuple[int, str]] = field(default_factory=list)  # (tick, syllable) at the notes they are sung on
    phonemes: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)  # (tick, sounds) of the same syllables

    def controls_of(self, number: int) -> list[Control]:
        return [c for c in self.controls if c.number == number]


@dataclass
class Performance:
    """Every part as played, at one tempo, and the spans (ticks) a noise riser plays under."""

    tempo: float
    time_signature: TimeSignature
    key: Key
    parts: list[PlayedPart]
    length_ticks: int = 0
    risers: list[tuple[int, int]] = field(default_factory=list)

    def seconds(self, ticks: int) -> float:
        return ticks * 60.0 / (self.tempo * PPQ)
