"""The listening side over HTTP, calling what `maestro plays import`, `maestro taste train` and
`maestro recommend` call:

    POST /v1/plays?name=plays.csv        the request's body is a play log, CSV or Parquet (admin): its counts
    POST /v1/taste/train                 learn every listener's taste from the imported plays (admin)
    GET  /v1/recommendations?user=u42&n=10&diversity=0.3
                                         what a listener will want next (admin, or a key asking for its own artist)
    GET  /v1/playlists?context=rainy%20evening&minutes=45&user=u42&freshness=0.3&skipped=7,9
                                         a playlist for a context (a listener's: as for recommendations)
    GET  /v1/reserved/fans/{artist}?n=20 an artist's superfans (the artist's key, or admin)
    POST /v1/reserved/concerts           {"artist", "venue", "date", "capacity", "share", "hold_hours"} (the artist's key, or admin)
    GET  /v1/reserved/concerts/{id}      the concert and its holds (the artist's key, or admin)
    POST /v1/reserved/concerts/{id}/allocate | /expire   offer the held seats / pass on the unclaimed (the artist's key, or admin)
    POST /v1/reserved/concerts/{id}/claim                the key's listener takes the seat held for them
    POST /v1/reserved/concerts/{id}/buy                  a released seat, for the key's listener
    PUT  /v1/reserved/contact            {"email"}: where the key's listener's notices go
    POST /v1/reserved/notify             send the notices owed by e-mail ($MAESTRO_SMTP_URL; admin)
    GET  /v1/artists/{artist}/dashboard  their sound against their genres', and their audience (the artist's key, or admin)
    POST /v1/dj                          {"context", "minutes", "requests", "request_uploads", "user", "voice"}, or
                                         {"playlist": [ids], "voice"}: a DJ mix, made by a job like a track
                                         (its track.json says what played; mix.wav)
"""
import shutil  # (no `from __future__ import annotations`: FastAPI reads the dependencies from live annotations)
import tempfile
from pathlib import Path

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from maestro_ai.catalog.notices import deliver
from maestro_ai.catalog.plays import import_plays
from maestro_ai.catalog.recommend import dashboard, fans_of, playlist, recommend, train_taste
from maestro_ai.catalog.reserved import Reserved
from maestro_ai.server.context import Admin, Creator, Ctx, Id, Reader
from maestro_ai.server.jobs import checked_dj
from maestro_ai.server.routes.tracks import queued
from maestro_ai.server.routes.uploads import clean_name, received
from maestro_ai.server.store import ApiKey

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


def _as_listener(key: ApiKey, user: str, does: str) -> None:
    """A key acts for its own listener (its artist name) only, unless it is an admin key."""
    if user != key.acting and not key.allows("admin"):
        raise HTTPException(403, f"a key {does} its own listener only (or any, with the admin scope)")


@router.get("/recommendations")
def recommendations(key: Reader, user: str = Query(min_length=1, max_length=200), n: int = Query(10, ge=1, le=1000),
                    diversity: float = Query(0.0, ge=0.0, le=1.0)) -> list[dict]:
    """The `n` tracks `user` is most likely to want next, not yet played (a listener the model
    has not met: the most played); `diversity` trades accuracy for variety."""
    _as_listener(key, user, "reads the recommendations of")
    return recommend(user, n, diversity)


@router.get("/playlists")
def make_playlist(key: Reader, context: str = Query(min_length=1, max_length=200), minutes: float = Query(45.0, ge=1, le=600),
                  user: str | None = Query(None, min_length=1, max_length=200), freshness: float = Query(0.3, ge=0.0, le=1.0),
                  skipped: str = Query("", max_length=10_000)) -> dict:
    """A playlist for `context` (`maestro playlist`): an energy curve over its minutes, smooth
    tempo and key moves, artists spaced out; for `user`, with their taste; `skipped` (ids, comma
    separated) adapts the rest."""
    if user is not None:
        _as_listener(key, user, "makes playlists for")
    return playlist(context, user, minutes, freshness, tuple(t.strip() for t in skipped.split(",") if t.strip()))


def _as_artist(key: ApiKey, artist: str) -> None:
    if key.acting != artist and not key.allows("admin"):
        raise HTTPException(403, f"only {artist!r}'s own key (or an admin key) manages {artist!r}'s fans and concerts")


