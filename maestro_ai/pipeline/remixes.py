"""The edits that make a remix from other songs, recorded in track.json like any variation's:

- cover:     the parent's tune and chords, in its form, arranged anew in another genre and mood
             (options: tempo_bpm, key)
- restyle:   the parts named in `keep` as the parent played them (notes and sound), the others
             composed anew in another genre and mood over the parent's form and chords
- stem-swap: the first song with the parts named in `take` played by the second song instead
             (moved to the first one's key, at its tempo, looped or cut to its length)
- mashup:    the two songs' sections taking turns on bar lines (the second in the first one's
             key and tempo)

Each edit keeps what it needs to compose its parents again (`parent_record`: their requests and
edits; for a person's recording, the MIDI that came with it), so a remix is replayed from its
track.json like any variation, and a remix of a remix composes its whole lineage. The songs are
composed again note for note from their records, or read from the recording's MIDI
(`parent_score`), never read back from audio.

>>> sorted(REMIX_EDITS)
['cover', 'mashup', 'restyle', 'stem-swap']
"""
from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path

from maestro_ai.compose.arrange import compose_score, ring_out_seconds
from maestro_ai.compose.solos import solo_lines
from maestro_ai.compose.vocals import SUNG_PARTS
from maestro_ai.core import limits
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.key import Key
from maestro_ai.core.score import VOCAL_PART, Chord, Note, Part, Score, Section
from maestro_ai.core.track import Track
from maestro_ai.pipeline.edits import Context, Edit, recorded_request, replay, transposed
from maestro_ai.pipeline.engines import default_melody_engine
from maestro_ai.pipeline.imported import IMPORTED, Recording, recorded_score
from maestro_ai.pipeline.song import compose
from maestro_ai.pipeline.variation import Variation
from maestro_ai.prompt.instruments import orchestra, orchestra_choice
from maestro_ai.prompt.presets import load_genre

_PARENTS: OrderedDict[str, Parent] = OrderedDict()  # a parent's record (as JSON text) -> the parent, the latest few kept
PARENTS_KEPT = 8  # parents kept composed: a remix needs at most two, a chain's replay one more each


@dataclass(frozen=True)
class Parent:
    """A song a remix is made from: its score without its voices (the words are sung again by the
    remix, the tune they sang is the lead's), who played each part (its studio orchestra; empty
    for a draft or a recording's MIDI), and its genre (None for a recording: it has no solo
    choruses to find)."""

    score: Score
    played: dict
    genre: str | None
    borrowed: tuple[dict, ...] = ()  # people's recorded works it is composed from, down its lineage (credits)


def parent_record(track: Track | Recording) -> dict:
    """What a remix keeps of a song to compose it again: its request (a seed file's bytes kept in
    it), its own edits and its title; a recording's MIDI."""
    if isinstance(track, Recording):
        return track.record()
    request = dict(track.request)
    melody = request.get("melody_midi")
    if isinstance(melody, dict) and "file" in melody:
        if track.folder is None or not (Path(track.folder) / melody["file"]).is_file():
            raise InvalidRequest(f"{track.title!r} was made from a seed melody kept in its folder; give the folder")
        request["melody_midi"] = {"midi_bytes_hex": (Path(track.folder) / melody["file"]).read_bytes().hex()}
    return {"title": track.title, "request": request, "variation": track.variation}


