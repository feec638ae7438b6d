"""The plan: key, tempo, metre, form and chords, everything decided before a note is written.

>>> from maestro_ai.core.key import Key
>>> from maestro_ai.core.meter import TimeSignature
>>> from maestro_ai.core.score import Section
>>> plan = Plan(90.0, Key(9, "minor"), TimeSignature(3, 4), [Section("verse", 0, 8, 0.5)], [])
>>> plan.beats_per_bar, plan.bars
(3.0, 8)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.score import Chord, Form, Note, Section


@dataclass
class Plan(Form):
    """Tempo, key, metre, sections and chords; the user's seed melody (in the planned key) when
    there is one; which random streams are re-rolled (`variants`, for variations); and which of
    the genre's forms the sections follow (None when they were given)."""

    tempo: float
    key: Key
    time_signature: TimeSignature
    sections: list[Section]
    chords: list[Chord]
    seed_melody: list[Note] | None = None
    variants: dict[str, int] = field(default_factory=dict)
    form: int | None = None  # which of the genre's forms (data/forms.toml) the sections follow

    def section_at(self, beat: float) -> Section:
        """The section sounding at `beat` (the last one past the end)."""
        bar = int(beat // self.beats_per_bar)
        for s in self.sections:
            if s.start_bar <= bar < s.end_bar:
                return s
        return self.sections[-1]
