"""Style: a genre preset, a mood, and the controls they and the key phrases give a song.

Presets are data (maestro_ai/data/*.toml, loaded and checked by `maestro_ai.prompt.presets`);
these are the objects passed along the pipeline, so no stage looks a genre up again by name. The
vocabularies a genre may name (effects, comping styles) are listed here, where both the preset
loader and the stages that play them can see them.

>>> mood = Mood("calm", "", valence=0.6, energy=0.2)
>>> mood.energy
0.2
"""
from __future__ import annotations

from dataclasses import dataclass, field

REQUIRED_PARTS = ("melody", "harmony", "bass", "drums")
OPTIONAL_PARTS = ("pad", "counter")
CONTROL_NAMES = ("valence", "energy", "brightness", "space", "density", "complexity")
EFFECTS = frozenset({"lowpass", "lowpass-soft", "wow", "vinyl", "room", "hall", "long-reverb", "sidechain",
                     "drive", "delay", "chorus", "compress"})
TURNAROUNDS = frozenset({"none", "dominant", "ii-V"})
VOICING_STYLES = frozenset({"close", "drop2"})
BASS_LINES = frozenset({"locked", "eighths"})
COMPING_STYLES = frozenset({"sustain", "lazy", "stabs", "quarters", "pulse8", "charleston", "arpeggio"})


@dataclass(frozen=True)
class Genre:
    """A genre preset: tempo range, groove, harmony vocabulary, instruments and effects."""

    name: str
    description: str
    tempo_range: tuple[int, int]
    modes: tuple[str, ...]
    groove: str
    swing: float
    half_time: bool
    chord_bars: int
    extension: int
    progressions: dict[str, tuple[str, ...]]
    effects: tuple[str, ...]
    melody_register: tuple[int, int]
    melody_density: float
    walking_bass: bool
    comping: str
    counter_style: str
    instruments: dict[str, tuple[int, str]] = field(default_factory=dict)
    levels: dict[str, float] = field(default_factory=dict)
    swing_eighths: bool = False
    turnaround: str = "none"  # how a section leads into one with other chords: none, dominant, ii-V
    voicing: str = "close"  # how the harmony part voices its chords: close, or drop2 (jazz piano)
    bass_line: str = "locked"  # locked to the kick, or driving eighths (walking_bass walks instead)
    vocals: bool = False  # the lead is a topline with lyrics (guide lyrics unless the user gives words)
    singers: tuple[str, ...] = ()  # the voice types that sing it (data/singers.toml); the seed picks one
    rap: bool = False  # its verses are rapped (the hooks sung), where the song has a voice
    doubles: bool = False  # the lead is doubled in the choruses (two more takes), where the song has a voice
    adlibs: tuple[str, ...] = ()  # interjections sung between the chorus lines ("yeah", "oh")

    @property
    def parts(self) -> list[str]:
        return [p for p in (*REQUIRED_PARTS[:3], *OPTIONAL_PARTS, "drums") if p in self.instruments]

    @property
    def swing_unit(self) -> float:
        """The note value that swings, in beats: eighths in jazz and where the preset says so,
        sixteenths elsewhere."""
        return 0.5 if self.swing_eighths or self.groove == "jazz" else 0.25


@dataclass(frozen=True)
class Mood:
    """A named point in the mood space, with optional nudges to the other controls."""

    name: str
    description: str
    valence: float
    energy: float
    nudges: dict[str, float] = field(default_factory=dict)


@dataclass
class Controls:
    """Style values in 0-1, the genre and mood they come from, and what drove each value."""

    genre: Genre
    mood: Mood
    valence: float
    energy: float
    brightness: float
    space: float
    density: float
    complexity: float
    drivers: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """As track.json holds them: names for the genre and mood, values rounded to 4 places."""
        return {"genre": self.genre.name, "mood": self.mood.name,
                **{name: round(getattr(self, name), 4) for name in CONTROL_NAMES},
                "drivers": [dict(d) for d in self.drivers]}
