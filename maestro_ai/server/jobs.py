"""Generation jobs: what POST /v1/tracks (a song), POST /v1/tracks/{id}/variations (a
variation of one), POST /v1/tracks/{id}/remixes (a licensed remix or cover) and POST
/v1/uploads/{id}/remixes (one of an uploaded recording, by its MIDI) ask for, checked
at once (a bad request is refused before it is queued, with the same message the CLI gives),
then made by a `Runner`: in a worker thread of the server's own process (`Worker`, the default)
or in a Celery worker on another machine (server.queue).

A song may start from one of the key's uploads (`"input": {"melody_upload": 3}`: a MIDI file or
a recording, as `melody_midi` takes a file in the CLI); a path in a request never reaches the
file system.

>>> checked({"genre": "house", "mood": "euphoric", "duration_seconds": 10})["genre"]
'house'
"""
from __future__ import annotations

import json
import logging
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from maestro_ai.catalog.recommend import dj
from maestro_ai.catalog.requests import read_request
from maestro_ai.catalog.tracks import catalogue
from maestro_ai.core.errors import InvalidRequest, MaestroError, NotFound
from maestro_ai.core.track import METADATA, Track
from maestro_ai.pipeline.generator import MusicGenerator
from maestro_ai.pipeline.imported import Recording
from maestro_ai.pipeline.stages import STAGES as PIPELINE
from maestro_ai.server.files import LocalFiles
from maestro_ai.server.store import ApiKey, Job, Store, Upload

REMIX_FIELDS = {"kind", "with", "genre", "mood", "territory", "seed", "options"}
RECORDING_REMIX_FIELDS = REMIX_FIELDS - {"with"} | {"midi_upload"}  # a recording is covered or restyled, by its MIDI
FIELDS = {"genre", "mood", "input", "duration_seconds", "seed", "quality", "formats", "key", "time_signature"}
SLASH_CHORD = re.compile(r"[A-G][#b]?[^/\s]*/[A-G][#b]?")  # C/E, Am7/G: a chord over a bass note, not a path


def path_like(text: str) -> bool:
    """Whether melody text reads as a file's path, judged by the text alone (asking the file
    system whether it exists would tell a client what is on the server).

    >>> [path_like(t) for t in ("Cmaj7 C/E G6", "E4 G4:0.5", "/etc/passwd", "tune.mid", "songs/x", "~/a")]
    [False, False, True, True, True, True]
    """
    words = text.split()
    if len(words) == 1 and re.search(r"\.[A-Za-z][A-Za-z0-9]{1,4}$", words[0]):
        return True
    return any(w[0] in "/~." or "\\" in w or ("/" in w and not SLASH_CHORD.fullmatch(w)) for w in words)
STAGES = [stage.name for stage in PIPELINE]  # the pipeline's own, in order: a job's progress
log = logging.getLogger(__name__)


def generator(request: dict, output_dir: Path, force: bool = False, artist: str | None = None) -> MusicGenerator:
    """The MusicGenerator a job's request describes, writing under `output_dir`, acting as `artist`."""
    options = {k: request[k] for k in ("key", "time_signature", "seed", "quality", "formats") if request.get(k) is not None}
    return MusicGenerator(request.get("genre", "lofi-chill"), request.get("mood", "ambient-focus"),
                          output_dir=output_dir, force=force, artist=artist, **options)


def checked_variation(source: Track, request: dict, artist: str | None = None) -> dict:
    """`request` ({"kind": ..., "options": {...}}) if it would vary `source` (raises
    InvalidRequest naming the problem otherwise)."""
    if not isinstance(request, dict) or set(request) - {"kind", "options"} or not isinstance(request.get("options", {}), dict):
        raise InvalidRequest('a variation request is {"kind": "tempo", "options": {"tempo_bpm": 110}}')
    MusicGenerator.for_track(source, Path("out"), artist=artist).variation(source, str(request.get("kind")),
                                                                            **request.get("options", {}))
    return request


