"""Arrangement: from controls and the request to a plan (key, tempo, form, chords) and a score.

Every stage draws from its own random stream (`core.random.stream`), so a variation can re-roll
one stage (say, the drums) and keep everything else note for note. The melody engine and the
harmonizer are passed in (core.engines): composition never reaches for a model itself.

>>> from maestro_ai.compose.melody import MotifMelodyEngine
>>> from maestro_ai.core.request import Request
>>> from maestro_ai.prompt.controls import derive_controls
>>> from maestro_ai.prompt.presets import load_genre, load_mood
>>> c = derive_controls(load_genre("house"), load_mood("euphoric"), [])
>>> plan = make_plan(c, Request(c.genre, c.mood, [], 60.0, seed=1))
>>> score = compose_score(plan, c, seed=1, melody_engine=MotifMelodyEngine())
>>> sorted(p.name for p in score.parts)
['bass', 'drums', 'harmony', 'melody', 'pad']
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from maestro_ai.compose import accompaniment, bass, drums
from maestro_ai.compose.doubling import doubled
from maestro_ai.compose.ending import end_song
from maestro_ai.compose.form import choose_form, drum_break, fit_cost, genre_forms, plan_form, texture
from maestro_ai.compose.harmony import extension_level, harmonize, plan_harmony
from maestro_ai.compose.keys import choose_mode, choose_tonic
from maestro_ai.compose.phrasing import breathe, breaths, echoed, returned
from maestro_ai.compose.solos import pass_solos
from maestro_ai.core.engines import Harmonizer, MelodyEngine, MelodyRequest
from maestro_ai.core.key import Key
from maestro_ai.core.plan import Plan
from maestro_ai.core.random import stream
from maestro_ai.core.request import Request
from maestro_ai.core.score import Chord, Note, Part, Score, Section
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


TEMPO_REACH = (0.08, 0.15)  # how far a tempo the user did not set may move so that phrases fit
PHRASE = 4  # every song is whole four-bar phrases where its tempo is free


def fit_tempo(genre: Genre, form: int, tempo: float, seconds: float, bar_beats: float,
              fixed: bool) -> tuple[float, int]:
    """(tempo, bars): a tempo near `tempo` (within 8 %, else 15 %, and the genre's range) at which whole
    phrases of the form fill `seconds`, the form bent as little as it can be; with a `fixed`
    tempo, the bars that fit.

    >>> from maestro_ai.prompt.presets import load_genre
    >>> fit_tempo(load_genre("pop"), 1, 110.0, 118.0, 4.0, fixed=False)
    (114.0, 56)
    """
    forms = genre_forms(genre.name)
    unit = forms.unit
    bars = max(1, int(seconds * tempo / (60.0 * bar_beats)))
    if fixed or bars < 2 * unit:
        return tempo, bars
    for reach in TEMPO_REACH:
        low, high = max(genre.tempo_range[0], tempo * (1 - reach)), min(genre.tempo_range[1], tempo * (1 + reach))
        fewest, most = (int(seconds * bpm / (60.0 * bar_beats)) for bpm in (low, high))
        options = []
        for total in range(max(2 * unit, fewest - fewest % PHRASE), most + 1, PHRASE):
            bpm = float(np.ceil(total * bar_beats * 60.0 / seconds))
            if low <= bpm <= high:  # bars short of the genre's phrase lengthen the last section: a cost
                cost = fit_cost(forms.forms[form], total - total % unit, genre.name, unit) + 2 * (total % unit)
                options.append((cost, abs(bpm - tempo), bpm, total))
        if options:
            _, _, bpm, total = min(options)
            return bpm, total
    return tempo, bars


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
    # The last notes end early enough to ring out inside the song.
    music_seconds = request.duration_seconds - (ring_out_seconds(genre.effects) if request.quality == "studio" else 1.0)
    form = None
    if sections is None:
        form = choose_form(genre.name, seed, opens_with_verse=bool(seed_melody or seed_chords),
                           turn=variants.get("form", 0))
        tempo, total_bars = fit_tempo(genre, form, tempo, music_seconds, bar_beats, fixed=bool(request.tempo_bpm))
        sections = plan_form(total_bars, controls.energy, genre.name, index=form)
    level = extension_level(genre.extension, controls.complexity)
    family = "minor" if key.minor_like else "major"
    harmony_rng = stream(seed, "harmony", variants.get("harmony", 0))
    opening = seed_chords
    if seed_melody and not seed_chords:
        bars = melody_bars(seed_melody, bar_beats)
        opening = harmonize(seed_melody, bars, bar_beats, key, level, harmony_rng, harmonizer=harmonizer,
                            time_signature=request.time_signature)
    chords = plan_harmony(sections, genre.progressions[family], key, beats_per_bar=bar_beats,
                          chord_bars=genre.chord_bars, extension=level, rng=harmony_rng, opening=opening,
                          roles=lambda name: texture(genre.name, name).chords, turnaround=genre.turnaround)
    return Plan(tempo, key, request.time_signature, sections, chords, seed_melody, variants, form)


def melody_request(plan: Plan, controls: Controls, rests: set[int] | None = None) -> MelodyRequest:
    """What the melody engine is asked for: the plan's key and chords, the sections where the lead
    plays (a solo's or a fresh kind's later sections numbered, so that each is written anew), the
    bars where it breathes, the style's register (brighter controls sit higher; a seed melody
    widens it to fit) and density."""
    shift = int(round((controls.brightness - 0.5) * 6))
    low, high = controls.genre.melody_register[0] + shift, controls.genre.melody_register[1] + shift
    if plan.seed_melody:
        low = min(low, min(n.pitch for n in plan.seed_melody))
        high = max(high, max(n.pitch for n in plan.seed_melody))
    genre = controls.genre.name
    melodic, seen = [], Counter()
    for s in plan.sections:
        kind = texture(genre, s.name)
        seen[s.name] += 1
        if (kind.melody == "solo" or kind.fresh) and seen[s.name] > 1:  # numbered: no engine hands back the first
            s = Section(f"{s.name}-{seen[s.name]}", s.start_bar, s.bars, s.energy)
        if kind.melody != "off":
            melodic.append(s)
    return MelodyRequest(plan.key, plan.chords, melodic, plan.beats_per_bar, (low, high),
                         controls.density, plan.seed_melody, plan.time_signature, frozenset(rests or ()))


def write_melody(plan: Plan, controls: Controls, rng: np.random.Generator, melody_engine: MelodyEngine) -> list[Note]:
    """The lead: the engine's line over the plan's melodic sections, then phrased as the song's
    kinds say (compose/phrasing.py): lines that answer earlier ones, breaths, hooks that return."""
    kind = lambda name: texture(controls.genre.name, name)  # noqa: E731
    leads = lambda name: kind(name).melody != "off"  # noqa: E731
    rests = breaths(plan.sections, lambda name: kind(name).breath if leads(name) else 0)
    rests |= {bar for bar in range(plan.bars) if drum_break(plan.sections, controls.genre.name, bar)}
    request = melody_request(plan, controls, rests)
    melody = melody_engine.compose(request, rng)
    melody = echoed(melody, plan.sections, plan.chords, plan.beats_per_bar,
                    lambda name: tuple(range(kind(name).echo)) if leads(name) else ())
    melody = breathe(melody, rests, plan.beats_per_bar)
    returning = {s.name for s in plan.sections if kind(s.name).returns}
    return returned(melody, plan.sections, plan.chords, plan.beats_per_bar, returning, keep_last_bar=True)


def final_chord(plan: Plan) -> Chord:
    """The song's last chord as its last bar holds it (a chord begun earlier is struck again)."""
    last, bar_beats = plan.chords[-1], plan.beats_per_bar
    at = max(last.start, (plan.bars - 1) * bar_beats)
    return Chord(last.symbol, last.root, last.intervals, at, plan.bars * bar_beats - at, last.bass)


