"""The stages of a song, in order: each reads what earlier stages left on the `Work` and adds its own.

    Controls -> Plan -> Compose -> Perform -> Render -> Mix -> Seal -> Master -> Write

A stage that makes a file hands it to the track folder as soon as it is final (the score after
Compose, song.mid after Perform, the stems after Seal), so files are written while later stages
work; Write adds the mixes and track.json and moves the finished folder into place.

Seal puts the watermark (the song's 64-bit id) into the mix before Master, so the limiter keeps
the true-peak ceiling with the mark in it (a mark added after it would lift peaks over the
ceiling); Write signs each mix file as soon as it is written, so the Content Credentials cover
the marked audio as it lies in the file.

Adding a stage is one class with a `name`, a `label` (the CLI's progress line) and `run(work)`,
and one line in STAGES.

>>> [stage.name for stage in STAGES]
['controls', 'plan', 'compose', 'perform', 'render', 'mix', 'seal', 'master', 'write']
"""
from __future__ import annotations

import getpass
import json
import operator
import time
from abc import ABC, abstractmethod
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass, field
from functools import partial, reduce
from pathlib import Path
from typing import ClassVar

from maestro_ai.compose.automation import automate
from maestro_ai.compose.expression import express
from maestro_ai.compose.lyrics import line_spans
from maestro_ai.compose.perform import perform
from maestro_ai.compose.ranges import orchestrate
from maestro_ai.core.engines import Harmonizer, MelodyEngine
from maestro_ai.core.instrument import Instrument, Source
from maestro_ai.core.mixdown import Mixdown, audio_of
from maestro_ai.core.performance import PPQ, Performance
from maestro_ai.core.plan import Plan
from maestro_ai.core.random import stream
from maestro_ai.core.request import SEED_FILE, SPLITS_FILE, Request
from maestro_ai.core.score import Score
from maestro_ai.core.style import Controls
from maestro_ai.core.track import METADATA, Track
from maestro_ai.io.atomic import atomic_path
from maestro_ai.io.audio import WRITE_OPTIONS, write_audio
from maestro_ai.io.lrc import write_lrc
from maestro_ai.io.midi import write_midi
from maestro_ai.io.musicxml import write_musicxml
from maestro_ai.io.spill import Spilled, Spills
from maestro_ai.io.track_folder import TrackFolder
from maestro_ai.pipeline.metadata import LYRICS_FILE, build_track, credits_of
from maestro_ai.pipeline.song import plan_song, score_song
from maestro_ai.pipeline.variation import Tools, Variation
from maestro_ai.production.mastering.song import SongMaster
from maestro_ai.prompt.controls import derive_controls
from maestro_ai.prompt.instruments import orchestra, orchestra_choice
from maestro_ai.provenance.credentials import make_manifest
from maestro_ai.provenance.disclosure import disclose
from maestro_ai.provenance.seal import Seal, payload_of_record, signing_identity, unsealed
from maestro_ai.provenance.watermark import Change
from maestro_ai.render.mix import Rendered, mix_stems, render_stems
from maestro_ai.render.sources import credit
from maestro_ai.render.synth import Backend

SAMPLE_RATE = 44100
TARGET_LUFS, CEILING_DBTP = -14.0, -1.0
SPILL_SECONDS = 300.0  # longer songs park their stems on disk until written (memory); shorter ones keep them


@dataclass
class Work:
    """One song in the making: the request, the means every stage shares (engines, threads, the
    track folder being built), and what each stage has made so far."""

    request: Request
    title: str
    duration_seconds: float
    melody_engine: MelodyEngine
    harmonizer: Harmonizer
    backend: Backend
    synth: Future  # the synthesizer's description (hashing its SoundFont runs beside composing)
    pool: Executor
    folder: TrackFolder
    spills: Spills  # where finished stems wait for the writer (a long song would not fit in memory)
    variation: Variation | None = None
    orchestra: dict[str, Instrument] | None = None  # who plays each part (studio quality)
    timings: dict[str, float] = field(default_factory=dict)
    controls: Controls | None = None
    plan: Plan | None = None
    score: Score | None = None
    performance: Performance | None = None
    rendered: Rendered | None = None
    mixdown: Mixdown | None = None
    master: SongMaster | None = None
    track: Track | None = None
    played: dict | None = None  # each part's instrument and sources, and the samples' credits
    seal: Seal | None = None  # the watermark's payload and the signer of the mixes
    disclosure: dict | None = None  # the AI disclosure (provenance.disclosure)
    manifest: dict | None = None  # the Content Credentials every file of the song is signed with

    @property
    def tools(self) -> Tools:
        return Tools(self.request.seed, self.melody_engine, self.harmonizer)


class Stage(ABC):
    """One step from request to track folder."""

    name: ClassVar[str]
    label: ClassVar[str]

    @abstractmethod
    def run(self, work: Work) -> None:
        """Do this step, reading what earlier stages left in `work` and leaving its own result there."""


