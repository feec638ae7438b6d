"""Arrangement: from controls and the request to a plan (key, tempo, form, chords) and a score.

Every stage draws from its own random stream (`core.random.stream`), so a variation can re-roll
one stage (say, the drums) and keep everything else note for note. The melody engine and the
harmonizer are passed in (core.engines): composition never reaches for a model itself.

>>> from maestro_ai.compose.melody import MotifMelodyEngine
>>> from maestro_ai.core.request import Request
>>> from maestro_ai.prompt.controls import derive_controls
>>> from maestro_ai.prompt.presets import load_genre, load_mood
>>> c = derive_controls(load_genre("house"), load_mood("euphoric"), [])
>>> plan = make_plan(c, Request(c.genre, c.mood, [], 30.0, seed=1))
>>> score = compose_score(plan, c, seed=1, melody_engine=MotifMelodyEngine())
>>> sorted(p.name for p in score.parts)
['bass', 'drums', 'harmony', 'melody', 'pad']
"""
from __future__ import annotations

import numpy as np

from maestro_ai.compose import accompaniment, bass, drums
from maestro_ai.compose.form import plan_form
from maestro_ai.compose.harmony import extension_level, harmonize, plan_harmony
from maestro_ai.compose.keys import choose_mode, choose_tonic
from maestro_ai.core.engines import Harmonizer, MelodyEngine, MelodyRequest
from maestro_ai.core.key import Key
from maestro_ai.core.plan import Plan
from maestro_ai.core.random import stream
from maestro_ai.core.request import Request
from maestro_ai.core.score import Note, Part, Score, Section
from maestro_ai.core.seed import melody_bars
from maestro_ai.core.style import Controls, Genre
from maestro_ai.theory.keys import estimate_key


def ring_out_seconds(effects: tuple[str, ...]) -> float:
    """How long a song's last notes and its reverb ring after the music ends, at most.

    >>> ring_out_seconds(("long-reverb",)), ring_out_seconds(("room",))
    (4.0, 2.0)
    """
    return 4.0 if "long-reverb" in effects else 3.0 if "hall" in effects else 2.0


def choose_tempo(genre: Genre, energy: float, rng: np.random.Generator) -> float:
    """A tempo inside the genre's range, faster for more energy."""
    low, high = genre.tempo_range
    return float(round(low + (high - low) * float(np.clip(0.2 + 0.6 * energy + rng.normal(0, 0.08), 0, 1))))


def make_plan(controls: Controls, request: Request, variants: dict[str, int] | None = None,
              sections: list[Section] | None = None, harmonizer: Harmonizer | None = None) -> Plan:
    """Decide key, tempo, form and harmony (`sections` overrides the form, for extensions; the
    `harmonizer` gives a seed melody its opening chords)."""
    variants = dict(variants or {})
    genre, seed = controls.genre, request.seed
    rng = stream(seed, f"plan:{genre.name}", variants.get("plan", 0))  # one seed, a different key per genre
    material = request.seed_material
    seed_melody = material.melody if material else None
    seed_chords = material.chords if material else None
    if request.key is not None:
        key = request.key
        if seed_melody:  # move the user's melody into the requested key
            shift = key.shift_from(estimate_key(seed_melody, None).tonic)
            seed_melody = [n.moved(shift) for n in seed_melody]
    elif material is not None:
        key = estimate_key(seed_melody, seed_chords)
        choose_mode(controls.valence, genre.modes, rng)  # keep the stream aligned with the no-seed path
    else:
        mode = choose_mode(controls.valence, genre.modes, rng)
        key = Key(choose_tonic(rng), mode)
    tempo = float(request.tempo_bpm) if request.tempo_bpm else choose_tempo(genre, controls.energy, rng)
    bar_beats = request.time_signature.beats_per_bar
    bar_seconds = bar_beats * 60.0 / tempo
    total_bars = max(1, int(round((request.duration_seconds - 1.0) / bar_seconds)))
    if request.quality == "studio":  # the last notes end early enough to ring out inside the song
        total_bars = max(1, int((request.duration_seconds - ring_out_seconds(genre.effects)) / bar_seconds))
    sections = sections or plan_form(total_bars, controls.energy)
    level = extension_level(genre.extension, controls.complexity)
    family = "minor" if key.minor_like else "major"
    harmony_rng = stream(seed, "harmony", variants.get("harmony", 0))
    opening = seed_chords
    if seed_melody and not seed_chords:
        bars = melody_bars(seed_melody, bar_beats)
        opening = harmonize(seed_melody, bars, bar_beats, key, level, harmony_rng, harmonizer=harmonizer,
                            time_signature=request.time_signature)
    chords = plan_harmony(sections, genre.progressions[family], key, beats_per_bar=bar_beats,
                          chord_bars=genre.chord_bars, extension=level, rng=harmony_rng, opening=opening)
    return Plan(tempo, key, request.time_signature, sections, chords, seed_melody, variants)


def melody_request(plan: Plan, controls: Controls) -> MelodyRequest:
    """What the melody engine is asked for: the plan's key, chords and form, the style's register
    (brighter controls sit higher; a seed melody widens it to fit) and density."""
    shift = int(round((controls.brightness - 0.5) * 6))
    low, high = controls.genre.melody_register[0] + shift, controls.genre.melody_register[1] + shift
    if plan.seed_melody:
        low = min(low, min(n.pitch for n in plan.seed_melody))
        high = max(high, max(n.pitch for n in plan.seed_melody))
    return MelodyRequest(plan.key, plan.chords, plan.sections, plan.beats_per_bar, (low, high),
                         controls.density, plan.seed_melody, plan.time_signature)


def compose_score(plan: Plan, controls: Controls, seed: int, melody_engine: MelodyEngine | None = None,
                  melody: list[Note] | None = None) -> Score:
    """Write every part: the melody by `melody_engine`, or `melody` kept as it is (reharmonization)."""
    genre = controls.genre
    variants = plan.variants
    bar_beats = plan.beats_per_bar
    if melody is None:
        if melody_engine is None:
            raise ValueError("compose_score needs a melody engine or a melody")
        melody = melody_engine.compose(melody_request(plan, controls), stream(seed, "melody", variants.get("melody", 0)))
    drum_notes = drums.compose_drums(genre.groove, plan.sections, bar_beats,
                                     stream(seed, "drums", variants.get("drums", 0)), variants.get("drums", 0))
    energy_at = lambda beat: plan.section_at(beat).energy  # noqa: E731
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
    return Score(plan.tempo, plan.key, plan.time_signature, plan.sections, plan.chords, score_parts)
