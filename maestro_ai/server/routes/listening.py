"""The listening side over HTTP, calling what `maestro plays import`, `maestro taste train` and
`maestro recommend` call:

    POST /v1/plays?name=plays.csv        the request's body is a play log, CSV or Parquet (admin): its counts
    POST /v1/taste/train                 learn every listener's taste from the imported plays (admin)
    GET  /v1/recommendations?user=u42&n=10&diversity=0.3
                                         what a listener will want next (admin, or a key asking for its own artist)
    GET  /v1/playlists?context=rainy%20evening&minutes=45&user=u42&freshness=0.3&skipped=7,9
                                         a playlist for a context (a listener's: as for recommendations)
"""
import shutil  # (no `from __future__ import annotations`: FastAPI reads the dependencies from live annotations)
import tempfile
from pathlib import Path

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from maestro_ai.catalog.plays import import_plays
from maestro_ai.catalog.recommend import playlist, recommend, train_taste
from maestro_ai.server.context import Admin, Ctx, Reader
from maestro_ai.server.routes.uploads import clean_name, received

router = APIRouter(prefix="/v1", tags=["listening"])


@router.post("/plays", status_code=201)
async def import_play_log(request: Request, key: Admin, ctx: Ctx, name: str = "plays.csv") -> dict:
    """Send a play log as the request's body (CSV, or Parquet when `name` ends in .parquet): each
    row checked as `maestro royalties run` checks it, kept once in the play store."""
    suffix = ".parquet" if clean_name(name).lower().endswith(".parquet") else ".csv"
    ctx.work_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".plays-", dir=ctx.work_dir))
    try:
        path = folder / f"log{suffix}"
        await received(request, path, ctx.max_upload_bytes)
        return await run_in_threadpool(import_plays, path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@router.post("/taste/train")
def train(key: Admin) -> dict:
    """Learn every listener's taste from the imported plays and the catalogue (it takes a while
    for a large log: `benchmarks/taste.py`)."""
    return train_taste()


@router.get("/recommendations")
def recommendations(key: Reader, user: str = Query(min_length=1, max_length=200), n: int = Query(10, ge=1, le=1000),
                    diversity: float = Query(0.0, ge=0.0, le=1.0)) -> list[dict]:
    """The `n` tracks `user` is most likely to want next, not yet played (a listener the model
    has not met: the most played); `diversity` trades accuracy for variety."""
    if user != key.acting and not key.allows("admin"):
        raise HTTPException(403, "a key reads the recommendations of its own listener only (or any, with the admin scope)")
    return recommend(user, n, diversity)


@router.get("/playlists")
def make_playlist(key: Reader, context: str = Query(min_length=1, max_length=200), minutes: float = Query(45.0, ge=1, le=600),
                  user: str | None = Query(None, min_length=1, max_length=200), freshness: float = Query(0.3, ge=0.0, le=1.0),
                  skipped: str = Query("", max_length=10_000)) -> dict:
    """A playlist for `context` (`maestro playlist`): an energy curve over its minutes, smooth
    tempo and key moves, artists spaced out; for `user`, with their taste; `skipped` (ids, comma
    separated) adapts the rest."""
    if user is not None and user != key.acting and not key.allows("admin"):
        raise HTTPException(403, "a key makes playlists for its own listener only (or any, with the admin scope)")
    return playlist(context, user, minutes, freshness, tuple(t.strip() for t in skipped.split(",") if t.strip()))