def remix_generator(source: Track | Recording, request: dict, output_dir: Path, force: bool = False,
                    artist: str | None = None) -> MusicGenerator:
    """The MusicGenerator that makes the remix `request` ({"kind", "genre", "mood", "seed", ...})
    of `source`: in the genre and mood asked for (a cover's or restyle's), else the song's; a
    recording has no genre of its own, so its remix names one."""
    if isinstance(source, Recording):
        if not request.get("genre"):
            raise InvalidRequest(f"a recording has no genre of its own: give the {request.get('kind', 'remix')}'s genre")
        return MusicGenerator(request["genre"], request.get("mood") or source.mood, seed=request.get("seed"),
                              output_dir=output_dir, force=force, artist=artist)
    return MusicGenerator.for_track(source, output_dir, genre=request.get("genre"), mood=request.get("mood"),
                                    seed=request.get("seed"), force=force, artist=artist)


def checked_remix(sources: list[Track | Recording], request: dict, artist: str | None = None) -> dict:
    """`request` ({"kind": "cover", "genre": "house", "options": {"tempo_bpm": 124}, "territory":
    "FR", "with": 7}) if `artist` may make that remix of `sources` (raises InvalidRequest, or
    NotAllowed naming the grant to ask for, otherwise). A recording's remix names its MIDI
    (`midi_upload`) instead of a second song."""
    if not isinstance(request, dict) or not isinstance(request.get("options", {}), dict):
        raise InvalidRequest('a remix request is {"kind": "cover", "genre": "house", "options": {"tempo_bpm": 124}}')
    fields = RECORDING_REMIX_FIELDS if isinstance(sources[0], Recording) else REMIX_FIELDS
    if unknown := sorted(set(request) - fields):
        raise InvalidRequest(f"unknown field(s) {', '.join(unknown)}; valid: {', '.join(sorted(fields))}")
    if not request.get("kind"):
        raise InvalidRequest('a remix request names its kind: {"kind": "cover", ...}')
    for name in ("kind", "genre", "mood", "territory"):
        if not isinstance(request.get(name, ""), str):
            raise InvalidRequest(f"{name} is text, not {type(request[name]).__name__}")
    if (request.get("genre") or request.get("mood")) and request.get("kind") not in ("cover", "restyle"):
        raise InvalidRequest(f"a {request.get('kind')} plays in the first song's genre and mood; give no genre or mood")
    if request.get("seed") is not None and (isinstance(request["seed"], bool) or not isinstance(request["seed"], int)):
        raise InvalidRequest(f"seed is a whole number, not {request['seed']!r:.20}")
    remix_generator(sources[0], request, Path("out"), artist=artist).remix_plan(
        sources[0], str(request.get("kind")), other=sources[1] if len(sources) > 1 else None,
        territory=request.get("territory") or "world", **request.get("options", {}))
    return request


def own_upload(upload_id: object, kind: str | None, what: str, key: ApiKey | None, store: Store | None) -> Upload:
    """One of `key`'s uploads (any, for an admin key) of `kind` ("audio", "midi"; None: either):
    NotFound for another key's or none, InvalidRequest for the wrong kind."""
    upload = store.upload(upload_id) if store is not None and not isinstance(upload_id, bool) \
        and isinstance(upload_id, int) and 1 <= upload_id < 2**63 else None
    if upload is None or key is None or (upload.key_id != key.id and not key.allows("admin")):
        raise NotFound(f"{what}: no upload {upload_id!r:.20} of this key (POST /v1/uploads first)")
    if kind is not None and upload.kind != kind:
        raise InvalidRequest(f"{what}: upload {upload_id} is {upload.kind.upper()}, not {'a recording' if kind == 'audio' else 'MIDI'}")
    return upload