class ControlsStage(Stage):
    name, label = "controls", "Reading the request"

    def run(self, work: Work) -> None:
        r = work.request
        work.controls = derive_controls(r.genre, r.mood, r.phrases)
        if r.quality == "studio":
            work.orchestra = orchestra(r.genre, r.mood.name, orchestra_choice(r.genre, r.seed)) \
                | (work.variation.orchestra if work.variation else {})


class PlanStage(Stage):
    name, label = "plan", "Planning form and harmony"

    def run(self, work: Work) -> None:
        work.plan = plan_song(work.request, work.controls, work.variation, work.harmonizer)


class ComposeStage(Stage):
    name, label = "compose", "Composing parts"

    def run(self, work: Work) -> None:
        work.score = score_song(work.request, work.plan, work.controls, work.variation, work.tools)
        if work.orchestra:
            work.score = orchestrate(work.score, work.orchestra)
        work.folder.write("song.musicxml", partial(write_musicxml, work.score, work.title))
        if work.score.lyrics:
            lines = [(work.score.seconds(start), text) for text, start, _ in line_spans(work.score)]
            work.folder.write(LYRICS_FILE, partial(write_lrc, lines=lines, title=work.title))


class PerformStage(Stage):
    name, label = "perform", "Performing"

    def run(self, work: Work) -> None:
        genre = work.request.genre
        work.performance = perform(work.score, genre.swing, genre.swing_unit, stream(work.request.seed, "perform"))
        if work.orchestra:
            rng = stream(work.request.seed, "expression")
            bar_ticks = int(round(work.score.beats_per_bar * PPQ))
            work.performance.parts = [express(p, work.orchestra[p.name], bar_ticks, rng) if p.name in work.orchestra
                                      else p for p in work.performance.parts]
        automate(work.performance, work.score.sections, genre.name, work.score.beats_per_bar)
        work.folder.write("song.mid", partial(write_midi, work.performance))


class RenderStage(Stage):
    name, label = "render", "Rendering stems"

    def run(self, work: Work) -> None:
        work.rendered = render_stems(work.performance, work.request.genre, work.controls, work.duration_seconds,
                                     stream(work.request.seed, "texture"), SAMPLE_RATE, work.backend, work.pool,
                                     keep=work.spills.put if work.duration_seconds > SPILL_SECONDS else None,
                                     orchestra=work.orchestra)
        work.played = played(work.orchestra, work.rendered.sources) if work.orchestra else None


class MixStage(Stage):
    name, label = "mix", "Mixing"

    def run(self, work: Work) -> None:
        work.mixdown = mix_stems(work.rendered, work.performance, work.request.genre, work.controls, SAMPLE_RATE,
                                 work.pool)
        work.rendered = None


def played(band: dict[str, Instrument], sources: dict[str, list[Source]]) -> dict:
    """What track.json says of the instruments: each part's instrument id and the sources that
    played it, and a credit for every sample set used."""
    parts = {name: {"id": band[name].id, "sources": [str(s) for s in sources.get(name, [])] or ["general-midi"]}
             for name in band}
    samples: dict[str, dict] = {}
    for source in sorted({s for name in band for s in sources.get(name, [])}, key=str):
        about = credit(source)
        samples.setdefault(about["content"], {**about, "sources": []})["sources"].append(str(source))
    return {"parts": parts, "samples": [samples[name] for name in sorted(samples)]}


def _write_stem(path, stem, seal: Seal, manifest: dict, change: Change | None):
    audio = audio_of(stem)
    # marked, written and signed 30 s at a time: no second whole copy of a stem is made or read
    written = seal.write_wav(path, audio, SAMPLE_RATE, {**manifest, "title": f"{manifest['title']} ({Path(path).stem} stem)"},
                             bit_depth=16, change=change)
    if isinstance(stem, Spilled):
        stem.discard()
    return written


class SealStage(Stage):
    """The watermark's change to each stem, worked out on both workers; each stem is written with
    its change in it, and the mix (before Master: see the module's note) takes their sum (the mark
    is linear in the audio, so the mix's own change would be the same, and the marked stems still
    sum to the marked mix); the signer is found (the local identity is made on first use) for Write."""

    name, label = "seal", "Watermarking"

    def run(self, work: Work) -> None:
        if work.request.seal:
            record = {**work.request.record(), "variation": work.variation.record() if work.variation else None}
            work.seal = Seal(payload_of_record(record), signing_identity())
        else:
            work.seal = unsealed()
        person = work.seal.identity.name if work.seal.identity else getpass.getuser()
        work.disclosure = disclose(work.request, work.score, work.melody_engine, person,
                                   credits_of(work.score, work.played or {}).get("voice"),
                                   work.variation.borrowed if work.variation else ())
        work.manifest = make_manifest(work.title, human_input=work.disclosure["contains_ai"] != "all",
                                      credits=work.disclosure,
                                      models={"melody_engine": f"{work.melody_engine.name} {work.melody_engine.version}"},
                                      watermark=work.seal.payload)
        stems, seal = work.mixdown.stems, work.seal
        # a stem is loaded on the worker (a long song's wait on disk: one at a time, not all at once)
        pending = {work.pool.submit(lambda stem=stem: seal.change(audio_of(stem), SAMPLE_RATE)): name
                   for name, stem in stems.items()}
        changes: dict[str, Change | None] = {}
        for done in as_completed(pending):  # each stem is written once its change is known: the writers
            name = pending[done]  # take the core the last change leaves free
            changes[name] = done.result()
            work.folder.write(f"stems/{name}.wav", partial(_write_stem, stem=stems[name], seal=seal, manifest=work.manifest,
                                                           change=changes[name]))
        ordered = [changes[name] for name in stems]  # summed in the stems' order: the same mix every time
        summed = reduce(operator.add, ordered) if ordered and None not in ordered else None
        work.mixdown.mix = seal.mark(work.mixdown.mix, SAMPLE_RATE, summed, in_place=True)


