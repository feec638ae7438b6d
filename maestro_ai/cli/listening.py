"""The listening side's commands: `maestro plays import FILE`, `maestro taste train` and
`maestro recommend --user U` (catalog/)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.catalog.plays import import_plays
from maestro_ai.catalog.recommend import recommend, train_taste


def register(app: typer.Typer) -> None:
    plays = typer.Typer(no_args_is_help=True, help="The play log the taste model and Reserved learn from.")
    app.add_typer(plays, name="plays")
    taste = typer.Typer(no_args_is_help=True, help="The taste model: what each listener will want next.")
    app.add_typer(taste, name="taste")

    @plays.command("import")
    def import_command(
        file: Annotated[Path, typer.Argument(help="A play log, CSV or Parquet: user_id, track_id, played_at (ISO 8601 UTC), "
                                                  "ms_played, tier, country, and optionally source (search, library, ...)")],
    ) -> None:
        """Check a play log and keep it in Maestro's play store (each log once)."""
        found = import_plays(file)
        typer.echo(f"imported {found['plays']:,} plays by {found['listeners']:,} listeners of {found['tracks']:,} tracks")

    @taste.command("train")
    def train_command(
        json_out: Annotated[bool, typer.Option("--json", help="Print what it learnt from as JSON")] = False,
    ) -> None:
        """Learn every listener's taste from the imported plays and what the catalogue's tracks are
        like (the tracks made or registered here)."""
        found = train_taste()
        if json_out:
            typer.echo(json.dumps(found, indent=2))
            return
        typer.echo(f"learnt from {found['plays']:,} plays by {found['listeners']:,} listeners, {found['tracks']:,} tracks "
                   f"({found['tracks_never_played']:,} never played, placed by how they sound) in {found['seconds']:g} s"
                   + (f"; {found['plays_of_unknown_tracks']:,} plays of tracks not in the catalogue left out"
                      if found["plays_of_unknown_tracks"] else ""))

    @app.command("recommend")
    def recommend_command(
        user: Annotated[str, typer.Option(help="The listener, as the play log names them")],
        n: Annotated[int, typer.Option("-n", help="How many tracks")] = 10,
        diversity: Annotated[float, typer.Option(help="0 (most accurate) to 1 (most varied): trades accuracy for variety")] = 0.0,
        json_out: Annotated[bool, typer.Option("--json", help="Print the list as JSON")] = False,
    ) -> None:
        """The tracks a listener is most likely to want next, that they have not played yet."""
        picks = recommend(user, n, diversity)
        if json_out:
            typer.echo(json.dumps(picks, indent=2, ensure_ascii=False))
            return
        for rank, pick in enumerate(picks, start=1):
            about = ", ".join(x for x in (pick.get("artist"), pick.get("genre"), "AI" if pick.get("ai") else "") if x)
            typer.echo(f"{rank:2}. {pick.get('title', pick['id'])} [{pick['id']}]" + (f" ({about})" if about else ""))
