"""Generation jobs: what POST /v1/tracks (a song) and POST /v1/tracks/{id}/variations (a
variation of one) ask for, checked at once (a bad request is refused
before it is queued, with the same message the CLI gives), then made by a worker thread in the
server's process that takes jobs from the store's queue one at a time.

>>> checked({"genre": "house", "mood": "euphoric", "duration_seconds": 10})["genre"]
'house'
"""
from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from maestro_ai.core.errors import InvalidRequest, MaestroError
from maestro_ai.core.track import Track
from maestro_ai.pipeline.generator import MusicGenerator
from maestro_ai.pipeline.request import melody_file
from maestro_ai.pipeline.stages import STAGES as PIPELINE
from maestro_ai.server.store import Store

FIELDS = {"genre", "mood", "input", "duration_seconds", "seed", "quality", "formats", "key", "time_signature"}
STAGES = [stage.name for stage in PIPELINE]  # the pipeline's own, in order: a job's progress
log = logging.getLogger(__name__)


def generator(request: dict, output_dir: Path, force: bool = False) -> MusicGenerator:
    """The MusicGenerator a job's request describes, writing under `output_dir`."""
    options = {k: request[k] for k in ("key", "time_signature", "seed", "quality", "formats") if request.get(k) is not None}
    return MusicGenerator(request.get("genre", "lofi-chill"), request.get("mood", "ambient-focus"),
                          output_dir=output_dir, force=force, **options)


def checked_variation(source: Track, request: dict) -> dict:
    """`request` ({"kind": ..., "options": {...}}) if it would vary `source` (raises
    InvalidRequest naming the problem otherwise)."""
    if not isinstance(request, dict) or set(request) - {"kind", "options"} or not isinstance(request.get("options", {}), dict):
        raise InvalidRequest('a variation request is {"kind": "tempo", "options": {"tempo_bpm": 110}}')
    MusicGenerator.for_track(source, Path("out")).variation(source, str(request.get("kind")), **request.get("options", {}))
    return request


def checked(request: dict, output_dir: Path | None = None) -> dict:
    """`request` if it would make a song (raises InvalidRequest naming the problem otherwise).
    A melody over the API is text (note names or chord symbols): a path would reach the
    server's own files."""
    if not isinstance(request, dict):
        raise InvalidRequest("a track request is a JSON object")
    if unknown := sorted(set(request) - FIELDS):
        raise InvalidRequest(f"unknown field(s) {', '.join(unknown)}; valid: {', '.join(sorted(FIELDS))}")
    data = request.get("input") or {}
    if not isinstance(data, dict):
        raise InvalidRequest("input must be an object like {\"key_phrases\": [\"rainy city lights\"], \"tempo_bpm\": 72}")
    melody = data.get("melody_midi")
    if melody is not None and (not isinstance(melody, str) or melody_file(melody) is not None):
        raise InvalidRequest("melody_midi over the API is text: note names ('E4 G4:0.5') or chord symbols ('Cmaj7 G6')")
    gen = generator(request, output_dir or Path("out"))
    gen.request(data, request.get("duration_seconds", 180.0))
    return request


class Worker:
    """A thread that makes the store's queued jobs, one at a time, into track folders under
    `output_dir`; `stop()` lets the job in hand finish first."""

    def __init__(self, store: Store, output_dir: Path, poll_seconds: float = 0.2) -> None:
        self.store, self.output_dir, self.poll_seconds = store, Path(output_dir), poll_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="maestro-jobs", daemon=True)

    def start(self) -> Worker:
        self.store.requeue_interrupted()
        self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            job = self.store.claim_next()
            if job is None:
                self._stop.wait(self.poll_seconds)
                continue
            self.run(job.id)

    def run(self, job_id: int) -> None:
        """Make job `job_id` (claimed already): its track recorded, or its error."""
        job = self.store.job(job_id)
        request = json.loads(job.request)

        def progress(stage: str) -> None:
            if stage in STAGES:
                self.store.progress(job_id, stage, STAGES.index(stage) / len(STAGES))

        try:
            # each job writes in a folder of its own; a job done again (the server stopped during it)
            # replaces whatever its first attempt left
            folder = self.output_dir / f"job-{job_id}"
            if job.variation_of is None:
                track = generator(request, folder, force=True).generate(request.get("input") or {},
                                                                        request.get("duration_seconds", 180.0), progress)
            else:
                source = Track.load(Path(self.store.track(job.variation_of).folder))
                track = MusicGenerator.for_track(source, folder, force=True).vary(source, request["kind"], progress,
                                                                              **request.get("options", {}))
        except MaestroError as exc:
            self.store.fail(job_id, str(exc))
            return
        except Exception as exc:  # a bug, not the request: the job says so, the server goes on
            log.exception("job %s failed", job_id)
            self.store.fail(job_id, f"internal error: {type(exc).__name__}")
            return
        self.store.finish(job_id, str(track.folder), track.title)
