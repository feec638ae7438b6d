"""Variations of a finished track, as typed edits replayed on the original song.

The original is regenerated note for note from its request and seed, the edits that made the
source track (listed in its track.json) are replayed in order, and then one thing more changes:

- reharmonize: the same melody, drums and form over new chords chosen to fit the melody
- new-melody:  the same chords, bass, drums and form with a new melody
- new-drums:   the same song with a reworked groove (kick placement, hats, fills)
- new-form:    the same key and sound in the next of the genre's song forms (data/forms.toml)
- tempo:       the same notes at another tempo (option tempo_bpm; default 10% faster)
- key:         the song transposed (option key, e.g. 'D minor'; default up a whole step)
- extend:      a longer version: the original's sections, its middle again, then the last one
               (option duration_seconds; default 1.5x)

Each edit is an `Edit` object; `apply()` folds it into a `Variation`: random streams to re-roll,
steps that change the plan or the score, a longer form. Edits read back from track.json are
checked like new ones (kinds, option names, the same limits as a request).

>>> sorted(EDITS)
['extend', 'key', 'new-drums', 'new-form', 'new-melody', 'reharmonize', 'tempo']
>>> Edit.from_dict({"kind": "tempo", "options": {"tempo_bpm": 9999, "duration_seconds": 30}})
Traceback (most recent call last):
maestro_ai.core.errors.InvalidRequest: edit 'tempo' in track.json: tempo 9999 is out of range; use 30-300 BPM
"""
from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import ClassVar

from maestro_ai.compose.arrange import compose_score, write_melody
from maestro_ai.compose.form import extended
from maestro_ai.compose.harmony import extension_level, harmonize
from maestro_ai.compose.solos import pass_solos, solo_lines
from maestro_ai.core import limits
from maestro_ai.core.engines import Harmonizer, MelodyEngine
from maestro_ai.core.errors import InvalidRequest, MaestroError, unknown_choice
from maestro_ai.core.key import Key
from maestro_ai.core.plan import Plan
from maestro_ai.core.random import stream
from maestro_ai.core.request import Request
from maestro_ai.core.score import Part, Score
from maestro_ai.core.style import Controls
from maestro_ai.core.track import Track
from maestro_ai.pipeline.request import validate_request
from maestro_ai.pipeline.song import plan_song
from maestro_ai.pipeline.variation import ScoreStep, Tools, Variation
from maestro_ai.production.clearance import Clearance, clear, clear_again
from maestro_ai.prompt.controls import derive_controls
from maestro_ai.theory.chords import moved_chord

RECORDED: dict[str, type[Edit]] = {}  # kind -> Edit class, filled as each class is defined
MAX_EXTRA_BARS = 3000  # 1,200 s of the shortest bars Maestro writes (2/4 at 300 BPM)
FLAGS = {"tempo_bpm": "--tempo", "key": "--key", "duration_seconds": "--duration"}  # the CLI's names for options


class Edit(ABC):
    """One change to a song. Subclasses name their `kind`, the `options` they take, how the
    options are made explicit from the source track (`resolve`), and what they do (`apply`)."""

    kind: ClassVar[str]
    option_names: ClassVar[tuple[str, ...]] = ()
    word: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        RECORDED[cls.kind] = cls  # every kind track.json can name (the remix kinds are in pipeline/remixes)

    def __init__(self, options: dict | None = None, label: str = "") -> None:
        self.options = dict(options or {})
        self.label = label or self.kind

    @classmethod
    def resolve(cls, track: Track, options: dict) -> dict:
        """The edit's options made explicit from its source track, so it can be replayed later."""
        return {}

    @classmethod
    def check(cls, options: dict) -> dict:
        """Options read back from track.json, checked against the limits of a new request."""
        return {}

    @classmethod
    def describe(cls, options: dict, nth: int) -> str:
        """How the edit reads in a title: 'in D major', 'tempo 130', 'reharmonized 2'."""
        return cls.word if nth == 1 else f"{cls.word} {nth}"

    @abstractmethod
    def apply(self, variation: Variation, context: Context) -> None:
        """Add this edit's steps to `variation` (score changes, a new tempo, key or length)."""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "options": self.options, "label": self.label}

    @staticmethod
    def from_dict(data: object) -> Edit:
        """An edit as track.json records it ({'kind', 'options', 'label'}), checked."""
        if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
            raise InvalidRequest("an edit in track.json must be an object with a 'kind' and its 'options'")
        kind = data["kind"]
        if kind not in RECORDED:
            raise unknown_choice("edit kind in track.json", kind, list(RECORDED))
        cls = RECORDED[kind]
        options = data.get("options", {})
        if not isinstance(options, dict):
            raise InvalidRequest(f"edit {kind!r} in track.json: 'options' must be an object")
        try:
            checked = cls.check(options)
        except KeyError as exc:
            raise InvalidRequest(f"edit {kind!r} in track.json lacks the option {exc}") from None
        except MaestroError as exc:
            raise InvalidRequest(f"edit {kind!r} in track.json: {exc}") from None
        label = data.get("label")
        return cls(checked, label if isinstance(label, str) and label.strip() else kind)


