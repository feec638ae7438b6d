"""Arrangement: from controls and the request to a plan (key, tempo, form, chords) and a score.

Every stage draws from its own random stream (`compose.rng.stream`), so a variation can re-roll
one stage (say, the drums) and keep everything else note for note.

>>> from maestro_ai.prompt.controls import derive_controls
>>> c = derive_controls("house", "euphoric", [])
>>> plan = make_plan(c, SongRequest(duration_seconds=30), seed=1)
>>> score = compose_score(plan, c, seed=1)
>>> sorted(p.name for p in score.parts)
['bass', 'drums', 'harmony', 'melody', 'pad']
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from maestro_ai.compose import accompaniment, bass, drums
from maestro_ai.compose.form import plan_form
from maestro_ai.compose.harmony import extension_level, harmonize, plan_harmony
from maestro_ai.compose.keys import choose_mode, choose_tonic, estimate_key
from maestro_ai.compose.melody import MelodyEngine, MelodyRequest, default_melody_engine
from maestro_ai.compose.rng import stream
from maestro_ai.core.score import Chord, Note, Part, Score, Section
from maestro_ai.io.melody_input import Seed
from maestro_ai.prompt.controls import Controls
from maestro_ai.prompt.presets import Genre, load_genre
from maestro_ai.theory.scales import MINOR_LIKE


@dataclass
class SongRequest:
    """The musical request, validated: tempo/key/metre may be None (chosen from the style)."""

    duration_seconds: float = 180.0
    tempo_bpm: float | None = None
    key: tuple[int, str] | None = None
    time_signature: tuple[int, int] = (4, 4)
    seed_material: Seed | None = None


@dataclass
class Plan:
    """Key, tempo, metre, form and chords: everything decided before any note is written."""

    tempo: float
    tonic: int
    mode: str
    time_signature: tuple[int, int]
    sections: list[Section]
    chords: list[Chord]
    seed_melody: list[Note] | None = None
    variants: dict[str, int] = field(default_factory=dict)

    @property
    def beats_per_bar(self) -> float:
        return self.time_signature[0] * 4.0 / self.time_signature[1]


def choose_tempo(genre: Genre, energy: float, rng: np.random.Generator) -> float:
    """A tempo inside the genre's range, faster for more energy."""
    low, high = genre.tempo_range
    return float(round(low + (high - low) * float(np.clip(0.2 + 0.6 * energy + rng.normal(0, 0.08), 0, 1))))


def _transposed(notes: list[Note], semitones: int) -> list[Note]:
    return [Note(n.pitch + semitones, n.start, n.duration, n.velocity) for n in notes]


def make_plan(controls: Controls, request: SongRequest, seed: int, variants: dict[str, int] | None = None,
              sections: list[Section] | None = None) -> Plan:
    """Decide key, tempo, form and harmony (`sections` overrides the form, for extensions)."""
    variants = dict(variants or {})
    genre = load_genre(controls.genre)
    rng = stream(seed, f"plan:{genre.name}", variants.get("plan", 0))  # one seed, a different key per genre
    material = request.seed_material
    seed_melody = material.melody if material else None
    seed_chords = material.chords if material else None
    if request.key is not None:
        tonic, mode = request.key
        if seed_melody:  # move the user's melody into the requested key
            est_tonic, _ = estimate_key(seed_melody, None)
            shift = (tonic - est_tonic) % 12
            seed_melody = _transposed(seed_melody, shift - 12 if shift > 6 else shift)
    elif material is not None:
        tonic, mode = estimate_key(seed_melody, seed_chords)
        choose_mode(controls.valence, genre.modes, rng)  # keep the stream aligned with the no-seed path
    else:
        mode = choose_mode(controls.valence, genre.modes, rng)
        tonic = choose_tonic(rng)
    tempo = float(request.tempo_bpm) if request.tempo_bpm else choose_tempo(genre, controls.energy, rng)
    bar_beats = request.time_signature[0] * 4.0 / request.time_signature[1]
    bar_seconds = bar_beats * 60.0 / tempo
    total_bars = max(1, int(round((request.duration_seconds - 1.0) / bar_seconds)))
    sections = sections or plan_form(total_bars, controls.energy)
    level = extension_level(genre.extension, controls.complexity)
    family = "minor" if mode in MINOR_LIKE else "major"
    harmony_rng = stream(seed, "harmony", variants.get("harmony", 0))
    opening = seed_chords
    if seed_melody and not seed_chords:
        bars = max(1, int(np.ceil(max(n.end for n in seed_melody) / bar_beats - 1e-9)))
        opening = harmonize(seed_melody, bars, bar_beats, tonic, mode, level, harmony_rng,
                            time_signature=request.time_signature)
    chords = plan_harmony(sections, genre.progressions[family], tonic, mode, beats_per_bar=bar_beats,
                          chord_bars=genre.chord_bars, extension=level, rng=harmony_rng, opening=opening)
    return Plan(tempo, tonic, mode, request.time_signature, sections, chords, seed_melody, variants)