@contextmanager
def recording_upload(upload_id: int, midi_id: object, key: ApiKey | None, store: Store, files: LocalFiles) -> Iterator[Recording]:
    """The recording a remix starts from: one of `key`'s audio uploads, with the MIDI file of what
    it plays (`midi_id`, another upload), on this machine for as long as the block lasts."""
    audio = own_upload(upload_id, "audio", "the recording", key, store)
    if midi_id is None:
        raise InvalidRequest("a recording is remixed by the MIDI of what it plays: upload it (POST /v1/uploads) and give "
                             "its id as midi_upload")
    midi = own_upload(midi_id, "midi", "midi_upload", key, store)
    with files.local_file(audio.folder, audio.source) as path:
        yield Recording.load(path, files.read_bytes(midi.folder, midi.source), Path(audio.name).stem)


@contextmanager
def song_input(request: dict, key: ApiKey | None, store: Store | None, files: LocalFiles | None) -> Iterator[dict]:
    """The request's input as the generator takes it: `melody_upload` (one of `key`'s uploads)
    as the path of a local copy of that file, for as long as the block lasts."""
    data = dict(request.get("input") or {})
    upload_id = data.pop("melody_upload", None)
    if upload_id is None:
        yield data
        return
    if "melody_midi" in data:
        raise InvalidRequest("give melody_midi (text) or melody_upload (an upload's id), not both")
    upload = own_upload(upload_id, None, "melody_upload", key, store)
    with files.local_file(upload.folder, upload.source) as path:
        yield {**data, "melody_midi": path}


def checked(request: dict, output_dir: Path | None = None, key: ApiKey | None = None, store: Store | None = None,
            files: LocalFiles | None = None) -> dict:
    """`request` if it would make a song (raises InvalidRequest naming the problem otherwise).
    A melody over the API is text (note names or chord symbols) or an upload's id: a path would
    reach the server's own files."""
    if not isinstance(request, dict):
        raise InvalidRequest("a track request is a JSON object")
    if unknown := sorted(set(request) - FIELDS):
        raise InvalidRequest(f"unknown field(s) {', '.join(unknown)}; valid: {', '.join(sorted(FIELDS))}")
    data = request.get("input") or {}
    if not isinstance(data, dict):
        raise InvalidRequest("input must be an object like {\"key_phrases\": [\"rainy city lights\"], \"tempo_bpm\": 72}")
    melody = data.get("melody_midi")
    # judged by its text alone: asking the file system whether a path exists would answer the client
    if melody is not None and (not isinstance(melody, str) or path_like(melody)):
        raise InvalidRequest("melody_midi over the API is text: note names ('E4 G4:0.5') or chord symbols ('Cmaj7 G6'); "
                             "send a file to POST /v1/uploads and give melody_upload")
    if not isinstance(request.get("time_signature", ""), str):
        raise InvalidRequest("time_signature is text like '3/4'")
    phrases = data.get("key_phrases", [])
    if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        raise InvalidRequest('key_phrases is a list of texts, like ["rainy city lights"]')
    gen = generator(request, output_dir or Path("out"), artist=key.acting if key else None)
    with song_input(request, key, store, files) as data:
        gen.request(data, request.get("duration_seconds", 180.0))
    return request


DJ_FIELDS = {"context", "playlist", "minutes", "requests", "request_uploads", "user", "voice"}
DJ_MINUTES = 30  # a mix is made in memory (about 50 MB a minute): longer ones from the command line


@dataclass(frozen=True)
class DjMix:
    """A DJ mix a job made: its folder (mix.wav, and track.json saying what was played) and title."""

    folder: Path
    title: str


