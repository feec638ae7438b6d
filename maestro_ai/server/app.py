"""The HTTP API of `maestro serve` (FastAPI): versioned under /v1, described at /openapi.json
and browsable at /docs. Every request needs an API key (`maestro keys create`), sent as
`Authorization: Bearer mk_...`; a key sees only its own tracks unless it is an admin key, and
makes at most its rate of requests a second (429 with Retry-After beyond it: server.limits).
Errors are JSON, `{"error": "..."}`, with the same one-line message the CLI prints.

    POST /v1/tracks              a generation job (scope create): 202 and the job
    POST /v1/tracks/{id}/variations   a variation of one of the key's tracks (kind, options): 202 and the job
    GET  /v1/jobs/{id}           its status, stage and progress, and its track when done
    GET  /v1/tracks              the key's tracks (scope read)
    GET  /v1/tracks/{id}         a track's track.json
    GET  /v1/tracks/{id}/files/{name}   one of its files: mix.wav, mix.mp3, stems/bass.wav, song.mid, ...
    GET  /v1/tracks/{id}/provenance/{name}   what `maestro verify` says of one of its audio files
    GET  /v1/tracks/{id}/analysis/{name}     what `maestro analyze` says of it
    GET  /v1/rights              the consent and rights registry (`maestro rights list`)
    GET  /v1/ledger              the custody ledger, checked (admin keys)

>>> from fastapi.testclient import TestClient
>>> client = TestClient(create_app(Store("sqlite://"), output_dir="out", worker=False))
>>> client.get("/v1/tracks").json()
{'error': 'an API key is needed: send Authorization: Bearer <key> (maestro keys create)'}
"""

import json  # (no `from __future__ import annotations`: FastAPI reads the dependencies from live annotations)
import math
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from maestro_ai.core.errors import MaestroError
from maestro_ai.core.track import METADATA, Track
from maestro_ai.core.version import __version__
from maestro_ai.production.analysis.analyze import analyze_file
from maestro_ai.provenance.credentials import MIME, read_credentials
from maestro_ai.provenance.identity import trust_anchors
from maestro_ai.provenance.ledger import default_ledger
from maestro_ai.provenance.ledger import verify as verify_ledger
from maestro_ai.provenance.marking import read_mark
from maestro_ai.rights.registry import existing_registry
from maestro_ai.server.jobs import Worker, checked, checked_variation
from maestro_ai.server.limits import RateLimiter
from maestro_ai.server.store import ApiKey, Store, TrackRecord

bearer = HTTPBearer(auto_error=False)
STOP_SECONDS = 5.0  # how long a stopping server waits for the job in hand