class Reharmonize(Edit):
    kind, word = "reharmonize", "reharmonized"

    def apply(self, variation: Variation, context: Context) -> None:
        variation.score_steps.append(_reharmonized(variation.reroll("reharmonize")))


def _reharmonized(round_: int) -> ScoreStep:
    def step(plan: Plan, score: Score, controls: Controls, tools: Tools) -> Score:
        _, solos = solo_lines({p.name: p.notes for p in score.parts}, score.sections, controls.genre.name,
                              score.beats_per_bar)
        melody = sorted(score.part("melody").notes + solos, key=lambda n: (n.start, n.pitch))  # the whole lead line
        level = extension_level(controls.genre.extension, controls.complexity)
        chords = harmonize(melody, score.bars, score.beats_per_bar, score.key, level,
                           stream(tools.seed, "reharmonize", round_), avoid=score.chords, harmonizer=tools.harmonizer,
                           time_signature=score.time_signature)
        plan = replace(plan, chords=chords, tempo=score.tempo, key=score.key)
        return replace(compose_score(plan, controls, tools.seed, melody=melody), tempo=score.tempo)

    return step


class NewMelody(Edit):
    kind, word = "new-melody", "new melody"

    def apply(self, variation: Variation, context: Context) -> None:
        if not variation.score_steps:  # nothing changed the chords yet: write the melody with the score
            variation.reroll("melody")
            variation.plan_steps.append(lambda plan: replace(plan, seed_melody=None))
        else:  # over the chords, key and tempo the earlier edits made (its own stream: the melody
            # the earlier edits were built on must stay as it was)
            variation.score_steps.append(_new_melody(variation.reroll("new-melody")))


def _new_melody(round_: int) -> ScoreStep:
    def step(plan: Plan, score: Score, controls: Controls, tools: Tools) -> Score:
        planned = replace(plan, chords=score.chords, key=score.key, sections=score.sections, seed_melody=None)
        notes = write_melody(planned, controls, stream(tools.seed, "new-melody", round_), tools.melody_engine)
        genre, bar = controls.genre.name, score.beats_per_bar
        parts, _ = solo_lines({p.name: p.notes for p in score.parts}, score.sections, genre, bar)
        parts = pass_solos({**parts, "melody": notes}, score.sections, genre, bar)  # the new solos go round too
        return replace(score, parts=[replace(p, notes=sorted(parts[p.name], key=lambda n: (n.start, n.pitch)))
                                     for p in score.parts])

    return step


class NewDrums(Edit):
    kind, word = "new-drums", "new drums"

    def apply(self, variation: Variation, context: Context) -> None:
        variation.reroll("drums")


class NewForm(Edit):
    kind, word = "new-form", "new form"

    def apply(self, variation: Variation, context: Context) -> None:
        variation.reroll("form")


class Tempo(Edit):
    kind = "tempo"
    option_names = ("tempo_bpm",)

    @classmethod
    def resolve(cls, track: Track, options: dict) -> dict:
        tempo = options.get("tempo_bpm")
        if tempo is None:  # 10% faster, as far as the fastest tempo allows
            tempo = float(min(round(track.tempo * 1.1), limits.TEMPO_BPM[1]))
            if tempo <= track.tempo:
                raise InvalidRequest(f"the song is already at {track.tempo:g} BPM, the fastest Maestro plays; "
                                     "give the tempo you want", shell=f"the song is already at {track.tempo:g} BPM, "
                                     "the fastest Maestro plays; give the tempo you want with --tempo")
        tempo = limits.number("tempo", tempo, limits.TEMPO_BPM, "BPM")
        duration = round(track.duration_seconds * track.tempo / tempo, 3)
        if not limits.DURATION_SECONDS[0] <= duration <= limits.DURATION_SECONDS[1]:
            low, high = limits.DURATION_SECONDS
            raise InvalidRequest(f"that tempo would make the song {duration:g} s long; keep it within {low:g}-{high:g} s")
        return {"tempo_bpm": tempo, "duration_seconds": duration}

    @classmethod
    def check(cls, options: dict) -> dict:
        return {"tempo_bpm": limits.number("tempo", options["tempo_bpm"], limits.TEMPO_BPM, "BPM"),
                "duration_seconds": _duration(options["duration_seconds"])}

    @classmethod
    def describe(cls, options: dict, nth: int) -> str:
        return f"tempo {options['tempo_bpm']:g}"

    def apply(self, variation: Variation, context: Context) -> None:
        tempo = float(self.options["tempo_bpm"])
        variation.score_steps.append(lambda plan, score, controls, tools: replace(score, tempo=tempo))
        variation.duration_seconds = float(self.options["duration_seconds"])