@router.get("/reserved/fans/{artist}")
def reserved_fans(artist: str, key: Reader, n: int = Query(20, ge=1, le=10_000)) -> list[dict]:
    """The artist's listeners by superfan score (`maestro reserved fans`)."""
    _as_artist(key, artist)
    return fans_of(artist)[:n]


@router.post("/reserved/concerts", status_code=201)
def announce_concert(request: dict, key: Creator) -> dict:
    """Announce a concert: {"artist", "venue", "date": "2027-03-01", "capacity", "share": 0.1, "hold_hours": 48}."""
    fields = {"artist", "venue", "date", "capacity", "share", "hold_hours"}
    if unknown := sorted(set(request) - fields):
        raise HTTPException(400, f"unknown field(s) {', '.join(unknown)}; valid: {', '.join(sorted(fields))}")
    if missing := sorted({"artist", "venue", "date", "capacity"} - set(request)):
        raise HTTPException(400, f"a concert needs {', '.join(missing)}")
    _as_artist(key, request["artist"])
    return Reserved().announce(request["artist"], request["venue"], request["date"], request["capacity"],
                               request.get("share", 0.1), request.get("hold_hours", 48.0)).to_dict()


def _concert(concert_id: int, key: ApiKey):
    book = Reserved()
    concert = book.concert(concert_id)
    _as_artist(key, concert.artist)
    return book, concert


@router.get("/reserved/concerts/{concert_id}")
def read_concert(concert_id: Id, key: Reader) -> dict:
    book, concert = _concert(concert_id, key)
    return concert.to_dict() | {"holds": [h.to_dict() for h in book.holds(concert_id)]}


@router.post("/reserved/concerts/{concert_id}/allocate")
def allocate_holds(concert_id: Id, key: Creator) -> list[dict]:
    book, concert = _concert(concert_id, key)
    return [h.to_dict() for h in book.allocate(concert_id, fans_of(concert.artist))]


@router.post("/reserved/concerts/{concert_id}/expire")
def expire_holds(concert_id: Id, key: Creator) -> dict:
    book, concert = _concert(concert_id, key)
    return book.expire(concert_id, fans_of(concert.artist))


@router.post("/reserved/concerts/{concert_id}/claim")
def claim_hold(concert_id: Id, key: Creator) -> dict:
    """The key's listener (its artist name) takes the seat held for them: 409 when it was taken or has expired."""
    return Reserved().claim(concert_id, key.acting).to_dict()


@router.post("/reserved/concerts/{concert_id}/buy")
def buy_seat(concert_id: Id, key: Creator) -> dict:
    return {"buyer": key.acting, "left": Reserved().buy(concert_id, key.acting)}


@router.put("/reserved/contact")
def set_contact(request: dict, key: Creator) -> dict:
    """Where the key's listener (its artist name) is told of seats held for them: {"email": "ann@example.org"}."""
    if set(request) != {"email"}:
        raise HTTPException(400, 'a contact is {"email": "ann@example.org"}')
    return Reserved().set_contact(key.acting or "", request["email"])


@router.post("/reserved/notify")
def send_notices(key: Admin) -> dict:
    """Send every notice owed (a seat held for a fan) by e-mail, through the server's $MAESTRO_SMTP_URL."""
    return deliver(Reserved())


@router.get("/artists/{artist}/dashboard")
def artist_dashboard(artist: str, key: Reader) -> dict:
    """The artist's sound against their genres' and their audience (`maestro dashboard`)."""
    _as_artist(key, artist)
    return dashboard(artist)


@router.post("/dj", status_code=202)
def create_dj_mix(request: dict, key: Creator, ctx: Ctx) -> dict:
    """Queue a DJ mix of the instance's catalogue (`maestro dj`): {"context": "late night",
    "minutes": 20 (at most 30), "requests": ["something calmer"], "request_uploads": [the ids of
    spoken requests uploaded as audio], "user": the listener whose taste it follows (the key's own
    listener, or any with the admin scope; none: no taste), "voice": true}. It plays the key's own
    tracks and the registry's works (every track, for an admin key). Or {"playlist": [track ids
    in order, as GET /v1/playlists gives them], "voice": true}: that playlist mixed as it is.
    The job's track is the mix: GET /v1/tracks/{id} says what played and what each request did,
    /files/mix.wav is the audio."""
    if isinstance(request, dict) and isinstance(request.get("user"), str):
        _as_listener(key, request["user"], "makes DJ mixes for")
    return queued(ctx, ctx.store.enqueue(key.id, {"dj": checked_dj(request, key, ctx.store)}))