def _energy_lookup(plan: Plan):
    bar_beats = plan.beats_per_bar

    def energy_at(beat: float) -> float:
        bar = int(beat // bar_beats)
        for s in plan.sections:
            if s.start_bar <= bar < s.end_bar:
                return s.energy
        return plan.sections[-1].energy

    return energy_at


def melody_request(plan: Plan, controls: Controls) -> MelodyRequest:
    """What the melody engine is asked for: the plan's key, chords and form, the style's register
    (brighter controls sit higher; a seed melody widens it to fit) and density."""
    genre = load_genre(controls.genre)
    shift = int(round((controls.brightness - 0.5) * 6))
    low, high = genre.melody_register[0] + shift, genre.melody_register[1] + shift
    if plan.seed_melody:
        low = min(low, min(n.pitch for n in plan.seed_melody))
        high = max(high, max(n.pitch for n in plan.seed_melody))
    return MelodyRequest(plan.tonic, plan.mode, plan.chords, plan.sections, plan.beats_per_bar, (low, high),
                         controls.density, plan.seed_melody, plan.time_signature)


def compose_score(plan: Plan, controls: Controls, seed: int, melody_engine: MelodyEngine | None = None,
                  melody: list[Note] | None = None) -> Score:
    """Write every part. Pass `melody` to keep an existing melody (reharmonization)."""
    genre = load_genre(controls.genre)
    variants = plan.variants
    engine = melody_engine or default_melody_engine()
    energy_at = _energy_lookup(plan)
    bar_beats = plan.beats_per_bar
    if melody is None:
        melody = engine.compose(melody_request(plan, controls), stream(seed, "melody", variants.get("melody", 0)))
    drum_notes = drums.compose_drums(genre.groove, plan.sections, bar_beats,
                                     stream(seed, "drums", variants.get("drums", 0)), variants.get("drums", 0))
    bass_notes = bass.compose_bass(plan.chords, drums.kick_onsets(drum_notes), energy_at,
                                   stream(seed, "bass", variants.get("bass", 0)), walking=genre.walking_bass,
                                   sustained=genre.comping == "sustain" and genre.groove == "ambient-pulse")
    harmony_notes = accompaniment.comp(plan.chords, genre.comping, energy_at, stream(seed, "comp", variants.get("comp", 0)))
    parts = {
        "melody": melody,
        "harmony": harmony_notes,
        "bass": bass_notes,
        "drums": drum_notes,
    }
    if "pad" in genre.instruments:
        parts["pad"] = accompaniment.pad(plan.chords, plan.sections, bar_beats, always=genre.comping == "sustain")
    if "counter" in genre.instruments:
        parts["counter"] = accompaniment.counter_line(plan.chords, plan.sections, bar_beats, genre.counter_style,
                                                      stream(seed, "counter", variants.get("counter", 0)))
    score_parts = []
    for name in genre.parts:
        if name in ("pad", "counter") and not parts[name]:
            continue  # e.g. no chorus in a short song, so no counter-line: no empty stem either
        program, instrument = genre.instruments[name]
        score_parts.append(Part(name, program, sorted(parts[name], key=lambda n: (n.start, n.pitch)),
                                is_drum=name == "drums", instrument=instrument))
    return Score(plan.tempo, plan.tonic, plan.mode, plan.time_signature, plan.sections, plan.chords, score_parts)