class Transpose(Edit):
    kind = "key"
    option_names = ("key",)

    @classmethod
    def resolve(cls, track: Track, options: dict) -> dict:
        if options.get("key") is not None:
            return cls.check(options)
        return {"key": str(Key((track.key.tonic + 2) % 12, track.key.mode))}

    @classmethod
    def check(cls, options: dict) -> dict:
        return {"key": str(Key.parse(options["key"]))}

    @classmethod
    def describe(cls, options: dict, nth: int) -> str:
        return f"in {options['key']}"

    def apply(self, variation: Variation, context: Context) -> None:
        key = Key.parse(self.options["key"])

        def transpose(plan: Plan, score: Score, controls: Controls, tools: Tools) -> Score:
            return transposed(score, key.shift_from(score.key.tonic), key)

        variation.score_steps.append(transpose)


class Extend(Edit):
    kind = "extend"
    option_names = ("duration_seconds",)

    @classmethod
    def resolve(cls, track: Track, options: dict) -> dict:
        now = track.duration_seconds
        duration = options.get("duration_seconds")
        duration = float(min(round(now * 1.5), limits.DURATION_SECONDS[1])) if duration is None else limits.number(
            "duration", duration, (-math.inf, math.inf), "seconds")
        if not now < duration <= limits.DURATION_SECONDS[1]:
            raise InvalidRequest(f"extend needs a duration longer than the original ({now:g} s) and at most "
                                 f"{limits.DURATION_SECONDS[1]:g} s")
        return {"duration_seconds": duration, "extra_bars": int(round((duration - now) / track.bar_seconds))}

    @classmethod
    def check(cls, options: dict) -> dict:
        return {"duration_seconds": _duration(options["duration_seconds"]),
                "extra_bars": limits.whole("extra_bars", options["extra_bars"], (0, MAX_EXTRA_BARS))}

    @classmethod
    def describe(cls, options: dict, nth: int) -> str:
        return f"extended to {options['duration_seconds']:g} s"

    def apply(self, variation: Variation, context: Context) -> None:
        controls, plan = context.plan(variation)
        variation.sections = extended(plan.sections, int(self.options["extra_bars"]), controls.genre.name,
                                      controls.energy)
        # The song keeps its tempo (fitted to its first length) and the form it grew from.
        variation.plan_steps.append(lambda longer: replace(longer, tempo=plan.tempo, form=plan.form))
        variation.duration_seconds = float(self.options["duration_seconds"])


def _duration(value: object) -> float:
    """A song length read back from an edit's options."""
    return limits.number("duration", value, limits.DURATION_SECONDS, "seconds")


EDITS: dict[str, type[Edit]] = {cls.kind: cls for cls in (Reharmonize, NewMelody, NewDrums, NewForm, Tempo, Transpose,
                                                            Extend)}


def transposed(score: Score, semitones: int, key: Key) -> Score:
    """The score moved by `semitones` into `key` (drums stay where they are)."""
    parts = [Part(p.name, p.program, p.notes if p.is_drum else [n.moved(semitones) for n in p.notes], p.is_drum,
                  p.instrument) for p in score.parts]
    return Score(score.tempo, key, score.time_signature, score.sections, [moved_chord(c, semitones, key) for c in score.chords],
                 parts)


@dataclass
class Context:
    """What edits need of the song they change: its request, and its plan so far (for extend);
    the engines, for edits that compose the songs a remix is made from again."""

    request: Request
    harmonizer: Harmonizer
    melody_engine: MelodyEngine | None = None

    @cached_property
    def controls(self) -> Controls:
        return derive_controls(self.request.genre, self.request.mood, self.request.phrases)

    def plan(self, variation: Variation) -> tuple[Controls, Plan]:
        return self.controls, plan_song(self.request, self.controls, variation, self.harmonizer)