def parent_score(record: object, context: Context) -> Parent:
    """A parent as it was composed (its own edits replayed, a remix's lineage with them), or as
    its recording's MIDI holds it."""
    if not isinstance(record, dict) or not (isinstance(record.get("request"), dict) or isinstance(record.get(IMPORTED), dict)):
        raise InvalidRequest("a remix in track.json must keep each parent's 'request' (or a recording's MIDI)")
    cache = json.dumps(record, sort_keys=True)
    if cache in _PARENTS:
        _PARENTS.move_to_end(cache)
        return _PARENTS[cache]
    while len(_PARENTS) >= PARENTS_KEPT:
        _PARENTS.popitem(last=False)
    if IMPORTED in record:
        kept = record[IMPORTED]
        _PARENTS[cache] = Parent(recorded_score(record), {}, None,
                                 ({"owner": str(kept.get("owner") or "its owner"), "title": str(kept.get("title", ""))},))
    else:
        request = recorded_request(record["request"], None, context.request.output_dir, True)
        edits = [Edit.from_dict(e) for e in (record.get("variation") or {}).get("edits", [])]
        engine = context.melody_engine or default_melody_engine()
        variation = replay(request, edits, str(record.get("title", "")), context.harmonizer, engine) if edits else None
        _, _, score = compose(request, variation, engine, context.harmonizer)
        played = orchestra(request.genre, request.mood.name, orchestra_choice(request.genre, request.seed)) \
            if request.quality == "studio" else {}
        _PARENTS[cache] = Parent(unsung(score), played | (variation.orchestra if variation else {}), request.genre.name,
                                 tuple(variation.borrowed) if variation else ())
    return _PARENTS[cache]


def unsung(score: Score) -> Score:
    """`score` without its voices: the notes the lead voice sang go back to the lead (in the
    lead's octave), the other voices and the words go."""
    lead = next((p for p in score.parts if p.name == "melody"), None)
    sung = next((p.notes for p in score.parts if p.name == VOCAL_PART), [])
    if lead is None or not sung:
        return replace(score, parts=[p for p in score.parts if p.name not in SUNG_PARTS])
    if lead.notes:
        shift = 12 * round((sum(n.pitch for n in lead.notes) / len(lead.notes) - sum(n.pitch for n in sung) / len(sung)) / 12)
        sung = [n.moved(shift) for n in sung]
    tune = replace(lead, notes=sorted(lead.notes + sung, key=lambda n: (n.start, n.pitch)))
    return replace(score, parts=[tune if p is lead else p for p in score.parts if p.name not in SUNG_PARTS],
                   lyrics=[], lyric_lines=[], adlibs=[], guide_lyrics=False, vocables=False)


def credit(variation: Variation, parent: Parent) -> Parent:
    """`parent`, its people's works (a recording's, down its lineage) named in the remix's credits."""
    variation.borrowed += [b for b in parent.borrowed if b not in variation.borrowed]
    return parent


def lead_line(parent: Parent) -> list[Note]:
    """The tune: the lead's notes (what was sung among them) and the solo choruses others took."""
    parts = {p.name: p.notes for p in parent.score.parts}
    if parent.genre is None:  # a recording's MIDI: its melody is the tune
        return list(parts.get("melody", []))
    _, solos = solo_lines(parts, parent.score.sections, parent.genre, parent.score.beats_per_bar)
    return sorted(parts.get("melody", []) + solos, key=lambda n: (n.start, n.pitch))


def song_seconds(bars: int, bar_beats: float, tempo: float, genre: str, quality: str) -> float:
    """A song's length for `bars` at `tempo`, with its last notes' ring-out (as make_plan leaves it)."""
    ring = ring_out_seconds(load_genre(genre).effects) if quality == "studio" else 1.0
    seconds = round(bars * bar_beats * 60.0 / tempo + ring, 3)
    low, high = limits.DURATION_SECONDS
    if not low <= seconds <= high:
        raise InvalidRequest(f"the remix would be {seconds:g} s long; Maestro makes songs of {low:g}-{high:g} s")
    return seconds


def _follow(variation: Variation, score: Score, tempo: float, context: Context) -> None:
    """Make the plan the remix's (its form, chords, key and tempo; no key change of its own), and
    its length the form's at that tempo."""
    variation.plan_steps.append(lambda plan: replace(plan, key=score.key, tempo=tempo, sections=score.sections,
                                                     chords=score.chords, seed_melody=None, form=None))
    variation.duration_seconds = song_seconds(score.bars, score.beats_per_bar, tempo, context.request.genre.name,
                                              context.request.quality)