def checked_dj(request: dict, key: ApiKey | None = None, store: Store | None = None) -> dict:
    """`request` if it asks for a DJ mix the server can make: {"context", "minutes" (1-DJ_MINUTES),
    "requests": typed requests, "request_uploads": ids of the key's audio uploads of spoken ones,
    "user", "voice"}, or {"playlist": track ids in order (as GET /v1/playlists gives them),
    "voice"}; InvalidRequest naming the problem otherwise."""
    if not isinstance(request, dict):
        raise InvalidRequest('a DJ request is {"context": "late night", "minutes": 20, "requests": ["something calmer"]}')
    if unknown := sorted(set(request) - DJ_FIELDS):
        raise InvalidRequest(f"unknown field(s) {', '.join(unknown)}; valid: {', '.join(sorted(DJ_FIELDS))}")
    if "playlist" in request:
        listed = request["playlist"]
        if "context" in request or set(request) - {"playlist", "voice"}:
            raise InvalidRequest("a DJ mix plays a playlist as it is (give voice at most), or one it plans for a context")
        if not isinstance(listed, list) or not 2 <= len(listed) <= 200 or not all(isinstance(i, str) and i for i in listed):
            raise InvalidRequest('a playlist is a list of 2-200 track ids, like ["0x1f...", "12"] (GET /v1/playlists gives them)')
        if not isinstance(request.get("voice", True), bool):
            raise InvalidRequest("voice is true or false")
        return request
    context = request.get("context")
    if not isinstance(context, str) or not 0 < len(context.strip()) <= 200:
        raise InvalidRequest('a DJ mix needs a context, like "late night" (1-200 characters), or a playlist')
    minutes = request.get("minutes", 20.0)
    if not isinstance(minutes, (int, float)) or isinstance(minutes, bool) or not 1 <= minutes <= DJ_MINUTES:
        raise InvalidRequest(f"a DJ mix over the API lasts 1-{DJ_MINUTES} minutes, not {minutes!r:.20}")
    typed, spoken = request.get("requests", []), request.get("request_uploads", [])
    if not isinstance(typed, list) or not isinstance(spoken, list) or len(typed) + len(spoken) > 20:
        raise InvalidRequest('requests is a list of phrases ("something calmer") and request_uploads a list of upload ids, 20 in all')
    for text in typed:
        read_request(text)
    for upload_id in spoken:
        own_upload(upload_id, "audio", "request_uploads", key, store)
    if not isinstance(request.get("voice", True), bool) or not isinstance(request.get("user", ""), str):
        raise InvalidRequest("voice is true or false, user a listener's name")
    return request


