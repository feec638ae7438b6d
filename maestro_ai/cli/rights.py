"""`maestro rights ...`: the consent and rights registry from the shell. Every command acts as an
artist (`--as`, default the local user's login name) on a database (`--db`, default the SQLite
file in Maestro's data folder, or $MAESTRO_RIGHTS_DB; any SQLAlchemy URL)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.production.clearance import RECOGNISED_BY, acting_artist, log_consent, recognise, register_work
from maestro_ai.rights.registry import SCOPES, Registry, iso_date, percent_points

NOT_ALLOWED = 1
Db = Annotated[str | None, typer.Option("--db", help="Registry database URL (default: Maestro's SQLite file)")]
As = Annotated[str | None, typer.Option("--as", help="The artist acting (default: your login name)")]
WorkId = Annotated[int, typer.Argument(help="The work's id")]
Scope = Annotated[str, typer.Option(help=f"What for: {', '.join(SCOPES)}")]


def _registry(db: str | None) -> Registry:
    return Registry(db)


def parse_shares(items: list[str]) -> dict[str, int]:
    """'Ada=60' (percent) pairs as basis points.

    >>> parse_shares(["Ada=62.5", "Bob=37.5"])
    {'Ada': 6250, 'Bob': 3750}
    """
    shares = {}
    for item in items:
        name, _, percent = item.rpartition("=")
        try:
            shares[name.strip()] = round(float(percent) * 100)
        except ValueError:
            raise InvalidRequest(f"a share is NAME=PERCENT, like 'Ada=60', not {item!r:.40}") from None
        if not name.strip():
            raise InvalidRequest(f"a share is NAME=PERCENT, like 'Ada=60', not {item!r:.40}")
    return shares


def _a_file(path: Path) -> None:
    if not path.is_file():
        raise InvalidRequest(f"no file {str(path)!r}")


def register(app: typer.Typer) -> None:
    group = typer.Typer(no_args_is_help=True, help="The consent and rights registry: artists, works, grants.")
    artists = typer.Typer(no_args_is_help=True, help="Artists in the registry.")
    works = typer.Typer(no_args_is_help=True, help="Works in the registry.")
    app.add_typer(group, name="rights")
    group.add_typer(artists, name="artist")
    group.add_typer(works, name="work")

    @artists.command("add")
    def artist_add(name: Annotated[str, typer.Argument(help="The artist's name")], db: Db = None) -> None:
        """Register an artist."""
        artist = _registry(db).add_artist(name)
        typer.echo(f"artist {artist.id}: {artist.name}")

    @works.command("add")
    def work_add(
        path: Annotated[Path, typer.Argument(help="The work's file (its SHA-256 is kept)")],
        owner: Annotated[str, typer.Option(help="The artist who owns it")],
        title: Annotated[str | None, typer.Option(help="Its title (default: the file's name)")] = None,
        share: Annotated[list[str] | None, typer.Option(help="NAME=PERCENT of its ownership; repeat (default: the owner's whole)")] = None,
        acting: As = None, db: Db = None,
    ) -> None:
        """Register a work, by its owner, with what its copies are recognised by: the file's SHA-256,
        its Content Credentials and the watermark in its audio."""
        _a_file(path)
        work = register_work(_registry(db), path, title=title, owner=owner, acting=acting_artist(acting),
                             shares=parse_shares(share) if share else None)
        marks = ", ".join(f"{m.kind} {m.value}" for m in work.marks)
        typer.echo(f"work {work.id}: {work.title} (owner {owner}); recognised by its SHA-256" + (f", {marks}" if marks else ""))

    @works.command("match")
    def work_match(
        path: Annotated[Path, typer.Argument(help="A file to recognise (any copy: an MP3 of a stem, an excerpt)")],
        db: Db = None, json_out: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    ) -> None:
        """Which registered work a file is, and by what it was recognised; exit status 1 when none."""
        _a_file(path)
        found, match = recognise(path, _registry(db))
        if json_out:
            typer.echo(json.dumps({**found.to_dict(), "work": match.__dict__ if match else None}, indent=2))
        else:
            typer.echo(f"work {match.work_id}: {match.title} (owner {match.owner}), recognised by its "
                       f"{RECOGNISED_BY[match.by]} {match.value}" if match else f"{path.name}: not a registered work")
        if match is None:
            raise typer.Exit(NOT_ALLOWED)

    @group.command("grant")
    def grant(
        work: WorkId,
        to: Annotated[str, typer.Option(help="The artist who may use it")],
        scope: Scope,
        territory: Annotated[str, typer.Option(help="Where: 'world' or a country code")] = "world",
        expires: Annotated[str | None, typer.Option(help="Last day it holds (YYYY-MM-DD)")] = None,
        keeps: Annotated[float | None, typer.Option(help="Of what a remix or cover earns, the percent the work's "
                                                         "owners keep (its split sheet gives them that)")] = None,
        acting: As = None, db: Db = None,
    ) -> None:
        """Give consent to use a work, as its owner."""
        me = acting_artist(acting)
        made = _registry(db).grant(work, to=to, scope=scope, acting=me, territory=territory, expires=iso_date(expires),
                                   keeps_points=percent_points(keeps))
        log_consent("consent-granted", work, {"grant": made.id, "to": to, "by": me, "scope": scope,
                                              "territory": made.territory, "expires": expires, "keeps_points": made.keeps_points})
        typer.echo(f"grant {made.id}: {to} may use work {work} for {scope} in {made.territory}"
                   + (f" until {made.expires}" if made.expires else "")
                   + (f"; its owners keep {made.keeps_points / 100:g} % of what it earns" if made.keeps_points is not None else ""))

    @group.command("revoke")
    def revoke(grant_id: Annotated[int, typer.Argument(help="The grant's id")], acting: As = None, db: Db = None) -> None:
        """Take a grant back (its record stays, marked revoked)."""
        me = acting_artist(acting)
        revoked = _registry(db).revoke(grant_id, acting=me)
        log_consent("consent-revoked", revoked.work_id, {"grant": grant_id, "by": me})
        typer.echo(f"grant {grant_id} revoked")

    @group.command("check")
    def check(
        work: WorkId,
        artist: Annotated[str, typer.Option(help="Who wants to use it")],
        scope: Scope,
        territory: Annotated[str, typer.Option(help="Where")] = "world",
        db: Db = None,
    ) -> None:
        """Whether an artist may use a work; exit status 1 when not."""
        answer = _registry(db).permission(work, artist, scope, territory)
        typer.echo(("allowed: " if answer.allowed else "refused: ") + answer.reason)
        if not answer.allowed:
            raise typer.Exit(NOT_ALLOWED)

    @group.command("list")
    def listing(db: Db = None, json_out: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
        """Every artist, work and grant."""
        data = _registry(db).listing()
        if json_out:
            typer.echo(json.dumps(data, indent=2))
            return
        typer.echo("artists: " + (", ".join(data["artists"]) or "none"))
        for w in data["works"]:
            shares = ", ".join(f"{name} {points / 100:g} %" for name, points in w["shares"].items())
            typer.echo(f"work {w['id']}: {w['title']} (owner {w['owner']}; {shares})")
        for g in data["grants"]:
            state = f"revoked {g['revoked'][:10]}" if g["revoked"] else (f"until {g['expires']}" if g["expires"] else "open")
            typer.echo(f"grant {g['id']}: work {g['work']} -> {g['to']}, {g['scope']}, {g['territory']}, {state}")