def _part_names(value: object, what: str) -> list[str]:
    """A list of part names from an edit's options; `what` says what it is for, with an example."""
    if not isinstance(value, list) or not value or not all(isinstance(k, str) and k for k in value):
        raise InvalidRequest(f"{what} a list of part names, like ['melody', 'drums']")
    return value


class Cover(Edit):
    kind, word = "cover", "cover"
    option_names = ("tempo_bpm", "key")

    @classmethod
    def check(cls, options: dict) -> dict:
        return {"parent": options["parent"], "tempo_bpm": limits.number("tempo", options["tempo_bpm"], limits.TEMPO_BPM, "BPM"),
                "key": str(Key.parse(options["key"]))}

    @classmethod
    def describe(cls, options: dict, nth: int) -> str:
        return f"cover in {options['key']}, {options['tempo_bpm']:g} BPM"

    def apply(self, variation: Variation, context: Context) -> None:
        parent = credit(variation, parent_score(self.options["parent"], context))
        key = Key.parse(self.options["key"])
        moved = transposed(parent.score, key.shift_from(parent.score.key.tonic), key)
        tune = lead_line(replace(parent, score=moved))
        tempo = float(self.options["tempo_bpm"])
        _follow(variation, moved, tempo, context)
        variation.score_steps.append(lambda plan, score, controls, tools: compose_score(plan, controls, tools.seed, melody=tune))


class Restyle(Edit):
    kind, word = "restyle", "restyled"
    option_names = ("keep",)

    @classmethod
    def check(cls, options: dict) -> dict:
        return {"parent": options["parent"], "keep": _part_names(options["keep"], "restyle keeps")}

    @classmethod
    def describe(cls, options: dict, nth: int) -> str:
        return f"restyled, keeping {', '.join(options['keep'])}"

    def apply(self, variation: Variation, context: Context) -> None:
        found = credit(variation, parent_score(self.options["parent"], context))
        parent, played = found.score, found.played
        kept = _parts(parent, self.options["keep"], "the parent")
        _follow(variation, parent, parent.tempo, context)
        variation.orchestra |= {p.name: played[p.name] for p in kept if p.name in played}
        variation.score_steps.append(lambda plan, score, controls, tools: _with_parts(score, kept))


class StemSwap(Edit):
    kind, word = "stem-swap", "stems swapped"
    option_names = ("take",)

    @classmethod
    def check(cls, options: dict) -> dict:
        return {"parent": options["parent"], "other": options["other"],
                "take": _part_names(options["take"], "stem-swap takes")}

    @classmethod
    def describe(cls, options: dict, nth: int) -> str:
        return f"{', '.join(options['take'])} from {options['other'].get('title', 'another song')}"

    def apply(self, variation: Variation, context: Context) -> None:
        base = credit(variation, parent_score(self.options["parent"], context)).score
        other, played = _matched(self.options["other"], base, context, variation)
        taken = [replace(p, notes=_looped(p.notes, other.bars * other.beats_per_bar, base.bars * base.beats_per_bar))
                 for p in _parts(other, self.options["take"], "the second song")]
        _follow(variation, base, base.tempo, context)
        variation.orchestra |= {p.name: played[p.name] for p in taken if p.name in played}
        variation.score_steps.append(lambda plan, score, controls, tools: _with_parts(replace(base, tempo=score.tempo), taken))


class Mashup(Edit):
    kind, word = "mashup", "mashup"
    option_names = ()

    @classmethod
    def check(cls, options: dict) -> dict:
        return {"parent": options["parent"], "other": options["other"]}

    @classmethod
    def describe(cls, options: dict, nth: int) -> str:
        return f"mashup with {options['other'].get('title', 'another song')}"

    def apply(self, variation: Variation, context: Context) -> None:
        base = credit(variation, parent_score(self.options["parent"], context)).score
        other, played = _matched(self.options["other"], base, context, variation)
        mixed = interleaved(base, other)
        _follow(variation, mixed, base.tempo, context)
        variation.orchestra |= {p.name: played[p.name] for p in other.parts
                                if p.name in played and p.name not in {q.name for q in base.parts}}
        variation.score_steps.append(lambda plan, score, controls, tools: mixed)


