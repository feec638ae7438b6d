"""The studio web page at `/` (static files in server/studio: no build step, no framework), and
what it needs beyond the rest of the API:

    GET /                              the page
    GET /dashboard                     the artist dashboard's page (GET /v1/artists/{artist}/dashboard, drawn)
    GET /v1/options                    the names a request may use: genres, moods, keys, qualities,
                                       formats, variation kinds, master targets, modes and tones
    GET /v1/tracks/{id}/piano-roll     the track's song.mid as notes in seconds, by part
"""
from pathlib import Path  # (no `from __future__ import annotations`: FastAPI reads the dependencies from live annotations)

from fastapi import APIRouter
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse

from maestro_ai.core.instrument import QUALITIES
from maestro_ai.core.key import Key
from maestro_ai.core.request import FORMATS
from maestro_ai.io.piano_roll import piano_roll
from maestro_ai.pipeline.edits import EDITS
from maestro_ai.pipeline.remix import KINDS as REMIX_KINDS
from maestro_ai.production.mastering.settings import MODES
from maestro_ai.production.mastering.targets import targets, tone_targets
from maestro_ai.prompt.presets import all_genres, all_moods
from maestro_ai.server.context import Ctx, Id, Reader, owned

PAGE = Path(__file__).resolve().parent.parent / "studio"
# The page loads only its own script, style and the API's answers (audio and images as blob: URLs).
POLICY = ("default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; "
          "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
router = APIRouter()


@router.get("/", include_in_schema=False)
def studio_page() -> FileResponse:
    return FileResponse(PAGE / "index.html", headers={"Content-Security-Policy": POLICY, "X-Content-Type-Options": "nosniff"})


@router.get("/dashboard", include_in_schema=False)
def dashboard_page() -> FileResponse:
    return FileResponse(PAGE / "dashboard.html", headers={"Content-Security-Policy": POLICY, "X-Content-Type-Options": "nosniff"})


@router.get("/studio/{name}", include_in_schema=False)
def studio_file(name: str) -> FileResponse:
    if name not in ("studio.js", "studio.css", "dashboard.js"):
        raise HTTPException(404, f"no studio file {name!r}")
    return FileResponse(PAGE / name, headers={"X-Content-Type-Options": "nosniff"})


@router.get("/v1/options", tags=["studio"])
def options(key: Reader) -> dict:
    """The names a track, variation, remix or master request may use, with a line on each genre and mood."""
    keys = [str(Key(tonic, mode)) for mode in ("major", "minor") for tonic in range(12)]
    return {
        "genres": {name: {"tempo_range": list(g.tempo_range), "description": g.description} for name, g in all_genres().items()},
        "moods": {name: m.description for name, m in all_moods().items()},
        "keys": keys, "qualities": list(QUALITIES), "formats": list(FORMATS), "variations": sorted(EDITS), "remixes": list(REMIX_KINDS),
        "master": {"targets": {n: {"lufs": t.lufs, "true_peak": t.true_peak} for n, t in targets().items()},
                   "modes": list(MODES), "tones": sorted(tone_targets())},
    }


@router.get("/v1/tracks/{track_id}/piano-roll", tags=["tracks"])
def track_piano_roll(track_id: Id, key: Reader, ctx: Ctx) -> dict:
    """The track's song.mid as a piano roll: each part's notes as [start s, seconds, pitch, velocity]."""
    track = owned(ctx.store.track(track_id), key, "track", track_id)
    return piano_roll(ctx.files.read_bytes(track.folder, "song.mid"))