class Runner:
    """Makes one claimed job into a track: written under `work_dir/job-N`, kept by `files`,
    recorded in `store` (or the job's error recorded)."""

    def __init__(self, store: Store, files: LocalFiles, work_dir: Path) -> None:
        self.store, self.files, self.work_dir = store, files, Path(work_dir)

    def run(self, job_id: int) -> None:
        job = self.store.job(job_id)

        def progress(stage: str) -> None:
            if stage in STAGES:
                self.store.progress(job_id, stage, STAGES.index(stage) / len(STAGES))

        # each job writes in a folder of its own; a job done again (its server or worker stopped
        # during it) replaces whatever its first attempt left
        folder = self.work_dir / f"job-{job_id}"
        try:
            track = self._make(job, folder, progress)
            location = self.files.keep(track.folder, f"job-{job_id}")
        except MaestroError as exc:
            self.store.fail(job_id, str(exc))
            return
        except Exception as exc:  # a bug, not the request: the job says so, the worker goes on
            log.exception("job %s failed", job_id)
            self.store.fail(job_id, f"internal error: {type(exc).__name__}")
            return
        finally:
            if not self.files.local:
                shutil.rmtree(folder, ignore_errors=True)  # kept elsewhere: the local copy goes
        self.store.finish(job_id, location, track.title)

    def _make(self, job: Job, folder: Path, progress) -> Track | DjMix:
        request = json.loads(job.request)
        key = self.store.key(job.key_id)
        if "dj" in request:
            return self._dj(request["dj"], key, folder)
        if "recording" in request:  # a remix of an uploaded recording; its consent is asked again
            remix = request["remix"]
            with recording_upload(request["recording"], remix.get("midi_upload"), key, self.store, self.files) as recording:
                return remix_generator(recording, remix, folder, force=True, artist=key.acting).remix(
                    recording, remix["kind"], territory=remix.get("territory") or "world", progress=progress,
                    **remix.get("options", {}))
        if job.variation_of is None:
            with song_input(request, key, self.store, self.files) as data:
                return generator(request, folder, force=True, artist=key.acting).generate(
                    data, request.get("duration_seconds", 180.0), progress)
        with ExitStack() as stack:
            if "remix" in request:  # the consent is asked again: a grant revoked while it waited stops it
                remix = request["remix"]
                sources = [Track.load(stack.enter_context(self.files.working_folder(self.store.track(i).folder)))
                           for i in (job.variation_of, *([remix["with"]] if "with" in remix else []))]
                return remix_generator(sources[0], remix, folder, force=True, artist=key.acting).remix(
                    sources[0], remix["kind"], other=sources[1] if len(sources) > 1 else None,
                    territory=remix.get("territory") or "world", progress=progress, **remix.get("options", {}))
            source_folder = stack.enter_context(self.files.working_folder(self.store.track(job.variation_of).folder))
            source = Track.load(source_folder)
            return MusicGenerator.for_track(source, folder, force=True, artist=key.acting).vary(
                source, request["kind"], progress, **request.get("options", {}))


    def _playable_by(self, key: ApiKey) -> dict:
        """The catalogue a key's DJ mix may play: the key's own tracks and the registry's works
        (published by their owners); every track for an admin key. Another key's unregistered
        song stays that key's."""
        tracks = catalogue()
        if key.allows("admin"):
            return tracks
        own = {str(Path(record.folder).resolve()) for record in self.store.tracks(key)}
        # a registered work's id is its number in the registry (`catalog.tracks`); an unregistered track's, "0x..."
        keep = np.array([str(i).isdigit() or (bool(f) and str(Path(f).resolve()) in own)
                         for i, f in zip(tracks["id"], tracks["folder"])], dtype=bool)
        return {name: column[keep] for name, column in tracks.items()}

    def _dj(self, request: dict, key: ApiKey, folder: Path) -> DjMix:
        """A DJ mix of the instance's catalogue, the spoken requests heard from the key's uploads."""
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        if "playlist" in request:
            listed = folder / "playlist.json"
            listed.write_text(json.dumps({"tracks": [{"id": i} for i in request["playlist"]]}), encoding="utf-8")
            made = dj(folder / "mix.wav", playlist_file=listed, speak=request.get("voice", True), tracks=self._playable_by(key))
        else:
            with ExitStack() as stack:
                spoken = [stack.enter_context(self.files.local_file(upload.folder, upload.source))
                          for upload in (own_upload(i, "audio", "request_uploads", key, self.store)
                                         for i in request.get("request_uploads", []))]
                made = dj(folder / "mix.wav", request["context"], minutes=float(request.get("minutes", 20.0)),
                          requests=request.get("requests", []), user=request.get("user"), speak=request.get("voice", True),
                          spoken=spoken, tracks=self._playable_by(key))
        title = f"Maestro DJ: {request.get('context', 'a playlist').strip()}"
        (folder / METADATA).write_text(json.dumps({"kind": "dj-mix", "title": title, "context": request.get("context"),
                                                   **{k: v for k, v in made.items() if k != "file"}}, indent=2), encoding="utf-8")
        return DjMix(folder, title)


class Worker:
    """A thread that makes the store's queued jobs, one at a time (with a `Runner`); `stop()`
    lets the job in hand finish first."""

    def __init__(self, runner: Runner, poll_seconds: float = 0.2) -> None:
        self.runner, self.store, self.poll_seconds = runner, runner.store, poll_seconds
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
            self.runner.run(job.id)