REMIX_EDITS = {cls.kind: cls for cls in (Cover, Restyle, StemSwap, Mashup)}


def _parts(score: Score, names: list[str], whose: str) -> list[Part]:
    have = {p.name: p for p in score.parts}
    if missing := [n for n in names if n not in have]:
        raise InvalidRequest(f"{whose} has no part {', '.join(map(repr, missing))}; it has {', '.join(have)}")
    return [have[n] for n in names]


def _with_parts(score: Score, parts: list[Part]) -> Score:
    """`score` with each of `parts` in place of its own of the same name (or added)."""
    given = {p.name: p for p in parts}
    kept = [given.pop(p.name, p) for p in score.parts]
    return replace(score, parts=kept + list(given.values()))


def _matched(record: dict, base: Score, context: Context, variation: Variation) -> tuple[Score, dict]:
    """The second song of a stem swap or mashup, in the first one's key (the nearest move); its
    notes are in beats, so it plays at the first one's tempo."""
    found = credit(variation, parent_score(record, context))
    other, played = found.score, found.played
    if other.time_signature != base.time_signature:
        raise InvalidRequest(f"the two songs are in {base.time_signature} and {other.time_signature}; "
                             "their bars cannot line up")
    shift = base.key.shift_from(other.key.tonic)
    return transposed(other, shift, Key(base.key.tonic, base.key.mode)), played


def _looped(notes: list[Note], length: float, target: float) -> list[Note]:
    """`notes` of a song `length` beats long, played over and over for `target` beats (cut there)."""
    looped, offset = [], 0.0
    while offset < target:
        looped += [replace(n, start=n.start + offset, duration=min(n.duration, target - n.start - offset))
                   for n in notes if n.start + offset < target]
        offset += length
    return looped


def interleaved(base: Score, other: Score) -> Score:
    """The two songs' sections taking turns, on bar lines: the first's sections where it has them,
    every second one the second song's next section (first sections first), both played by the
    union of their parts (a part both have keeps the first one's sound)."""
    beats = base.beats_per_bar
    spans: list[tuple[Score, Section]] = []
    theirs = iter(other.sections)
    for n, section in enumerate(base.sections):
        taken = next(theirs, None) if n % 2 else None
        spans.append((other, taken) if taken is not None else (base, section))
    sections, chords, notes = [], [], {}
    programs = {p.name: p for p in other.parts} | {p.name: p for p in base.parts}
    bar = 0
    for song, section in spans:
        start, end, move = section.start_bar * beats, section.end_bar * beats, (bar - section.start_bar) * beats
        sections.append(replace(section, start_bar=bar))
        chords += [replace(c, start=c.start + move) for c in _cut_chords(song.chords, start, end)]
        for part in song.parts:
            notes.setdefault(part.name, []).extend(replace(n, start=n.start + move, duration=min(n.duration, end - n.start))
                                                   for n in part.notes if start <= n.start < end)
        bar += section.bars
    parts = [replace(programs[name], notes=sorted(found, key=lambda n: (n.start, n.pitch))) for name, found in notes.items()]
    return replace(base, sections=sections, chords=chords, parts=parts, lyrics=[], lyric_lines=[], adlibs=[])


def _cut_chords(chords: list[Chord], start: float, end: float) -> list[Chord]:
    cut = []
    for c in chords:
        begin, finish = max(c.start, start), min(c.start + c.duration, end)
        if begin < finish:
            cut.append(replace(c, start=begin, duration=finish - begin))
    return cut
