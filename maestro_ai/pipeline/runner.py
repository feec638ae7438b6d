"""The runner: a request through every stage, in order, timed, with progress, on shared threads.

It names the track folder and refuses an existing one before any work; on an error or an
interrupt it discards the half-built folder, so a failed run leaves nothing behind.

>>> import tempfile
>>> from maestro_ai.compose.melody import MotifMelodyEngine
>>> from maestro_ai.pipeline.request import validate_request
>>> request = validate_request("house", "euphoric", {}, duration_seconds=8, seed=3, output_dir=tempfile.mkdtemp(),
...                            formats=("wav",))
>>> seen = []
>>> track = run(request, progress=seen.append, melody_engine=MotifMelodyEngine())
>>> seen[:3], seen[-1], sorted(track.audio)
(['controls', 'plan', 'compose'], 'done', ['wav'])
"""
from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from threadpoolctl import threadpool_limits

from maestro_ai.compose.title import make_title
from maestro_ai.core.engines import Harmonizer, MelodyEngine
from maestro_ai.core.random import stream
from maestro_ai.core.request import Request
from maestro_ai.core.track import Track
from maestro_ai.io.outputs import check_new_folder
from maestro_ai.io.spill import Spills
from maestro_ai.io.track_folder import TrackFolder
from maestro_ai.pipeline.engines import default_harmonizer, default_melody_engine
from maestro_ai.pipeline.metadata import folder_name
from maestro_ai.pipeline.stages import STAGES, Stage, Work
from maestro_ai.pipeline.variation import Variation
from maestro_ai.render.synth import default_backend

Progress = Callable[[str], None]


def song_title(request: Request, variation: Variation | None) -> str:
    """The title asked for, else the variation's ('Source (in D major)'), else one from the phrases."""
    if request.title:
        return request.title
    if variation:
        return variation.title
    return make_title(request.phrases, request.genre.name, request.mood.name, stream(request.seed, "title"))


def run(request: Request, progress: Progress | None = None, variation: Variation | None = None,
        melody_engine: MelodyEngine | None = None, harmonizer: Harmonizer | None = None,
        stages: tuple[Stage, ...] = STAGES) -> Track:
    """Make a whole track folder; return its Track. `progress(name)` hears each stage's name as
    it starts, then 'done'."""
    # Our BLAS calls are small (the composer, the phrase embeddings): OpenBLAS's own threads
    # gain nothing on them and spin between calls, taking a core from the renderers.
    with threadpool_limits(limits=1, user_api="blas"):
        return _run(request, progress, variation, melody_engine or default_melody_engine(),
                    harmonizer or default_harmonizer(), stages)


def _run(request: Request, progress: Progress | None, variation: Variation | None, engine: MelodyEngine,
         harmonizer: Harmonizer, stages: tuple[Stage, ...]) -> Track:
    title = song_title(request, variation)
    record = {**request.record(), "variation": variation.record() if variation else None}
    target = check_new_folder(request.output_dir / folder_name(title, request.seed, record), force=request.force)
    folder = TrackFolder(target, request.force)
    backend = default_backend()
    # The synthesizer's description hashes its SoundFont (once per process), beside composing.
    describing = ThreadPoolExecutor(max_workers=1)
    synth = describing.submit(backend.describe)
    describing.shutdown(wait=False)
    duration = variation.duration_seconds if variation and variation.duration_seconds else request.duration_seconds
    try:
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="maestro") as pool, Spills() as spills:
            work = Work(request, title, duration, engine, harmonizer, backend, synth, pool, folder, spills, variation)
            for stage in stages:
                if progress:
                    progress(stage.name)
                started = time.perf_counter()
                stage.run(work)
                work.timings.setdefault(stage.name, round(time.perf_counter() - started, 4))
    except BaseException:
        folder.discard()
        raise
    if progress:
        progress("done")
    return work.track
