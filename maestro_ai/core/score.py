"""The shared data model: notes, parts, sections and the score.

Time is in beats (quarter notes) from the start of the song; the score is the clean,
quantized notation. Swing and humanization live in the performance (see compose.perform).

>>> part = Part("bass", program=33, notes=[Note(36, 0.0, 1.0, 90)])
>>> part.notes[0].end
1.0
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Note:
    """One note: MIDI pitch, start and duration in beats, MIDI velocity (1-127)."""

    pitch: int
    start: float
    duration: float
    velocity: int = 90

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass(frozen=True)
class Chord:
    """A chord sounding from `start` for `duration` beats.

    `root` is a pitch class (0 = C); `intervals` are semitones above the root, root included;
    `bass` is the pitch class in the bass (differs from root for slash chords).
    """

    symbol: str
    root: int
    intervals: tuple[int, ...]
    start: float = 0.0
    duration: float = 4.0
    bass: int | None = None

    @property
    def pitch_classes(self) -> tuple[int, ...]:
        return tuple(sorted({(self.root + i) % 12 for i in self.intervals}))

    @property
    def bass_pc(self) -> int:
        return self.root if self.bass is None else self.bass

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass
class Part:
    """One instrument's line: its GM program (0-127) or a drum kit, and its notes."""

    name: str
    program: int
    notes: list[Note] = field(default_factory=list)
    is_drum: bool = False
    instrument: str = ""


@dataclass(frozen=True)
class Section:
    """A span of the form: name (intro, verse, ...), first bar, number of bars, energy 0-1."""

    name: str
    start_bar: int
    bars: int
    energy: float

    @property
    def end_bar(self) -> int:
        return self.start_bar + self.bars


@dataclass
class Score:
    """The whole song as notation: tempo, key, metre, form, chords and parts."""

    tempo: float
    key_tonic: int
    key_mode: str
    time_signature: tuple[int, int]
    sections: list[Section]
    chords: list[Chord]
    parts: list[Part]

    @property
    def beats_per_bar(self) -> float:
        num, den = self.time_signature
        return num * 4.0 / den

    @property
    def bars(self) -> int:
        return self.sections[-1].end_bar if self.sections else 0

    @property
    def length_beats(self) -> float:
        return self.bars * self.beats_per_bar

    def seconds(self, beats: float) -> float:
        return beats * 60.0 / self.tempo

    def part(self, name: str) -> Part:
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)
