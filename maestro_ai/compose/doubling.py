"""The big tune in octaves: where a section's kind says so (data/forms.toml `doubled`), the
counter-line's player leaves its own line and doubles the melody an octave away, as an
orchestra's flutes or violins double the horns' theme at a film's climax.

The octave is the counter's side of the melody: above when its own line sits higher, below when
it sits lower (a horn under a violin tune).

>>> from maestro_ai.core.score import Note, Section
>>> form = [Section("rise", 0, 1, .6), Section("climax", 1, 1, 1.0)]
>>> tune = [Note(67, 0.0, 2.0), Note(72, 4.0, 2.0), Note(71, 6.0, 2.0)]
>>> counter = [Note(79, 0.0, 4.0), Note(84, 4.0, 4.0)]
>>> [(n.pitch, n.start) for n in doubled(counter, tune, form, "cinematic", 4.0)]
[(79, 0.0), (84, 4.0), (83, 6.0)]
"""
from __future__ import annotations

from statistics import median

from maestro_ai.compose.form import spans_where
from maestro_ai.core.score import Note, Section


def doubled(counter: list[Note], melody: list[Note], sections: list[Section], genre: str,
            bar_beats: float) -> list[Note]:
    """The counter part with the melody doubled at the octave in every section whose kind doubles."""
    spans = spans_where(sections, genre, bar_beats, lambda kind: kind.doubled)
    if not spans or not melody:
        return counter

    def inside(note: Note) -> bool:
        return any(a <= note.start < b for a, b in spans)
    own = [n for n in counter if not inside(n)]
    tune = [n for n in melody if inside(n)]
    if not tune:
        return counter
    shift = 12 if not own or median(n.pitch for n in own) >= median(n.pitch for n in melody) else -12
    return own + [n.moved(shift) for n in tune]