def create_app(store: Store, output_dir: Path | str, worker: bool = True) -> FastAPI:
    """The API over `store`, writing tracks under `output_dir`; with `worker`, a job thread runs
    while the app does (started and stopped with it)."""
    output_dir = Path(output_dir)
    jobs = Worker(store, output_dir) if worker else None
    limiter = RateLimiter()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if jobs:
            jobs.start()
        yield
        if jobs:  # a job still in hand is left running in the store: the next start does it again
            jobs.stop(timeout=STOP_SECONDS)

    app = FastAPI(title="Maestro", version=__version__, lifespan=lifespan,
                  description="Maestro's open HTTP API: generate songs, fetch their files.")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(MaestroError)
    async def bad_request(request: Request, exc: MaestroError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        return JSONResponse({"error": f"{where or 'request'}: {first.get('msg')}"}, status_code=422)

    def key_with(scope: str):
        async def dependency(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> ApiKey:
            if credentials is None:
                raise HTTPException(401, "an API key is needed: send Authorization: Bearer <key> (maestro keys create)")
            key = store.authenticate(credentials.credentials)
            if key is None:
                raise HTTPException(401, "that API key is not known here")
            if wait := limiter.wait(key.id, key.rate):
                raise HTTPException(429, f"this key may make {key.rate:g} requests a second; try again in {wait:.2f} s",
                                    headers={"Retry-After": str(math.ceil(wait))})
            if not key.allows(scope):
                raise HTTPException(403, f"this key may not {scope}: its scopes are {key.scopes}")
            return key
        return dependency

    Reader = Annotated[ApiKey, Depends(key_with("read"))]
    Creator = Annotated[ApiKey, Depends(key_with("create"))]

    def own_track(track_id: int, key: ApiKey) -> TrackRecord:
        track = store.track(track_id)
        if track is None or (track.key_id != key.id and not key.allows("admin")):
            raise HTTPException(404, f"no track {track_id}")  # another key's track is not said to exist
        return track

    def _audio_file(track_id: int, name: str, key: ApiKey) -> Path:
        folder = Path(own_track(track_id, key).folder)
        if name not in files_of(folder) or Path(name).suffix.lower() not in MIME:
            raise HTTPException(404, f"track {track_id} has no audio file {name!r} (WAV, MP3 or FLAC)")
        return folder / name

    @app.post("/v1/tracks", status_code=202)
    def create_track(request: dict, key: Creator) -> dict:
        """Queue a song: genre, mood, input (key_phrases, melody_midi as text, tempo_bpm, key,
        title), duration_seconds, seed, quality, formats. Checked before it is queued."""
        return store.enqueue(key.id, checked(request, output_dir)).to_dict()

    @app.post("/v1/tracks/{track_id}/variations", status_code=202)
    def create_variation(track_id: int, request: dict, key: Creator) -> dict:
        """Queue a variation of one of the key's tracks: {"kind": "reharmonize" | "new-melody" |
        "new-drums" | "tempo" | "key" | "extend", "options": {"tempo_bpm" | "key" | "duration_seconds": ...}}."""
        source = Track.load(Path(own_track(track_id, key).folder))
        return store.enqueue(key.id, checked_variation(source, request), variation_of=track_id).to_dict()

    @app.get("/v1/jobs/{job_id}")
    async def read_job(job_id: int, key: Reader) -> dict:
        job = store.job(job_id)
        if job is None or (job.key_id != key.id and not key.allows("admin")):
            raise HTTPException(404, f"no job {job_id}")
        return job.to_dict()

    @app.get("/v1/tracks")
    async def list_tracks(key: Reader) -> list[dict]:
        return [{"id": t.id, "title": t.title, "created": t.created.isoformat()} for t in store.tracks(key)]

    @app.get("/v1/tracks/{track_id}")
    async def read_track(track_id: int, key: Reader) -> dict:
        track = own_track(track_id, key)
        meta = json.loads((Path(track.folder) / METADATA).read_text(encoding="utf-8"))
        meta.pop("path", None)
        return {"id": track.id, "files": files_of(Path(track.folder)), **meta}

    @app.get("/v1/tracks/{track_id}/files/{name:path}")
    def read_file(track_id: int, name: str, key: Reader) -> FileResponse:
        """One of the track's files, named as `files` lists them (nothing else is served)."""
        folder = Path(own_track(track_id, key).folder)
        if name not in files_of(folder):
            raise HTTPException(404, f"track {track_id} has no file {name!r}")
        return FileResponse(folder / name, filename=Path(name).name)

    @app.get("/v1/tracks/{track_id}/provenance/{name:path}")
    def read_provenance(track_id: int, name: str, key: Reader) -> dict:
        """What `maestro verify` says of one of the track's audio files: its Content Credentials
        (signer, trust, AI disclosure, ingredients, altered or not) and the watermark heard in it."""
        path = _audio_file(track_id, name, key)
        return {"file": name, "credentials": read_credentials(path, trust_anchors([])), "watermark": read_mark(path).to_dict()}

    @app.get("/v1/tracks/{track_id}/analysis/{name:path}")
    def read_analysis(track_id: int, name: str, key: Reader) -> dict:
        """What `maestro analyze --json` says of one of the track's audio files: tempo, key,
        loudness, true peak, spectrum, sections."""
        return analyze_file(_audio_file(track_id, name, key)).to_dict() | {"path": name}  # not the server's own path

    @app.get("/v1/rights")
    def read_rights(key: Reader) -> dict:
        """The consent and rights registry as `maestro rights list` shows it: artists, works with
        their shares, and grants (empty when this machine has no registry)."""
        registry = existing_registry()
        return registry.listing() if registry is not None else {"artists": [], "works": [], "grants": []}

    @app.get("/v1/ledger")
    def read_ledger(key: Annotated[ApiKey, Depends(key_with("admin"))]) -> dict:
        """The custody ledger checked as `maestro ledger verify` checks it (admin keys only)."""
        if not default_ledger().exists():
            raise HTTPException(404, "this server's ledger is empty: nothing has been sealed yet")
        return verify_ledger(default_ledger(), trust_anchors([]))

    return app


def files_of(folder: Path) -> list[str]:
    """The files of a track folder, as paths inside it (what the API serves, and only that)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
