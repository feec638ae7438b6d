"""The HTTP API of `maestro serve` (FastAPI): versioned under /v1, described at /openapi.json
and browsable at /docs. Its routes are in server/routes: tracks and jobs, uploads (master,
transcribe, analyze, verify), the rights registry and the ledger. Every request needs an API key
(server.context). Errors are JSON, `{"error": "..."}`, with the same one-line message the CLI
prints and the status that fits: 400 a bad value, 401 no key, 403 not allowed, 404 not there,
409 already made, 413 too large, 415 not a kind of file Maestro reads, 422 malformed, 429 too
fast.

>>> from fastapi.testclient import TestClient
>>> client = TestClient(create_app(Store("sqlite://"), output_dir="out", worker=False))
>>> client.get("/v1/tracks").json()
{'error': 'an API key is needed: send Authorization: Bearer <key> (maestro keys create)'}
"""
from contextlib import asynccontextmanager  # (no `from __future__ import annotations`: FastAPI reads live annotations)
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from maestro_ai.core.errors import Conflict, MaestroError, NotAllowed, NotFound, OutputError
from maestro_ai.core.version import __version__
from maestro_ai.server.context import Context, scrub
from maestro_ai.server.files import LocalFiles
from maestro_ai.server.jobs import Runner, Worker
from maestro_ai.server.routes import listening, rights, studio, tracks, uploads
from maestro_ai.server.store import Store

STOP_SECONDS = 5.0  # how long a stopping server waits for the job in hand
STATUS = ((NotAllowed, 403), (NotFound, 404), (Conflict, 409), (OutputError, 409), (MaestroError, 400))  # the first that fits


def create_app(store: Store, output_dir: Path | str, worker: bool = True, files: LocalFiles | None = None,
               dispatch=None) -> FastAPI:
    """The API over `store`, writing under `output_dir` and keeping files in `files` (default: in
    `output_dir` itself). Jobs are made by a worker thread that runs while the app does (with
    `worker`), or handed to `dispatch(job_id)` (a Celery queue: server.queue)."""
    ctx = Context(store, files or LocalFiles(output_dir), Path(output_dir), dispatch=dispatch)
    jobs = Worker(Runner(store, ctx.files, ctx.work_dir)) if worker and dispatch is None else None

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if jobs:
            jobs.start()
        yield
        if jobs:  # a job still in hand is left running in the store: the next start does it again
            jobs.stop(timeout=STOP_SECONDS)

    app = FastAPI(title="Maestro", version=__version__, lifespan=lifespan, redirect_slashes=False,
                  description="Maestro's open HTTP API: generate songs, fetch their files, master, transcribe and "
                              "analyze uploads, check provenance, manage consent.")
    app.state.maestro = ctx

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(MaestroError)
    async def refused(request: Request, exc: MaestroError) -> JSONResponse:
        status = next(code for kind, code in STATUS if isinstance(exc, kind))
        return JSONResponse({"error": scrub(str(exc), ctx)}, status_code=status)  # the server's own folders not shown

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        return JSONResponse({"error": f"{where or 'request'}: {first.get('msg')}"}, status_code=422)

    for routes in (studio, tracks, uploads, rights, listening):
        app.include_router(routes.router)
    return app