def replay(request: Request, edits: list[Edit], source_title: str, harmonizer: Harmonizer,
           melody_engine: MelodyEngine | None = None) -> Variation:
    """The Variation that applies `edits` in order to the original song."""
    variation = Variation(source_title, list(edits))
    context = Context(request, harmonizer, melody_engine)
    for edit in edits:
        edit.apply(variation, context)
    return variation


def source_request(track: Track, output_dir: Path | str, force: bool, artist: str | None = None) -> Request:
    """The request that made `track`, checked again (for `artist`: see validate_request); a seed
    file kept in its folder is read there."""
    return recorded_request(track.request, track.folder, output_dir, force, artist)


def recorded_request(r: dict, folder: Path | None, output_dir: Path | str, force: bool, artist: str | None = None) -> Request:
    """A request as track.json records it (`Request.record()`), checked again; a seed file it
    names is read in `folder`."""
    melody = r.get("melody_midi")
    if isinstance(melody, dict) and "midi_bytes_hex" in melody:
        try:
            melody = bytes.fromhex(str(melody["midi_bytes_hex"]))
        except ValueError:
            raise InvalidRequest("track metadata: the seed melody's MIDI bytes are damaged") from None
    elif isinstance(melody, dict):
        name = melody.get("file")
        if not isinstance(name, str) or Path(name).name != name or name in ("", ".", ".."):
            raise InvalidRequest("track metadata: the seed melody must name its 'file' in the track folder itself")
        if folder is None:
            raise InvalidRequest("the seed melody is kept in the track folder; give the folder (or its track.json)")
        melody = str(Path(folder) / melody["file"])
    data = {"key_phrases": r.get("key_phrases") or [], "melody_midi": melody, "tempo_bpm": r.get("tempo_bpm"),
            "key": r.get("key"), "time_signature": r.get("time_signature"), "title": r.get("title"),
            "lyrics": r.get("lyrics"), "vocals": r.get("vocals"), "voice": r.get("voice"),
            "vocables": r.get("vocables", False)}
    data = {k: v for k, v in data.items() if v is not None}
    return validate_request(r["genre"], r["mood"], data, duration_seconds=r["duration_seconds"], seed=r["seed"],
                            output_dir=output_dir, formats=tuple(r.get("formats") or ("wav", "mp3")), force=force,
                            seed_folder=folder, artist=artist,
                            quality=r.get("quality", "draft"))  # tracks from before studio quality were drafts


def variation_request(track: Track, kind: str, output_dir: Path | str, force: bool, options: dict,
                      harmonizer: Harmonizer, artist: str | None = None,
                      cleared: Clearance | None = None) -> tuple[Request, Variation]:
    """The request and the Variation that turn a track into one of its variations.

    A variation of a variation replays the earlier edits first, so a transposed, slowed-down,
    reharmonized song keeps all three changes. The rights are asked again for `artist` (default:
    the login name): the works the track was made from, and the track's own mix, a remix parent
    (another artist's registered song needs their remix grant; `cleared`: the mix's clearance,
    when the caller has made it already, as `maestro remix` has).
    """
    if not isinstance(kind, str) or kind not in EDITS:
        raise unknown_choice("variation", str(kind), list(EDITS))
    cls = EDITS[kind]
    if unknown := sorted(set(options) - set(cls.option_names)):
        python = ", ".join(f"{n}=" for n in cls.option_names)
        shell = ", ".join(FLAGS.get(n, n) for n in cls.option_names)
        raise InvalidRequest(
            f"{kind} takes {python or 'no options'}, not {', '.join(unknown)}",
            shell=f"--kind {kind} takes {shell or 'no options'}, not {', '.join(FLAGS.get(n, n) for n in unknown)}")
    request = source_request(track, output_dir, force, artist)
    for recorded in track.provenance.get("inputs", []):
        clear_again(recorded, artist)
    lineage = track.variation or {}
    earlier = [Edit.from_dict(e) for e in lineage.get("edits", [])]
    resolved = cls.resolve(track, options)
    nth = 1 + sum(e.kind == kind for e in earlier)
    edits = [*earlier, cls(resolved, cls.describe(resolved, nth))]
    variation = replay(request, edits, lineage.get("of") or track.title, harmonizer)
    if track.mix_path is not None and track.mix_path.is_file():
        variation.parents = [track.mix_path]
        request = replace(request, inputs=(*request.inputs, cleared or clear(track.mix_path, "parent", artist)))
    return request, variation
