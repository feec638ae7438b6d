"""The shared data model: notes, chords, parts, sections and the score.

Time is in beats (quarter notes) from the start of the song; the score is the clean, quantized
notation. Swing and humanization live in the performance (see core.performance). Values check
themselves: a note cannot end before it starts, nor a pitch leave MIDI's range.

>>> part = Part("bass", program=33, notes=[Note(36, 0.0, 1.0, 90)])
>>> part.notes[0].end
1.0
>>> Note(60, 2.0, -1.0)
Traceback (most recent call last):
maestro_ai.core.errors.InvalidRequest: a note cannot end before it starts (duration -1)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature


@dataclass(frozen=True)
class Note:
    """One note: MIDI pitch, start and duration in beats, MIDI velocity (0-127)."""

    pitch: int
    start: float
    duration: float
    velocity: int = 90

    def __post_init__(self) -> None:
        if not 0 <= self.pitch <= 127:
            raise InvalidRequest(f"MIDI pitch {self.pitch} is outside 0-127")
        if not self.duration >= 0:
            raise InvalidRequest(f"a note cannot end before it starts (duration {self.duration:g})")
        if not 0 <= self.velocity <= 127:
            raise InvalidRequest(f"MIDI velocity {self.velocity} is outside 0-127")

    @property
    def end(self) -> float:
        return self.start + self.duration

    def moved(self, semitones: int) -> Note:
        """The same note `semitones` higher (or lower)."""
        return Note(self.pitch + semitones, self.start, self.duration, self.velocity)


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

    def __post_init__(self) -> None:
        if not 0 <= self.root <= 11 or (self.bass is not None and not 0 <= self.bass <= 11):
            raise InvalidRequest(f"chord {self.symbol!r}: root and bass are pitch classes 0-11")
        if not self.duration >= 0:
            raise InvalidRequest(f"chord {self.symbol!r} cannot end before it starts")

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

    def __post_init__(self) -> None:
        if not 0 <= self.program <= 127:
            raise InvalidRequest(f"part {self.name!r}: General MIDI programs are 0-127, not {self.program}")


VOCAL_PART = "vocals"  # the part a voice sings (compose.vocals)
RAP_PART = "rap"  # the part a voice raps (compose.rap)
HARMONY_PART = "harmonies"  # a second voice singing the words in harmony (compose.vocals)
DOUBLE_PART = "double"  # the lead doubled in the choruses: two more takes of it (compose.vocals)
ADLIB_PART = "adlibs"  # short interjections between the lead's lines ("yeah", "oh"), with words of their own
VOICE_PROGRAM = 54  # General MIDI's "Voice Oohs", for song.mid's listeners


@dataclass(frozen=True)
class Lyric:
    """One sung note's words: its syllable (empty on a melisma's later notes), the note's start in
    beats, the syllable's place in its word as MusicXML names it (single, begin, middle, end, or
    'melisma'), whether it is stressed, the lyric line it belongs to (an index into the song's
    lines), and its sounds (espeak-ng's phoneme names, empty where they are not known)."""

    text: str
    start: float
    syllabic: str
    stressed: bool = False
    line: int = 0
    phonemes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A span of the form: name (intro, verse, ...), first bar, number of bars, energy 0-1."""

    name: str
    start_bar: int
    bars: int
    energy: float

    def __post_init__(self) -> None:
        if self.start_bar < 0 or self.bars < 1:
            raise InvalidRequest(f"section {self.name!r} needs a first bar >= 0 and at least one bar")

    @property
    def end_bar(self) -> int:
        return self.start_bar + self.bars


class Form:
    """What a plan and a score share: bars of a metre, in sections."""

    time_signature: TimeSignature
    sections: list[Section]

    @property
    def beats_per_bar(self) -> float:
        return self.time_signature.beats_per_bar

    @property
    def bars(self) -> int:
        return self.sections[-1].end_bar if self.sections else 0


@dataclass
class Score(Form):
    """The whole song as notation: tempo, key, metre, form, chords, parts, and the lyrics sung to
    the melody part (with the text of each line) where the song has words."""

    tempo: float
    key: Key
    time_signature: TimeSignature
    sections: list[Section]
    chords: list[Chord]
    parts: list[Part]
    lyrics: list[Lyric] = field(default_factory=list)
    lyric_lines: list[str] = field(default_factory=list)
    guide_lyrics: bool = False
    vocables: bool = False  # the words are vocables (compose.lyrics.set_vocables), sung for their sound
    adlibs: list[Lyric] = field(default_factory=list)  # the ad-libs' words (compose.adlibs)

    def __post_init__(self) -> None:
        if not self.tempo > 0:
            raise InvalidRequest(f"a score's tempo must be positive, not {self.tempo!r}")

    @property
    def length_beats(self) -> float:
        return self.bars * self.beats_per_bar

    def seconds(self, beats: float) -> float:
        return beats * 60.0 / self.tempo

    @property
    def lyric_parts(self) -> tuple[str, ...]:
        """The parts the lyrics are sung (or rapped) by: the voice's where the song has a voice,
        else the lead."""
        voiced = tuple(p.name for p in self.parts if p.name in (VOCAL_PART, HARMONY_PART, DOUBLE_PART, RAP_PART))
        return voiced or ("melody",)

    def words_for(self, part: str) -> list[Lyric]:
        """The words a part sings: the ad-libs' own, the song's lyrics for the parts that sing
        them, none for the rest."""
        if part == ADLIB_PART:
            return self.adlibs
        return self.lyrics if part in self.lyric_parts else []

    def lead_notes(self) -> list[Note]:
        """The lead line, by start: the melody's notes and those the voice sings or raps (a song
        with a voice hands the sung notes of its lead to the vocal part)."""
        return sorted((n for p in self.parts if p.name in ("melody", VOCAL_PART, RAP_PART) for n in p.notes),
                      key=lambda n: (n.start, n.pitch))

    def part(self, name: str) -> Part:
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)
