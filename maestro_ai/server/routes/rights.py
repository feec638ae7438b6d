"""The consent and rights registry over HTTP, acting as the key's artist (`maestro keys create
--as ARTIST`; by default the key's name), as `maestro rights ...` acts as `--as`:

    GET  /v1/rights                      artists, works with their shares, grants (`rights list`)
    POST /v1/rights/artists              {"name": "Ada"}
    POST /v1/rights/works                {"upload": 3} or {"track": 5, "file": "mix.wav"}; title, owner, shares {"Ada": 60, "Bob": 40}
    POST /v1/rights/grants               {"work": 1, "to": "Bob", "scope": "remix", "territory": "world", "expires": "2027-12-31",
                                          "keeps": 30}  (keeps: the percent of what the remix earns the owners keep)
    POST /v1/rights/grants/{id}/revoke
    GET  /v1/rights/check?work=1&artist=Bob&scope=remix[&territory=FR]
    GET  /v1/ledger                      the custody ledger, checked (admin keys)

Only a work's owner registers and grants it, only a grant's grantor revokes it (403 otherwise);
grants and revocations go into the custody ledger.
"""
# (no `from __future__ import annotations`: FastAPI reads the dependencies from live annotations)
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.exceptions import HTTPException

from maestro_ai.core.errors import InvalidRequest, NotFound
from maestro_ai.production.clearance import log_consent, register_work
from maestro_ai.provenance.identity import trust_anchors
from maestro_ai.provenance.ledger import default_ledger
from maestro_ai.provenance.ledger import verify as verify_ledger
from maestro_ai.rights.registry import WORLD, Registry, existing_registry, iso_date, percent_points
from maestro_ai.server.context import MAX_ID, Admin, Creator, Ctx, Id, Reader, body_id, owned

router = APIRouter(prefix="/v1", tags=["rights"])


TEXTS = {"name", "title", "owner", "file", "to", "scope", "territory", "expires"}  # fields that hold text
IDS = {"upload", "track", "work"}  # fields that hold a record's id


def _fields(request: dict, allowed: set[str], required: set[str]) -> dict:
    """`request` with only `allowed` fields, the `required` ones there, each of its type."""
    if unknown := sorted(set(request) - allowed):
        raise InvalidRequest(f"unknown field(s) {', '.join(unknown)}; valid: {', '.join(sorted(allowed))}")
    if missing := sorted(required - set(request)):
        raise InvalidRequest(f"missing field(s): {', '.join(missing)}")
    for name, value in request.items():
        if name in TEXTS and not (isinstance(value, str) and len(value) <= 300):
            raise InvalidRequest(f"{name} is text (at most 300 characters), not {type(value).__name__}")
        if name in IDS:
            body_id(value, name)
    return request


def _shares(shares: object) -> dict[str, int] | None:
    """{"Ada": 60, "Bob": 40} (percent) as basis points."""
    if shares is None:
        return None
    if not isinstance(shares, dict) or not shares:
        raise InvalidRequest('shares are percent by artist, like {"Ada": 60, "Bob": 40}')
    return {str(name).strip(): percent_points(percent) for name, percent in shares.items()}


@router.get("/rights")
def read_rights(key: Reader) -> dict:
    """Artists, works with their shares, and grants (empty when this server has no registry)."""
    registry = existing_registry()
    return registry.listing() if registry is not None else {"artists": [], "works": [], "grants": []}


@router.post("/rights/artists", status_code=201)
def add_artist(request: dict, key: Creator) -> dict:
    artist = Registry().add_artist(_fields(request, {"name"}, {"name"})["name"])
    return {"id": artist.id, "name": artist.name}


@router.post("/rights/works", status_code=201)
def add_work(request: dict, key: Creator, ctx: Ctx) -> dict:
    """Register a work from one of the key's uploads or tracks, owned by the key's artist (or, if
    they say so, by `owner`, which only that owner's key may do): recognised from then on by its
    SHA-256, its Content Credentials and its watermark."""
    _fields(request, {"upload", "track", "file", "title", "owner", "shares"}, set())
    if ("upload" in request) == ("track" in request):
        raise InvalidRequest('name the work\'s file: {"upload": 3} or {"track": 5, "file": "mix.wav"}')
    if "upload" in request:
        upload = owned(ctx.store.upload(request["upload"]), key, "upload", request["upload"])
        location, name, title = upload.folder, upload.source, upload.name.rsplit(".", 1)[0]
    else:
        track = owned(ctx.store.track(request["track"]), key, "track", request["track"])
        location, name, title = track.folder, request.get("file", "mix.wav"), track.title
        if name not in ctx.files.names(location):
            raise HTTPException(404, f"track {track.id} has no file {name!r}")
    with ctx.files.local_file(location, name) as path:
        work = register_work(Registry(), path, title=request.get("title") or title, owner=request.get("owner") or key.acting,
                             acting=key.acting, shares=_shares(request.get("shares")))
    return {"id": work.id, "title": work.title, "owner": request.get("owner") or key.acting,
            "marks": [{"kind": m.kind, "value": m.value} for m in work.marks]}


@router.post("/rights/grants", status_code=201)
def add_grant(request: dict, key: Creator) -> dict:
    """Consent, as the work's owner, for another artist to use it."""
    _fields(request, {"work", "to", "scope", "territory", "expires", "keeps"}, {"work", "to", "scope"})
    made = Registry().grant(request["work"], to=request["to"], scope=request["scope"], acting=key.acting,
                            territory=request.get("territory", WORLD), expires=iso_date(request.get("expires")),
                            keeps_points=percent_points(request.get("keeps")))
    log_consent("consent-granted", made.work_id, {"grant": made.id, "to": request["to"], "by": key.acting,
                                                  "scope": made.scope, "territory": made.territory,
                                                  "expires": request.get("expires"), "keeps_points": made.keeps_points})
    return {"id": made.id, "work": made.work_id, "to": request["to"], "scope": made.scope, "territory": made.territory,
            "expires": made.expires.isoformat() if made.expires else None, "keeps_points": made.keeps_points}


@router.post("/rights/grants/{grant_id}/revoke")
def revoke_grant(grant_id: Id, key: Creator) -> dict:
    revoked = Registry().revoke(grant_id, acting=key.acting)
    log_consent("consent-revoked", revoked.work_id, {"grant": grant_id, "by": key.acting})
    return {"id": grant_id, "revoked": revoked.revoked.isoformat()}


@router.get("/rights/check")
def check_use(work: Annotated[int, Query(ge=1, le=MAX_ID)], artist: str, scope: str, key: Reader, territory: str = WORLD) -> dict:
    """Whether `artist` may use `work` for `scope` in `territory` today, and the grant that allows it."""
    registry = existing_registry()
    if registry is None:
        raise NotFound(f"no work {work} in the registry")
    answer = registry.permission(work, artist, scope, territory)
    return {"allowed": answer.allowed, "grant": answer.grant_id, "reason": answer.reason}


@router.get("/ledger")
def read_ledger(key: Admin) -> dict:
    """The custody ledger checked as `maestro ledger verify` checks it (admin keys only)."""
    if not default_ledger().exists():
        raise HTTPException(404, "this server's ledger is empty: nothing has been sealed yet")
    return verify_ledger(default_ledger(), trust_anchors([]))
