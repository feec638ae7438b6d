"""Uploads, and what the production tools make of them:

    POST /v1/uploads?name=mix.wav        the request's body is the file (scope create): 201 and the upload
    GET  /v1/uploads                     the key's uploads
    GET  /v1/uploads/{id}                one, with the names of its files (the source and what was made of it)
    GET  /v1/uploads/{id}/files/{name}   one of those files
    POST /v1/uploads/{id}/master         `maestro master` on it: {"target": "spotify", "format": "wav", ...}
    POST /v1/uploads/{id}/transcribe     `maestro transcribe`: {"tempo_bpm": 96, "melody": true}
    GET  /v1/uploads/{id}/analysis       `maestro analyze`
    GET  /v1/uploads/{id}/provenance     `maestro verify`, and the registered work it is (`rights work match`)
    POST /v1/uploads/{id}/remixes        `maestro remix RECORDING --midi FILE`: a cover or restyle of a registered
                                         recording by the MIDI of what it plays (another upload): {"kind": "cover",
                                         "midi_upload": 4, "genre": "jazz", "options": {"tempo_bpm": 96}}

An upload is streamed to disk as it arrives, refused past the size limit (413) and judged by its
content, not its name (415 for anything but WAV, FLAC, Ogg, MP3, AIFF or MIDI); the name it was
sent with is shown, never used as a path.
"""
import hashlib  # (no `from __future__ import annotations`: FastAPI reads the dependencies from live annotations)
import json
import re
import shutil
import tempfile
from contextlib import nullcontext
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.sniff import HEAD_BYTES, readable, sniff
from maestro_ai.production.analysis.analyze import analyze_file
from maestro_ai.production.clearance import recognise
from maestro_ai.production.mastering.file import master_file, report_paths
from maestro_ai.production.mastering.settings import MasterSettings
from maestro_ai.production.transcription.basic_pitch import transcribe_file
from maestro_ai.rights.registry import existing_registry
from maestro_ai.server.context import Context, Creator, Ctx, Id, Reader, body_id, listed_file, owned, scrub
from maestro_ai.server.jobs import checked_remix, recording_upload
from maestro_ai.server.routes.tracks import provenance, queued
from maestro_ai.server.store import ApiKey, Upload

router = APIRouter(prefix="/v1", tags=["uploads"])
MASTER_FIELDS = {"target", "lufs", "true_peak", "reference", "mix", "mode", "tone", "width", "glue", "format"}
MASTER_FORMATS = ("wav", "flac", "mp3")


def clean_name(name: str) -> str:
    """A name to show for an upload: the last part of what the client sent, printable, short.

    >>> clean_name("../../etc/passwd"), clean_name("My Song (final).wav"), clean_name("")
    ('passwd', 'My Song (final).wav', 'upload')
    """
    last = re.split(r"[\\\\/]", name or "")[-1]
    return re.sub(r"[^\w .()\[\]-]", "_", last).strip(" .")[:200] or "upload"


def _upload(ctx: Context, upload_id: int, key: ApiKey, kind: str | None = None) -> Upload:
    upload = owned(ctx.store.upload(upload_id), key, "upload", upload_id)
    if kind is not None and upload.kind != kind:
        raise HTTPException(422, f"upload {upload_id} is {upload.kind.upper()}, not {kind}")
    return upload


