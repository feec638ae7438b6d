"""Suggestions that come with every track: other instrumentations, chord progressions, variations.

>>> from maestro_ai.core.key import Key
>>> from maestro_ai.prompt.presets import load_genre
>>> s = suggest(load_genre("lofi-chill"), Key(0, "major"), 75.0, used_progressions=set())
>>> sorted(s)
['chord_progressions', 'forms', 'instrumentation', 'variations']
"""
from __future__ import annotations

from maestro_ai.compose.form import genre_forms
from maestro_ai.core.key import Key
from maestro_ai.core.style import Genre
from maestro_ai.prompt.presets import all_genres
from maestro_ai.theory.diatonic import realize

VARIATIONS = {
    "reharmonize": "same melody, drums and form over new chords that still fit the melody",
    "new-melody": "same chords, groove and form with a newly written melody",
    "new-drums": "same song with a different drum groove and fills",
    "new-form": "same key, style and sound arranged in another of the genre's song forms",
    "tempo": "same notes at another tempo (pass tempo_bpm=...)",
    "key": "the whole song transposed to another key (pass key='...')",
    "extend": "a longer version that keeps the original and adds sections (pass duration_seconds=...)",
}


def suggest(genre: Genre, key: Key, tempo: float, used_progressions: set[str], form: int | None = None) -> dict:
    """Alternatives a musician could try next, each ready to use: instrument palettes, chord
    progressions, variations, and the genre's other forms (`form` is the one the song took)."""
    family = "minor" if key.minor_like else "major"
    progressions = [
        {"roman": p, "chords": [symbol for symbol, _, _ in realize(p, key, genre.extension)]}
        for p in genre.progressions[family] if p not in used_progressions
    ]
    # Other palettes: genres whose tempo range holds this tempo, then the nearest ranges.
    others = sorted((g for g in all_genres().values() if g.name != genre.name),
                    key=lambda g: (not g.tempo_range[0] <= tempo <= g.tempo_range[1],
                                   abs(sum(g.tempo_range) / 2 - tempo)))
    palettes = []
    for other in others[:3]:
        palette = {part: other.instruments.get(part, genre.instruments[part])[1] for part in genre.instruments}
        palettes.append({"palette": other.name, "instrumentation": palette,
                         "why": f"{other.name} instruments ({other.description.split(',')[0].lower()}) at this tempo"})
    variations = [{"kind": k, "what": v, "call": f"gen.generate_variation(track_metadata, {k!r})"}
                  for k, v in VARIATIONS.items()]
    forms = genre_forms(genre.name)
    other_forms = [{"form": forms.describe(n), "why": forms.why[n],
                    "call": "gen.generate_variation(track_metadata, 'new-form')" if n == ((form or 0) + 1) % len(forms.forms)
                    else None}
                   for n in range(len(forms.forms)) if n != form]
    return {"instrumentation": palettes, "chord_progressions": progressions[:4], "variations": variations,
            "forms": other_forms}
