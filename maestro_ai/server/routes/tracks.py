"""Tracks and their jobs:

    POST /v1/tracks              a generation job (scope create): 202 and the job
    POST /v1/tracks/{id}/variations   a variation of one of the key's tracks (kind, options): 202 and the job
    POST /v1/tracks/{id}/remixes      a licensed remix or cover of a registered song (kind, with, genre, mood,
                                      territory, seed, options): consent checked first (403 naming the grant)
    GET  /v1/jobs/{id}           its status, stage and progress, and its track when done
    GET  /v1/tracks              the key's tracks (scope read)
    GET  /v1/tracks/{id}         a track's track.json, and the names of its files
    GET  /v1/tracks/{id}/files/{name}        one of its files: mix.wav, mix.mp3, stems/bass.wav, song.mid, ...
    GET  /v1/tracks/{id}/archive             all of them in one zip
    GET  /v1/tracks/{id}/provenance/{name}   what `maestro verify` says of one of its audio files
    GET  /v1/tracks/{id}/analysis/{name}     what `maestro analyze` says of it
"""
import json  # (no `from __future__ import annotations`: FastAPI reads the dependencies from live annotations)
import os
import re
import tempfile
import zipfile
from contextlib import ExitStack
from pathlib import Path

from fastapi import APIRouter
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response

from maestro_ai.core.track import METADATA, Track
from maestro_ai.production.analysis.analyze import analyze_file
from maestro_ai.production.clearance import recognise
from maestro_ai.provenance.credentials import MIME, read_credentials
from maestro_ai.provenance.identity import trust_anchors
from maestro_ai.provenance.marking import read_mark
from maestro_ai.rights.registry import existing_registry
from maestro_ai.server.context import Creator, Ctx, Id, Reader, body_id, listed_file, owned, scrub
from maestro_ai.server.jobs import checked, checked_remix, checked_variation
from maestro_ai.server.store import ApiKey, TrackRecord

router = APIRouter(prefix="/v1", tags=["tracks"])


def provenance(path: Path) -> dict:
    """What `maestro verify --json` says of an audio file: its Content Credentials (signer, trust,
    AI disclosure, ingredients, altered or not) and the watermark heard in it."""
    return {"credentials": read_credentials(path, trust_anchors([])), "watermark": read_mark(path).to_dict()}


def _track(ctx: Ctx, track_id: int, key: ApiKey) -> TrackRecord:
    return owned(ctx.store.track(track_id), key, "track", track_id)


def _audio_name(ctx: Ctx, track: TrackRecord, name: str) -> str:
    if name not in ctx.files.names(track.folder) or Path(name).suffix.lower() not in MIME:
        raise HTTPException(404, f"track {track.id} has no audio file {name!r} (WAV, MP3 or FLAC)")
    return name


def queued(ctx: Ctx, job) -> dict:
    """A job just put in the store, handed to the Celery queue when there is one; what the client is told of it."""
    if ctx.dispatch is not None:
        ctx.dispatch(job.id)
    return job.to_dict()


@router.post("/tracks", status_code=202)
def create_track(request: dict, key: Creator, ctx: Ctx) -> dict:
    """Queue a song: genre, mood, input (key_phrases, melody_midi as text or melody_upload as an
    upload's id, tempo_bpm, key, title), duration_seconds, seed, quality, formats. Checked before
    it is queued."""
    return queued(ctx, ctx.store.enqueue(key.id, checked(request, ctx.work_dir, key, ctx.store, ctx.files)))


@router.post("/tracks/{track_id}/variations", status_code=202)
def create_variation(track_id: Id, request: dict, key: Creator, ctx: Ctx) -> dict:
    """Queue a variation of one of the key's tracks: {"kind": "reharmonize" | "new-melody" |
    "new-drums" | "tempo" | "key" | "extend", "options": {"tempo_bpm" | "key" | "duration_seconds": ...}}."""
    with ctx.files.working_folder(_track(ctx, track_id, key).folder) as folder:
        source = Track.load(folder)
    return queued(ctx, ctx.store.enqueue(key.id, checked_variation(source, request, key.acting), variation_of=track_id))


def _remix_source(ctx: Ctx, track_id: int, key: ApiKey, stack: ExitStack) -> Track:
    """A song a remix may start from: the key's own, or another key's that the rights registry
    knows as a work (its owner published it: the registry's works are public); any other is not
    said to exist."""
    record = ctx.store.track(track_id)
    if record is None:
        raise HTTPException(404, f"no track {track_id}")
    source = Track.load(stack.enter_context(ctx.files.working_folder(record.folder)))
    if record.key_id != key.id and not key.allows("admin"):
        registry = existing_registry()
        if registry is None or source.mix_path is None or recognise(source.mix_path, registry)[1] is None:
            raise HTTPException(404, f"no track {track_id}")
    return source