@router.post("/uploads", status_code=201)
async def create_upload(request: Request, key: Creator, ctx: Ctx, name: str = "upload") -> dict:
    """Send a file as the request's body (Content-Type application/octet-stream): a mix to master,
    a melody (MIDI or a recording) to start a song from, a recording to transcribe or analyze."""
    ctx.work_dir.mkdir(parents=True, exist_ok=True)
    incoming = folder = Path(tempfile.mkdtemp(prefix=".upload-", dir=ctx.work_dir))
    upload = None
    try:
        digest, size, head = await received(request, incoming / "source", ctx.max_upload_bytes)
        found = sniff(head)
        if found is None or not await run_in_threadpool(readable, incoming / "source", found[0]):
            raise HTTPException(415, "that file is not audio (WAV, FLAC, Ogg, MP3, AIFF) or a MIDI file that can be read, "
                                     "by its content")
        kind, format = found
        (incoming / "source").rename(incoming / f"source.{format}")
        upload = ctx.store.add_upload(key.id, clean_name(name), kind, format, size, digest, str(incoming))
        folder = ctx.work_dir / f"upload-{upload.id}"
        incoming.rename(folder)
        upload.folder = await run_in_threadpool(ctx.files.keep, folder, f"upload-{upload.id}")
        ctx.store.move_upload(upload.id, upload.folder)
    except BaseException:  # nothing half-received stays: neither its folder nor its record
        shutil.rmtree(folder, ignore_errors=True)
        if upload is not None:
            ctx.store.remove_upload(upload.id)
        raise
    if not ctx.files.local:
        shutil.rmtree(folder, ignore_errors=True)  # kept elsewhere
    return upload.to_dict() | {"files": [upload.source]}


@router.get("/uploads")
async def list_uploads(key: Reader, ctx: Ctx) -> list[dict]:
    return [u.to_dict() for u in ctx.store.uploads(key)]


@router.get("/uploads/{upload_id}")
def read_upload(upload_id: Id, key: Reader, ctx: Ctx) -> dict:
    upload = _upload(ctx, upload_id, key)
    return upload.to_dict() | {"files": ctx.files.names(upload.folder)}


@router.get("/uploads/{upload_id}/files/{name:path}")
def read_upload_file(upload_id: Id, name: str, key: Reader, ctx: Ctx) -> Response:
    return listed_file(ctx, _upload(ctx, upload_id, key).folder, name, f"upload {upload_id}")


async def received(request: Request, path: Path, limit: int) -> tuple[str, int, bytes]:
    """The request's body streamed to `path`, refused past `limit` bytes (413) or empty (400):
    its SHA-256, its size and its first bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"an upload may be at most {limit // 2**20} MiB; this one is {int(declared) / 2**20:.0f} MiB")
    digest, size, head = hashlib.sha256(), 0, b""
    with open(path, "wb") as out:
        async for chunk in _body(request):
            size += len(chunk)
            if size > limit:
                raise HTTPException(413, f"an upload may be at most {limit // 2**20} MiB")
            head += chunk[:HEAD_BYTES - len(head)]
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise HTTPException(400, "the upload is empty: send the file as the request's body")
    return digest.hexdigest(), size, head


async def _body(request: Request):
    """The request's body, chunk by chunk; a client that goes before the end is a 400 (to no one)."""
    try:
        async for chunk in request.stream():
            yield chunk
    except ClientDisconnect:
        raise HTTPException(400, "the upload was cut off before its end") from None


def _next_name(names: list[str], stem: str, suffix: str) -> str:
    """stem-N.suffix, N one past the highest made so far."""
    taken = [int(m.group(1)) for n in names if (m := re.fullmatch(rf"{stem}-(\d+)\.\w+", n))]
    return f"{stem}-{max(taken, default=0) + 1}.{suffix}"


