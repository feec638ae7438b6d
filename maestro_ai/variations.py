"""Variations of a finished track, rebuilt from its track.json.

The original is regenerated note for note from its request and seed; then one thing changes:

- reharmonize: the same melody, drums and form over new chords chosen to fit the melody
- new-melody:  the same chords, bass, drums and form with a new melody
- new-drums:   the same song with a reworked groove (kick placement, hats, fills)
- tempo:       the same notes at another tempo (option tempo_bpm; default 10% faster)
- key:         the song transposed (option key, e.g. 'D minor'; default up a whole step)
- extend:      a longer version: the original's sections, then more, then the outro
               (option duration_seconds; default 1.5x)

>>> sorted(KINDS)
['extend', 'key', 'new-drums', 'new-melody', 'reharmonize', 'tempo']
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from maestro_ai.compose.arrange import Plan
from maestro_ai.compose.form import LATER_CYCLE, section_energy
from maestro_ai.compose.harmony import extension_level, harmonize
from maestro_ai.compose.rng import stream
from maestro_ai.core.errors import InvalidRequest, unknown_choice
from maestro_ai.core.request import Request, validate_request
from maestro_ai.core.score import Chord, Note, Part, Score, Section
from maestro_ai.pipeline import Variation, compose
from maestro_ai.prompt.controls import Controls
from maestro_ai.prompt.presets import load_genre
from maestro_ai.theory.chords import chord_symbol
from maestro_ai.theory.scales import parse_key, uses_flats

KINDS = ("reharmonize", "new-melody", "new-drums", "tempo", "key", "extend")


def _source_request(meta: dict, output_dir: Path, force: bool) -> Request:
    try:
        r = meta["request"]
        melody = r.get("melody_midi")
        if isinstance(melody, dict) and "midi_bytes_hex" in melody:
            melody = bytes.fromhex(melody["midi_bytes_hex"])
        data = {"key_phrases": r.get("key_phrases") or [], "melody_midi": melody, "tempo_bpm": r.get("tempo_bpm"),
                "key": r.get("key"), "time_signature": r.get("time_signature")}
        if r.get("title"):
            data["title"] = r["title"]
        data = {k: v for k, v in data.items() if v is not None}
        return validate_request(r["genre"], r["mood"], data, duration_seconds=r["duration_seconds"], seed=r["seed"],
                                output_dir=output_dir, formats=tuple(r.get("formats") or ("wav", "mp3")), force=force)
    except (KeyError, TypeError) as exc:
        raise InvalidRequest(f"track metadata lacks {exc}; pass the dict that generate_track returned "
                             "(or the track.json it wrote)") from None


def _transpose_score(score: Score, semitones: int, tonic: int, mode: str) -> Score:
    flats = uses_flats(tonic, mode)
    parts = [Part(p.name, p.program, p.notes if p.is_drum else
                  [Note(n.pitch + semitones, n.start, n.duration, n.velocity) for n in p.notes], p.is_drum, p.instrument)
             for p in score.parts]
    chords = [Chord(chord_symbol((c.root + semitones) % 12, c.intervals, flats,
                                 None if c.bass is None else (c.bass + semitones) % 12),
                    (c.root + semitones) % 12, c.intervals, c.start, c.duration,
                    None if c.bass is None else (c.bass + semitones) % 12) for c in score.chords]
    return Score(score.tempo, tonic, mode, score.time_signature, score.sections, chords, parts)


def _extended_sections(plan: Plan, extra_bars: int, energy: float) -> list[Section]:
    body = [s for s in plan.sections if s.name != "outro"]
    outro = next((s for s in plan.sections if s.name == "outro"), None)
    start = body[-1].end_bar if body else 0
    repeats: dict[str, int] = {}
    for s in body:
        repeats[s.name] = repeats.get(s.name, -1) + 1
    index, remaining = 0, extra_bars
    while remaining >= 4:
        name = LATER_CYCLE[index % len(LATER_CYCLE)]
        bars = 8 if remaining >= 12 or remaining == 8 else remaining
        repeats[name] = repeats.get(name, -1) + 1
        body.append(Section(name, start, bars, section_energy(name, energy, repeats[name])))
        start += bars
        remaining -= bars
        index += 1
    outro_bars = (outro.bars if outro else 2) + remaining
    return body + [Section("outro", start, outro_bars, section_energy("outro", energy))]


def variation_request(meta: dict, kind: str, output_dir: Path, force: bool, options: dict) -> tuple[Request, Variation]:
    """The request and the Variation that turn a track's metadata into one of its variations."""
    if kind not in KINDS:
        raise unknown_choice("variation", kind, list(KINDS))
    earlier = (meta.get("variation") or {}).get("kind")
    if earlier in ("reharmonize", "tempo", "key", "extend"):
        raise InvalidRequest(f"this track is already a {earlier!r} variation, and variations of such variations "
                             "are not supported yet; vary the original track instead")
    request = _source_request(meta, output_dir, force)
    variants = dict(meta.get("variants") or {})
    title = meta.get("title", "Untitled")
    variation = Variation(kind, title, variants)
    bump = lambda stage: variants.__setitem__(stage, variants.get(stage, 0) + 1)  # noqa: E731

    if kind == "new-melody":
        bump("melody")
        variation.edit_plan = lambda plan: replace(plan, seed_melody=None)
    elif kind == "new-drums":
        bump("drums")
    elif kind == "reharmonize":
        bump("reharmonize")  # its own stream: the original plan, and so the melody, stay as they were

        def reharmonize(plan: Plan, score: Score, controls: Controls) -> Score:
            from maestro_ai.compose.arrange import compose_score

            melody = score.part("melody").notes
            genre = load_genre(controls.genre)
            level = extension_level(genre.extension, controls.complexity)
            chords = harmonize(melody, score.bars, score.beats_per_bar, score.key_tonic, score.key_mode, level,
                               stream(request.seed, "reharmonize", variants["reharmonize"]), avoid=score.chords)
            return compose_score(replace(plan, chords=chords), controls, request.seed, melody=melody)

        variation.edit_score = reharmonize
    elif kind == "tempo":
        tempo = float(options.get("tempo_bpm") or round(float(meta["tempo"]) * 1.1))
        if not 30 <= tempo <= 300:
            raise InvalidRequest(f"tempo {tempo:g} is out of range; use 30-300 BPM")
        old = float(meta["tempo"])
        variation.options = {"tempo_bpm": tempo, "duration_seconds": round(float(meta["duration_seconds"]) * old / tempo, 3)}
        if not 5 <= variation.options["duration_seconds"] <= 1200:
            raise InvalidRequest("that tempo would make the song shorter than 5 s or longer than 1200 s")
        variation.edit_score = lambda plan, score, controls: replace(score, tempo=tempo)
    elif kind == "key":
        old_tonic, old_mode = parse_key(meta["key"])
        tonic, mode = parse_key(str(options.get("key") or f"{(old_tonic + 2) % 12} {old_mode}")) if options.get("key") \
            else ((old_tonic + 2) % 12, old_mode)
        shift = (tonic - old_tonic) % 12
        shift = shift - 12 if shift > 6 else shift
        variation.options = {"key": options.get("key") or f"+{shift} semitones"}
        variation.edit_score = lambda plan, score, controls: _transpose_score(score, shift, tonic, mode)
    elif kind == "extend":
        duration = float(options.get("duration_seconds") or round(float(meta["duration_seconds"]) * 1.5))
        if not float(meta["duration_seconds"]) < duration <= 1200:
            raise InvalidRequest(f"extend needs a duration longer than the original ({meta['duration_seconds']} s) "
                                 "and at most 1200 s")
        bar_seconds = float(meta["bar_seconds"])
        extra = int(round((duration - float(meta["duration_seconds"])) / bar_seconds))
        _, plan, _ = compose(request, Variation(kind, title, dict(variants)))
        variation.sections = _extended_sections(plan, extra, float(meta["controls"]["energy"]))
        variation.options = {"duration_seconds": duration}
    return request, variation