def compose_score(plan: Plan, controls: Controls, seed: int, melody_engine: MelodyEngine | None = None,
                  melody: list[Note] | None = None) -> Score:
    """Write every part, each section played by the parts its kind names (data/forms.toml): the
    melody by `melody_engine`, or `melody` kept as it is (reharmonization; the whole lead line,
    solo choruses included); solo choruses passed to whoever takes them; then the ending."""
    genre = controls.genre
    variants = plan.variants
    bar_beats = plan.beats_per_bar
    kind_at = lambda beat: texture(genre.name, plan.section_at(beat).name)  # noqa: E731
    # The band lays out while the drummer takes a break (trading fours).
    breaks = {bar for bar in range(plan.bars) if drum_break(plan.sections, genre.name, bar)}
    band_at = lambda beat, part: ("off" if int(beat // bar_beats) in breaks  # noqa: E731
                                  else getattr(kind_at(beat), part))
    composing = melody is None
    if melody is None:
        if melody_engine is None:
            raise ValueError("compose_score needs a melody engine or a melody")
        melody = write_melody(plan, controls, stream(seed, "melody", variants.get("melody", 0)), melody_engine)
    modes = [texture(genre.name, s.name).drums for s in plan.sections]
    drum_notes = drums.compose_drums(genre.groove, plan.sections, bar_beats,
                                     stream(seed, "drums", variants.get("drums", 0)), variants.get("drums", 0),
                                     modes=modes)
    energy_at = lambda beat: plan.section_at(beat).energy  # noqa: E731
    bass_notes = bass.compose_bass(plan.chords, drums.kick_onsets(drum_notes), energy_at,
                                   stream(seed, "bass", variants.get("bass", 0)), walking=genre.walking_bass,
                                   sustained=genre.comping == "sustain" and genre.groove == "ambient-pulse",
                                   modes=lambda beat: band_at(beat, "bass"), driving=genre.bass_line == "eighths",
                                   tonic=plan.key.tonic)
    harmony_notes = accompaniment.comp(plan.chords, genre.comping, energy_at, stream(seed, "comp", variants.get("comp", 0)),
                                       modes=lambda beat: band_at(beat, "harmony"), voicing_style=genre.voicing)
    parts = {
        "melody": melody,
        "harmony": harmony_notes,
        "bass": bass_notes,
        "drums": drum_notes,
    }
    if "pad" in genre.instruments:
        parts["pad"] = accompaniment.pad(plan.chords, plan.sections, bar_beats, always=genre.comping == "sustain",
                                         plays=lambda s: texture(genre.name, s.name).pad == "on")
    if "counter" in genre.instruments:
        parts["counter"] = accompaniment.counter_line(plan.chords, plan.sections, bar_beats, genre.counter_style,
                                                      stream(seed, "counter", variants.get("counter", 0)),
                                                      plays=lambda s: texture(genre.name, s.name).counter == "on")
        parts["counter"] = doubled(parts["counter"], melody, plan.sections, genre.name, bar_beats)
    parts = pass_solos(parts, plan.sections, genre.name, bar_beats)
    if plan.chords and plan.bars >= 4:
        parts = end_song(parts, final_chord(plan), plan.sections, bar_beats, genre_forms(genre.name).ending,
                         keep=() if composing else ("melody",))
    score_parts = []
    for name in genre.parts:
        if name in ("pad", "counter") and not parts[name]:
            continue  # e.g. no chorus in a short song, so no counter-line: no empty stem either
        program, instrument = genre.instruments[name]
        score_parts.append(Part(name, program, sorted(parts[name], key=lambda n: (n.start, n.pitch)),
                                is_drum=name == "drums", instrument=instrument))
    return Score(plan.tempo, plan.key, plan.time_signature, plan.sections, plan.chords, score_parts)
