"""Instruments: who plays a part at studio quality, where the sound comes from, and what a player
can reach. Loaded from maestro_ai/data/instruments.toml by `maestro_ai.prompt.instruments`.

>>> sax = Instrument("tenor-sax", "Tenor Sax", 66, (44, 75), (Source("soundfont", "fluidr3", 0, 66),))
>>> sax.range
(44, 75)
>>> str(sax.sources[0])
'soundfont:fluidr3:0:66'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

EXPRESSIONS = frozenset({"pedal", "swell", "vibrato", "glide", "bend", "legato", "slide"})
QUALITIES = ("studio", "draft")
VOICINGS = frozenset({"", "power", "open"})


@dataclass(frozen=True)
class Content:
    """Installed sound content (a SoundFont from a Debian package), its licence and credit."""

    id: str
    name: str
    files: tuple[str, ...]
    licence: str
    package: str

    def path(self) -> Path | None:
        """The first of its files that is installed, or None."""
        return next((Path(f) for f in self.files if Path(f).is_file()), None)


@dataclass(frozen=True)
class Source:
    """Where a sound comes from: a SoundFont preset (content, bank, preset) or a synth voice."""

    engine: str  # "soundfont" or "synth"
    content: str  # a Content id, or a voice name
    bank: int = 0
    preset: int = 0

    def __str__(self) -> str:
        if self.engine == "synth":
            return f"synth:{self.content}"
        return f"soundfont:{self.content}:{self.bank}:{self.preset}"


@dataclass(frozen=True)
class Instrument:
    """A player: sources in order of preference, General MIDI program for song.mid, sounding range,
    expression, the velocities it uses, and for a kit the drum notes other sources play."""

    id: str
    name: str
    gm: int
    range: tuple[int, int]
    sources: tuple[Source, ...]
    expression: frozenset[str] = frozenset()
    velocity: tuple[int, int] = (1, 127)
    kit: bool = False
    voices: dict[int, Source] = field(default_factory=dict)
    voicing: str = ""  # "power": chords become power chords
    note_levels: dict[int, float] = field(default_factory=dict)  # a kit's per-note balance, dB
    palm_mute: Source | None = None  # plays the short off-beat notes (rock guitar's chug)

    def played_velocity(self, velocity: int, pitch: int | None = None) -> int:
        """A written velocity (1-127) scaled into the range this player uses, and for a kit's
        note set back by its level (velocity follows the MIDI 40 log10 law).

        >>> Instrument("x", "x", 0, (0, 127), (), velocity=(40, 100)).played_velocity(127)
        100
        >>> Instrument("k", "k", 0, (0, 127), (), kit=True, note_levels={42: -12.0}).played_velocity(127, 42)
        64
        """
        low, high = self.velocity
        scaled = low + (high - low) * (max(1, min(127, velocity)) - 1) / 126
        if pitch in self.note_levels:
            scaled *= 10 ** (self.note_levels[pitch] / 40)
        return max(1, int(round(scaled)))