@router.post("/tracks/{track_id}/remixes", status_code=202)
def create_remix(track_id: Id, request: dict, key: Creator, ctx: Ctx) -> dict:
    """Queue a licensed remix or cover of a registered song, made for the key's artist:
    {"kind": "cover" | "restyle" | "stem-swap" | "mashup" | "tempo" | "key" | "extend",
    "with": a second track's id (stem-swap, mashup), "genre", "mood" (cover, restyle),
    "territory": "world" or a country code, "seed", "options": {"tempo_bpm", "key", "keep",
    "take", "duration_seconds"}}. The song's owner must have granted the kind's scope (403 naming
    the grant otherwise); the remix's folder holds splits.json."""
    ids = [track_id]
    if isinstance(request, dict) and "with" in request:
        ids.append(body_id(request["with"], "with"))
    with ExitStack() as stack:
        checked_remix([_remix_source(ctx, i, key, stack) for i in ids], request, key.acting)
    return queued(ctx, ctx.store.enqueue(key.id, {"remix": request}, variation_of=track_id))


@router.get("/jobs/{job_id}")
async def read_job(job_id: Id, key: Reader, ctx: Ctx) -> dict:
    return owned(ctx.store.job(job_id), key, "job", job_id).to_dict()


@router.get("/tracks")
async def list_tracks(key: Reader, ctx: Ctx) -> list[dict]:
    return [{"id": t.id, "title": t.title, "created": t.created.isoformat()} for t in ctx.store.tracks(key)]


def _track_json(ctx: Ctx, track: TrackRecord) -> dict:
    meta = json.loads(scrub(ctx.files.read_bytes(track.folder, METADATA).decode("utf-8"), ctx))  # no server folder shown
    meta.pop("path", None)  # the server's own folder
    return {"id": track.id, "files": ctx.files.names(track.folder), **meta}


@router.get("/tracks/{track_id}")
async def read_track(track_id: Id, key: Reader, ctx: Ctx) -> dict:
    track = _track(ctx, track_id, key)
    if ctx.files.local:  # a small file on this disk: read here, cheaper than a trip through the thread pool
        return _track_json(ctx, track)
    return await run_in_threadpool(_track_json, ctx, track)


@router.get("/tracks/{track_id}/files/{name:path}")
def read_file(track_id: Id, name: str, key: Reader, ctx: Ctx) -> Response:
    """One of the track's files, named as `files` lists them (nothing else is served)."""
    return listed_file(ctx, _track(ctx, track_id, key).folder, name, f"track {track_id}")


@router.get("/tracks/{track_id}/archive")
def read_archive(track_id: Id, key: Reader, ctx: Ctx) -> FileResponse:
    """Every file of the track in one zip, in a folder named after it (stored, not compressed:
    the audio would hardly shrink, and storing is fast)."""
    track = _track(ctx, track_id, key)
    title = re.sub(r"[^\w .()-]", "", track.title).strip() or f"track-{track.id}"
    handle, archive_path = tempfile.mkstemp(prefix="maestro-", suffix=".zip")
    os.close(handle)
    try:
        with ctx.files.working_folder(track.folder) as folder, zipfile.ZipFile(archive_path, "w", zipfile.ZIP_STORED) as archive:
            for name in ctx.files.names(track.folder):
                archive.write(folder / name, f"{title}/{name}")
    except BaseException:
        os.unlink(archive_path)
        raise
    return FileResponse(archive_path, filename=f"{title}.zip", media_type="application/zip",
                        background=BackgroundTask(os.unlink, archive_path))


@router.get("/tracks/{track_id}/provenance/{name:path}")
def read_provenance(track_id: Id, name: str, key: Reader, ctx: Ctx) -> dict:
    """What `maestro verify` says of one of the track's audio files."""
    track = _track(ctx, track_id, key)
    with ctx.files.local_file(track.folder, _audio_name(ctx, track, name)) as path:
        return {"file": name, **provenance(path)}


@router.get("/tracks/{track_id}/analysis/{name:path}")
def read_analysis(track_id: Id, name: str, key: Reader, ctx: Ctx) -> dict:
    """What `maestro analyze --json` says of one of the track's audio files: tempo, key,
    loudness, true peak, spectrum, sections."""
    track = _track(ctx, track_id, key)
    with ctx.files.local_file(track.folder, _audio_name(ctx, track, name)) as path:
        return analyze_file(path).to_dict() | {"path": name}  # not the server's own path