@router.post("/uploads/{upload_id}/master")
def master_upload(upload_id: Id, request: dict, key: Creator, ctx: Ctx) -> dict:
    """Master an uploaded mix as `maestro master` does: target, lufs, true_peak, mode, mix, tone,
    width, glue, reference (another upload's id, whose tone and level to match), format (wav,
    flac or mp3). The master is sealed, acting as the key's artist. Answers the report (loudness
    before and after) and the names of the master, its report and its chart."""
    upload = _upload(ctx, upload_id, key, "audio")
    if unknown := sorted(set(request) - MASTER_FIELDS):
        raise InvalidRequest(f"unknown field(s) {', '.join(unknown)}; valid: {', '.join(sorted(MASTER_FIELDS))}")
    options = dict(request)
    format = options.pop("format", "wav")
    if format not in MASTER_FORMATS:
        raise InvalidRequest(f"format must be one of {', '.join(MASTER_FORMATS)}, not {format!r:.20}")
    reference_id = options.pop("reference", None)
    reference = _upload(ctx, body_id(reference_id, "reference"), key, "audio") if reference_id is not None else None
    with ctx.files.working_folder(upload.folder) as folder:
        name = _next_name(ctx.files.names(upload.folder), "master", format)
        with (ctx.files.local_file(reference.folder, reference.source) if reference else nullcontext()) as reference_path:
            settings = MasterSettings(**options, reference=reference_path)
            result = master_file(folder / upload.source, folder / name, settings, artist=key.acting).to_dict()
        data, chart = report_paths(folder / name)
        # the report names files by where the server keeps them: by their names in the upload instead
        data.write_text(scrub(data.read_text(encoding="utf-8").replace(str(folder) + "/", ""), ctx), encoding="utf-8")
    result = json.loads(scrub(json.dumps(result).replace(str(folder) + "/", ""), ctx))
    result["report_png"] = chart.name
    return {"file": name, "report": data.name, "chart": chart.name, **result}


@router.post("/uploads/{upload_id}/transcribe")
def transcribe_upload(upload_id: Id, request: dict, key: Creator, ctx: Ctx) -> dict:
    """Transcribe an uploaded recording to MIDI as `maestro transcribe` does: {"tempo_bpm": 120,
    "melody": false} (melody: keep one line). Answers the MIDI file's name and what it holds."""
    upload = _upload(ctx, upload_id, key, "audio")
    if unknown := sorted(set(request) - {"tempo_bpm", "melody"}):
        raise InvalidRequest(f"unknown field(s) {', '.join(unknown)}; valid: melody, tempo_bpm")
    with ctx.files.working_folder(upload.folder) as folder:
        name = _next_name(ctx.files.names(upload.folder), "transcription", "mid")
        result = transcribe_file(folder / upload.source, folder / name, tempo_bpm=request.get("tempo_bpm", 120.0),
                                 monophonic=request.get("melody", False)).to_dict()
    return result | {"path": name, "file": name}


@router.get("/uploads/{upload_id}/analysis")
def analyze_upload(upload_id: Id, key: Reader, ctx: Ctx) -> dict:
    """What `maestro analyze --json` says of an uploaded recording."""
    upload = _upload(ctx, upload_id, key, "audio")
    with ctx.files.local_file(upload.folder, upload.source) as path:
        return analyze_file(path).to_dict() | {"path": upload.source}


@router.get("/uploads/{upload_id}/provenance")
def upload_provenance(upload_id: Id, key: Reader, ctx: Ctx) -> dict:
    """What `maestro verify` says of an uploaded recording, and which registered work it is (by
    its bytes, its credentials or the watermark heard in it; None when it is none)."""
    upload = _upload(ctx, upload_id, key, "audio")
    registry = existing_registry()
    with ctx.files.local_file(upload.folder, upload.source) as path:
        match = recognise(path, registry)[1] if registry is not None else None
        return {"file": upload.source, **provenance(path), "work": match.__dict__ if match else None}


@router.post("/uploads/{upload_id}/remixes", status_code=202)
def create_recording_remix(upload_id: Id, request: dict, key: Creator, ctx: Ctx) -> dict:
    """Queue a licensed cover or restyle of an uploaded recording that the rights registry knows
    as a work, made from the MIDI of what it plays, for the key's artist: {"kind": "cover" |
    "restyle", "midi_upload": the MIDI upload's id, "genre" (required: a recording has none of its
    own), "mood", "territory", "seed", "options": {"tempo_bpm", "key", "keep"}}. Consent as for a
    track's remix (403 naming the grant to ask for); the remix's folder holds splits.json."""
    _upload(ctx, upload_id, key, "audio")
    with recording_upload(upload_id, request.get("midi_upload") if isinstance(request, dict) else None, key, ctx.store,
                          ctx.files) as recording:
        checked_remix([recording], request, key.acting)
    return queued(ctx, ctx.store.enqueue(key.id, {"remix": request, "recording": upload_id}))
