"""Variations of a finished track, rebuilt from its track.json.

The original is regenerated note for note from its request and seed, the edits that made the
source track (listed in its track.json) are replayed, and then one thing more changes:

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


def _resolved(meta: dict, kind: str, options: dict) -> dict:
    """An edit's options made explicit from its source track, so the edit can be replayed later."""
    if kind == "tempo":
        old = float(meta["tempo"])
        tempo = float(options.get("tempo_bpm") or round(old * 1.1))
        if not 30 <= tempo <= 300:
            raise InvalidRequest(f"tempo {tempo:g} is out of range; use 30-300 BPM")
        duration = round(float(meta["duration_seconds"]) * old / tempo, 3)
        if not 5 <= duration <= 1200:
            raise InvalidRequest("that tempo would make the song shorter than 5 s or longer than 1200 s")
        return {"tempo_bpm": tempo, "duration_seconds": duration}
    if kind == "key":
        if options.get("key"):
            tonic, mode = parse_key(str(options["key"]))
        else:
            old_tonic, mode = parse_key(meta["key"])
            tonic = (old_tonic + 2) % 12
        from maestro_ai.theory.scales import key_name

        return {"key": key_name(tonic, mode)}
    if kind == "extend":
        now = float(meta["duration_seconds"])
        duration = float(options.get("duration_seconds") or round(now * 1.5))
        if not now < duration <= 1200:
            raise InvalidRequest(f"extend needs a duration longer than the original ({now:g} s) and at most 1200 s")
        return {"duration_seconds": duration, "extra_bars": int(round((duration - now) / float(meta["bar_seconds"])))}
    return {}


def _label(kind: str, options: dict, nth: int) -> str:
    """How an edit reads in a title: 'in D major', 'tempo 130', 'reharmonized 2'."""
    if kind == "key":
        return f"in {options['key']}"
    if kind == "tempo":
        return f"tempo {options['tempo_bpm']:g}"
    if kind == "extend":
        return f"extended to {options['duration_seconds']:g} s"
    word = {"reharmonize": "reharmonized", "new-melody": "new melody", "new-drums": "new drums"}[kind]
    return word if nth == 1 else f"{word} {nth}"


def _apply(variation: Variation, edit: dict, request: Request) -> None:
    """Fold one edit into a variation: re-rolled streams, a plan edit, a score edit, a longer form."""
    kind, options = edit["kind"], edit.get("options", {})
    variants = variation.variants
    before_plan, before_score = variation.edit_plan, variation.edit_score

    def then_score(step):
        variation.edit_score = (lambda plan, score, controls: step(plan, before_score(plan, score, controls), controls)) \
            if before_score else step

    if kind == "new-drums":
        variants["drums"] = variants.get("drums", 0) + 1
    elif kind == "new-melody":
        if before_score is None:  # nothing changed the chords yet: write the melody with the score
            variants["melody"] = variants.get("melody", 0) + 1
            variation.edit_plan = (lambda plan: replace(before_plan(plan), seed_melody=None)) if before_plan \
                else (lambda plan: replace(plan, seed_melody=None))
        else:  # over the chords, key and tempo the earlier edits made (its own stream: the melody
            # the earlier edits were built on must stay as it was)
            variants["new-melody"] = variants.get("new-melody", 0) + 1
            round_ = variants["new-melody"]

            def new_melody(plan: Plan, score: Score, controls: Controls) -> Score:
                from maestro_ai.compose.arrange import melody_request
                from maestro_ai.compose.melody import default_melody_engine

                ask = melody_request(replace(plan, chords=score.chords, tonic=score.key_tonic, mode=score.key_mode,
                                             sections=score.sections, seed_melody=None), controls)
                engine = variation.melody_engine or default_melody_engine()
                notes = engine.compose(ask, stream(request.seed, "new-melody", round_))
                parts = [replace(p, notes=notes) if p.name == "melody" else p for p in score.parts]
                return replace(score, parts=parts)

            then_score(new_melody)
    elif kind == "reharmonize":
        variants["reharmonize"] = variants.get("reharmonize", 0) + 1
        round_ = variants["reharmonize"]

        def reharmonize(plan: Plan, score: Score, controls: Controls) -> Score:
            from maestro_ai.compose.arrange import compose_score

            melody = score.part("melody").notes
            level = extension_level(load_genre(controls.genre).extension, controls.complexity)
            chords = harmonize(melody, score.bars, score.beats_per_bar, score.key_tonic, score.key_mode, level,
                               stream(request.seed, "reharmonize", round_), avoid=score.chords,
                               time_signature=score.time_signature)
            plan = replace(plan, chords=chords, tempo=score.tempo, tonic=score.key_tonic, mode=score.key_mode)
            new = compose_score(plan, controls, request.seed, melody=melody)
            return replace(new, tempo=score.tempo)

        then_score(reharmonize)
    elif kind == "tempo":
        tempo = float(options["tempo_bpm"])
        then_score(lambda plan, score, controls: replace(score, tempo=tempo))
    elif kind == "key":
        tonic, mode = parse_key(options["key"])

        def transpose(plan: Plan, score: Score, controls: Controls) -> Score:
            shift = (tonic - score.key_tonic) % 12
            return _transpose_score(score, shift - 12 if shift > 6 else shift, tonic, mode)

        then_score(transpose)
    elif kind == "extend":
        controls, plan, _ = compose(request, variation)
        variation.sections = _extended_sections(plan, int(options["extra_bars"]), controls.energy)
    if "duration_seconds" in options:
        variation.options["duration_seconds"] = float(options["duration_seconds"])


def replay(request: Request, edits: list[dict], source_title: str) -> Variation:
    """The Variation that applies `edits` (each {'kind', 'options'}) in order to the original song."""
    variation = Variation(edits[-1]["kind"], source_title, {}, edits=list(edits))
    for edit in edits:
        _apply(variation, edit, request)
    return variation


def variation_request(meta: dict, kind: str, output_dir: Path, force: bool, options: dict) -> tuple[Request, Variation]:
    """The request and the Variation that turn a track's metadata into one of its variations.

    A variation of a variation replays the earlier edits first, so a transposed, slowed-down,
    reharmonized song keeps all three changes.
    """
    if kind not in KINDS:
        raise unknown_choice("variation", kind, list(KINDS))
    request = _source_request(meta, output_dir, force)
    lineage = meta.get("variation") or {}
    earlier = lineage.get("edits", [])
    resolved = _resolved(meta, kind, options)
    nth = 1 + sum(e["kind"] == kind for e in earlier)
    edits = [*earlier, {"kind": kind, "options": resolved, "label": _label(kind, resolved, nth)}]
    return request, replay(request, edits, lineage.get("of") or meta.get("title", "Untitled"))
