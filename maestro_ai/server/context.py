"""What every route of the API reaches through its request: the store, the file store, the
scratch folder, the rate limiter and the way jobs are started; and the API-key check, a FastAPI
dependency per scope (`Reader`, `Creator`, `Admin`).

A key is sent as `Authorization: Bearer mk_...`; it sees only its own tracks and uploads unless
it is an admin key, and makes at most its rate of requests a second (429 with Retry-After beyond
it: server.limits).
"""
import math  # (no `from __future__ import annotations`: FastAPI reads the dependencies from live annotations)
import pathlib
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException
from starlette.responses import Response

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.server.files import LocalFiles
from maestro_ai.server.limits import RateLimiter
from maestro_ai.server.store import ApiKey, Store

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # a 20-minute 24-bit stereo WAV fits; larger uploads get 413
MAX_ID = 2**63 - 1  # the databases' largest integer
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="an id")]  # a record's id in a route's path
# where work that needs files on disk copies them from S3 (server.s3): not shown in messages either
SCRATCH = re.compile(re.escape(tempfile.gettempdir().rstrip("/")) + r"/maestro-[\w.-]+/")
bearer = HTTPBearer(auto_error=False)


@dataclass
class Context:
    """`work_dir`: where jobs and uploads are written before `files` keeps them; `dispatch`: how
    a queued job is started (None: the in-process worker takes it from the store's queue)."""
    store: Store
    files: LocalFiles
    work_dir: pathlib.Path
    dispatch: Callable[[int], None] | None = None
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    limiter: RateLimiter = field(default_factory=RateLimiter)


async def context(request: Request) -> Context:  # async: a plain def would cost each request a trip through the thread pool
    return request.app.state.maestro


Ctx = Annotated[Context, Depends(context)]


def key_with(scope: str):
    """The dependency that admits a request whose key holds `scope` (and is within its rate)."""
    async def dependency(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> ApiKey:
        ctx = request.app.state.maestro
        if credentials is None:
            raise HTTPException(401, "an API key is needed: send Authorization: Bearer <key> (maestro keys create)")
        key = ctx.store.authenticate(credentials.credentials)
        if key is None:
            raise HTTPException(401, "that API key is not known here")
        if wait := ctx.limiter.wait(key.id, key.rate):
            raise HTTPException(429, f"this key may make {key.rate:g} requests a second; try again in {wait:.2f} s",
                                headers={"Retry-After": str(math.ceil(wait))})
        if not key.allows(scope):
            raise HTTPException(403, f"this key may not {scope}: its scopes are {key.scopes}")
        return key
    return dependency


Reader = Annotated[ApiKey, Depends(key_with("read"))]
Creator = Annotated[ApiKey, Depends(key_with("create"))]
Admin = Annotated[ApiKey, Depends(key_with("admin"))]


def owned(record, key: ApiKey, what: str, record_id: int):
    """`record` (a track, job or upload) when `key` may see it, else 404 (another key's record is
    not said to exist)."""
    if record is None or (record.key_id != key.id and not key.allows("admin")):
        raise HTTPException(404, f"no {what} {record_id}")
    return record


def listed_file(ctx: Context, location: str, name: str, what: str) -> Response:
    """The file `name` of a folder, if the folder lists it (nothing else is ever served: a name
    from a request never becomes a path by itself)."""
    if name not in ctx.files.names(location):
        raise HTTPException(404, f"{what} has no file {name!r:.80}")
    return ctx.files.response(location, name)


def body_id(value: object, what: str) -> int:
    """An id given in a request's body: a whole number (not true, "3" or [3])."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise InvalidRequest(f"{what} is an id, a whole number like 3, not {value!r:.20}")
    return value


def scrub(text: str, ctx: Context) -> str:
    """`text` without the server's own folders: 'upload-4/source.wav', not '/srv/out/upload-4/source.wav'."""
    for folder in {str(ctx.work_dir.resolve()), str(ctx.work_dir.absolute()), str(ctx.work_dir)}:
        text = text.replace(folder.rstrip("/") + "/", "")
    return SCRATCH.sub("", text)
