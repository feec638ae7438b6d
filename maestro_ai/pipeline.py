"""The pipeline: Request -> Controls -> Plan -> Score -> Stems -> Mix -> Master -> track folder.

Each stage is a function of its input and a random stream derived from the seed. `run` times every
stage and reports progress through an optional callback.

>>> STAGES[0], STAGES[-1]
('controls', 'write')
"""
from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from maestro_ai import __version__
from maestro_ai.compose.arrange import Plan, SongRequest, compose_score, make_plan
from maestro_ai.compose.melody import MelodyEngine, default_melody_engine
from maestro_ai.compose.perform import perform
from maestro_ai.compose.rng import stream
from maestro_ai.compose.suggestions import suggest
from maestro_ai.compose.title import make_title
from maestro_ai.core.errors import OutputError
from maestro_ai.core.request import Request
from maestro_ai.core.score import Score
from maestro_ai.io.atomic import atomic_path, staged_folder
from maestro_ai.io.audio import write_audio
from maestro_ai.io.midi import write_midi
from maestro_ai.io.musicxml import write_musicxml
from maestro_ai.production.loudness import integrated_lufs
from maestro_ai.production.master import apply_master, normalize_loudness, plan_master
from maestro_ai.prompt.controls import Controls, derive_controls
from maestro_ai.prompt.presets import load_genre
from maestro_ai.render.mix import mix_performance
from maestro_ai.render.synth import default_backend
from maestro_ai.theory.scales import key_name

STAGES = ("controls", "plan", "score", "stems", "mix", "master", "write")
SAMPLE_RATE = 44100
TARGET_LUFS, CEILING_DBTP = -14.0, -1.0
CHECK_TOLERANCE_LU = 0.3  # a predicted master further off than this is redone with measured rounds

Progress = Callable[[str], None]
ScoreTransform = Callable[[Plan, Score, Controls], Score]


@dataclass
class Variation:
    """How a variation differs from the original song: re-rolled stages, a plan edit, a score edit,
    a longer form; `edits` is the list of changes ({'kind', 'options'}) it was built from."""

    kind: str
    source_title: str
    variants: dict[str, int] = field(default_factory=dict)
    edit_plan: Callable[[Plan], Plan] | None = None
    edit_score: ScoreTransform | None = None
    sections: list | None = None
    options: dict = field(default_factory=dict)
    edits: list[dict] = field(default_factory=list)
    melody_engine: MelodyEngine | None = None  # the generator's engine, for edits that write melodies