class MasterStage(Stage):
    name, label = "master", "Mastering"

    def run(self, work: Work) -> None:
        work.master = SongMaster(work.mixdown.mix, SAMPLE_RATE, TARGET_LUFS, CEILING_DBTP, work.pool)


class WriteStage(Stage):
    """The mixes (the MP3, the slowest writer, on two threads of its own while the master's
    loudness is measured), the seed file, track.json; then the folder is moved into place."""

    name, label = "write", "Writing files"

    def run(self, work: Work) -> None:
        started = time.perf_counter()
        r, master, folder = work.request, work.master, work.folder
        if r.seed_midi is not None:
            folder.write(SEED_FILE, lambda path: path.write_bytes(r.seed_midi))
        splits = work.variation.splits if work.variation else None
        if splits is not None:  # a remix's split sheet: who is paid what of it, and through which songs
            folder.write(SPLITS_FILE, lambda path: path.write_text(json.dumps(splits, indent=2, ensure_ascii=False) + "\n",
                                                                   encoding="utf-8"))
        seal = work.seal
        mixes = self._mixes(work, master.audio)
        if master.settle():  # the prediction missed: the mixes are written again
            for job in mixes:
                job.result()
            mixes = self._mixes(work, master.audio)
        work.track = build_track(r, work.variation.record() if work.variation else None, work.title, work.score,
                                 work.plan, work.controls, list(work.mixdown.stems), master.loudness,
                                 work.melody_engine, work.synth.result(), master.audio.shape[1] / SAMPLE_RATE,
                                 folder.target.parent.resolve() / folder.target.name,  # the folder about to replace any link there
                                 work.played)
        folder.wait()
        work.track.credits["ai"] = work.disclosure
        inputs = [c.to_dict() for c in r.inputs]
        work.track.provenance = seal.record() | ({"inputs": inputs} if inputs else {})
        work.timings[self.name] = round(time.perf_counter() - started, 4)
        work.track.timings_seconds = work.timings
        with atomic_path(folder.path / METADATA) as tmp:
            tmp.write_text(json.dumps(work.track.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
        if seal.enabled:  # logged before the folder appears: a ledger that cannot be written leaves no song behind
            seal.log("remixed" if work.variation else "created", {
                "title": work.title, "folder": str(work.track.folder), "genre": r.genre.name,
                "from": [i["work"] or {"sha256": i["sha256"]} for i in inputs]} | ({"splits": splits} if splits else {}))
        folder.publish()

    @classmethod
    def _mixes(cls, work: Work, audio) -> list[Future]:
        formats = work.request.formats
        write = partial(_write_mix, audio=audio, seal=work.seal, manifest=work.manifest, ingredients=cls._ingredients(work))
        jobs = [work.folder.write(f"mix.{fmt}", write) for fmt in formats if fmt != "mp3"]
        if "mp3" in formats:
            write(work.folder.path / "mix.mp3")
        return jobs

    @staticmethod
    def _ingredients(work: Work) -> list[tuple[Path, str]]:
        """The files a person gave that the song was made from (their own credentials kept): the
        melody seed's file, and the mix of the track a variation was made from."""
        melody = work.request.melody_midi
        files = [(Path(melody), "inputTo")] if isinstance(melody, (str, Path)) and work.request.seed_midi is not None \
            and Path(melody).is_file() else []
        parents = [mix for mix in (work.variation.parents if work.variation else []) if mix.is_file()]
        # C2PA allows one parentOf: a mashup's or stem swap's second song is a componentOf
        return files + [(mix, "parentOf" if n == 0 else "componentOf") for n, mix in enumerate(parents)]


def _write_mix(path: Path, audio, seal: Seal, manifest: dict, ingredients: list[tuple[Path, str]]) -> Path:
    """A mix file, signed (the audio is marked already: the mark went in before mastering)."""
    if seal.enabled and path.suffix == ".wav":
        return seal.write_wav(path, audio, SAMPLE_RATE, manifest, bit_depth=WRITE_OPTIONS[".wav"]["bit_depth"],
                              ingredients=ingredients)
    write_audio(path, audio, SAMPLE_RATE)
    return seal.sign(path, manifest, ingredients)


STAGES: tuple[Stage, ...] = (ControlsStage(), PlanStage(), ComposeStage(), PerformStage(), RenderStage(), MixStage(),
                             SealStage(), MasterStage(), WriteStage())