def slug(text: str) -> str:
    """'Rainy City Lights' -> 'rainy-city-lights'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "track"


def _swing_unit(genre_groove: str) -> float:
    return 0.5 if genre_groove == "jazz" else 0.25


def compose(request: Request, variation: Variation | None = None, melody_engine: MelodyEngine | None = None,
            controls: Controls | None = None) -> tuple[Controls, Plan, Score]:
    """The symbolic half of the pipeline: controls, plan and score (no audio)."""
    controls = controls or derive_controls(request.genre, request.mood, request.phrases)
    song = SongRequest(request.duration_seconds, request.tempo_bpm, request.key, request.time_signature,
                       request.seed_material)
    variants = variation.variants if variation else {}
    plan = make_plan(controls, song, request.seed, variants, sections=variation.sections if variation else None)
    if variation and melody_engine is not None:
        variation.melody_engine = melody_engine
    if variation and variation.edit_plan:
        plan = variation.edit_plan(plan)
    score = compose_score(plan, controls, request.seed, melody_engine)
    if variation and variation.edit_score:
        score = variation.edit_score(plan, score, controls)
    return controls, plan, score


def _section_table(score: Score) -> list[dict]:
    bar_seconds = score.seconds(score.beats_per_bar)
    rows = []
    for s in score.sections:
        chords = [{"symbol": c.symbol, "start_bar": round(c.start / score.beats_per_bar, 3),
                   "bars": round(c.duration / score.beats_per_bar, 3)}
                  for c in score.chords if s.start_bar * score.beats_per_bar <= c.start < s.end_bar * score.beats_per_bar]
        rows.append({"name": s.name, "start_bar": s.start_bar, "end_bar": s.end_bar,
                     "start_seconds": round(s.start_bar * bar_seconds, 3),
                     "end_seconds": round(s.end_bar * bar_seconds, 3), "energy": s.energy, "chords": chords})
    return rows


def run(request: Request, progress: Progress | None = None, variation: Variation | None = None,
        melody_engine: MelodyEngine | None = None) -> tuple[dict, Path]:
    """Generate a whole track folder; return its metadata and the path of the mastered mix."""
    # Our BLAS calls are small (the composer, the phrase embeddings): OpenBLAS's own threads
    # gain nothing on them and spin between calls, taking a core from the renderers.
    with threadpool_limits(limits=1, user_api="blas"):
        return _run(request, progress, variation, melody_engine)


def _run(request: Request, progress: Progress | None, variation: Variation | None,
         melody_engine: MelodyEngine | None) -> tuple[dict, Path]:
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    current: list[str] = []

    def stage(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        if current:
            timings[current[-1]] = round(now - clock, 4)
        clock = now
        current.append(name)
        if progress:
            progress(name)

    engine = melody_engine or default_melody_engine()
    # The synthesizer's description hashes its SoundFont (once per process): done beside composing,
    # which uses one core.
    describing = ThreadPoolExecutor(max_workers=1)
    synth_description = describing.submit(lambda: default_backend().describe())
    describing.shutdown(wait=False)
    stage("controls")
    controls = derive_controls(request.genre, request.mood, request.phrases)
    stage("plan")
    controls, plan, score = compose(request, variation, engine, controls)
    stage("score")
    genre = load_genre(request.genre)
    title = request.title or make_title(request.phrases, request.genre, request.mood, stream(request.seed, "title"))
    if variation:
        title = request.title or f"{variation.source_title} ({', '.join(e.get('label', e['kind']) for e in variation.edits)})"
    duration = float(variation.options.get("duration_seconds", request.duration_seconds)) if variation \
        else request.duration_seconds
    target = request.output_dir / f"{slug(title)}-{request.seed}"
    if target.exists() and not request.force:
        raise OutputError(f"track folder {str(target)!r} already exists; pass force=True (--force) to replace it, "
                          "or choose another --out or --seed")
    performance = perform(score, genre.swing, _swing_unit(genre.groove), stream(request.seed, "perform"))
    stage("stems")
    backend = default_backend()
    mixdown = mix_performance(performance, genre, controls, duration, stream(request.seed, "texture"),
                              SAMPLE_RATE, backend, on_mix=stage)
    stage("master")
    try:
        with staged_folder(target, force=request.force) as folder, ThreadPoolExecutor(max_workers=2) as pool:
            mastered, loudness, jobs = _master_and_write(folder, pool, request, mixdown, performance, score, title, stage)
            meta = _metadata(request, variation, title, score, plan, controls, mixdown.stems, loudness,
                             engine, synth_description.result(), mastered.shape[1])
            for job in jobs:
                job.result()
            timings["write"] = round(time.perf_counter() - clock, 4)
            meta["timings_seconds"] = timings
            with atomic_path(folder / "track.json") as tmp:
                tmp.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    except FileExistsError:
        raise OutputError(f"track folder {str(target)!r} already exists; pass force=True (--force) to replace it") from None
    except OSError as exc:
        raise OutputError(f"cannot write track folder {str(target)!r}: {exc.strerror}") from None
    meta["path"] = str(target.resolve())
    if progress:
        progress("done")
    return meta, target.resolve() / f"mix.{request.formats[0]}"


def _master_and_write(folder: Path, pool: ThreadPoolExecutor, request: Request, mixdown, performance, score: Score,
                      title: str, stage: Progress) -> tuple[np.ndarray, dict, list]:
    """Master the mix and start writing every file; return the master, its loudness report and the
    write jobs still running.

    Stems, MIDI and the score are written on the pool while the master is planned and limited (on
    two threads of its own); the MP3 (the slowest writer) is then encoded on two threads at once
    and the master's loudness measured beside it. A prediction that missed by more than
    CHECK_TOLERANCE_LU (rare) is mastered again, measuring each round, and the mixes rewritten.
    """
    (folder / "stems").mkdir()
    writes = [pool.submit(write_audio, folder / "stems" / f"{part}.wav", audio, SAMPLE_RATE, 16)
              for part, audio in mixdown.stems.items()]
    writes.append(pool.submit(write_midi, performance, folder / "song.mid"))
    writes.append(pool.submit(write_musicxml, score, title, folder / "song.musicxml"))
    plan = plan_master(mixdown.mix, SAMPLE_RATE, TARGET_LUFS, CEILING_DBTP)
    stage("write")
    mastered, peak = apply_master(mixdown.mix, SAMPLE_RATE, plan)
    measuring = pool.submit(integrated_lufs, mastered, SAMPLE_RATE)
    mixes = [pool.submit(write_audio, folder / f"mix.{fmt}", mastered, SAMPLE_RATE)
             for fmt in request.formats if fmt != "mp3"]
    if "mp3" in request.formats:
        write_audio(folder / "mix.mp3", mastered, SAMPLE_RATE)
    measured = measuring.result()
    loudness = plan.report(measured, 20 * np.log10(peak) if peak > 0 else -120.0)
    if abs(measured - TARGET_LUFS) > CHECK_TOLERANCE_LU:
        for job in mixes:
            job.result()
        mastered, loudness = normalize_loudness(mixdown.mix, SAMPLE_RATE, TARGET_LUFS, CEILING_DBTP)
        mixes = [pool.submit(write_audio, folder / f"mix.{fmt}", mastered, SAMPLE_RATE) for fmt in request.formats]
    return mastered, loudness, mixes + writes


def _metadata(request: Request, variation: Variation | None, title: str, score: Score, plan: Plan,
              controls: Controls, stems: dict, loudness: dict, engine: MelodyEngine, synth: dict,
              frames: int) -> dict:
    """track.json: every choice, with what drove it."""
    bar_seconds = score.seconds(score.beats_per_bar)
    table = _section_table(score)
    return {
        "title": title,
        "genre": request.genre,
        "mood": request.mood,
        "tempo": score.tempo,
        "key": key_name(score.key_tonic, score.key_mode),
        "time_signature": f"{score.time_signature[0]}/{score.time_signature[1]}",
        "duration_seconds": round(frames / SAMPLE_RATE, 3),
        "seed": request.seed,
        "bars": score.bars,
        "bar_seconds": round(bar_seconds, 4),
        "sections": [{k: v for k, v in row.items() if k != "chords"} for row in table],
        "chords": [{"section": row["name"], "start_bar": row["start_bar"], "chords": row["chords"]} for row in table],
        "instrumentation": {p.name: {"instrument": p.instrument, "program": p.program, "drums": p.is_drum}
                            for p in score.parts},
        "controls": controls.as_dict(),
        "stems": {name: f"stems/{name}.wav" for name in stems},
        "midi_path": "song.mid",
        "musicxml_path": "song.musicxml",
        "audio": {fmt: f"mix.{fmt}" for fmt in request.formats},
        "loudness": {k: v if isinstance(v, bool) else float(v) for k, v in loudness.items()},
        "suggestions": suggest(request.genre, score.key_tonic, score.key_mode, score.tempo, set()),
        "models": {"melody_engine": f"{engine.name} {engine.version}",
                   "text_embedding": _embedding_version(request.phrases), **synth, "maestro": __version__},
        "request": request.record(),
        "variants": dict(plan.variants),
        "variation": ({"kind": variation.kind, "of": variation.source_title, "edits": variation.edits,
                       **variation.options} if variation else None),
    }


def _embedding_version(phrases: list[str]) -> str | None:
    if not phrases:
        return None
    from maestro_ai.prompt.embed import model_version

    return model_version()
