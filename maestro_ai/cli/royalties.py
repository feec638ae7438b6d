"""`maestro royalties run`: a period's statements from a play log, a revenue pool and a catalogue
of shares, under a royalty model (royalties.engine)."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.rights.registry import existing_registry
from maestro_ai.royalties.catalog import Catalog, read_catalog, registry_rows
from maestro_ai.royalties.engine import MIN_STREAMS, MODELS, Settings, run
from maestro_ai.royalties.statements import check_open, write_statements


def _registry_catalog() -> Catalog:
    registry = existing_registry()
    rows = registry_rows(registry.listing()["works"]) if registry is not None else []
    if not rows:
        raise InvalidRequest("no catalogue: give --catalog FILE, or register works first (maestro rights work add)")
    return Catalog.from_rows(rows)


def register(app: typer.Typer) -> None:
    group = typer.Typer(no_args_is_help=True, help="Royalty accounting: statements per rights holder.")
    app.add_typer(group, name="royalties")

    @group.command("run")
    def run_command(
        period: Annotated[str, typer.Option(help="The month to pay: YYYY-MM")],
        plays: Annotated[Path, typer.Option(help="The play log (CSV or Parquet: user_id, track_id, played_at, ms_played, tier, country)")],
        pool: Annotated[Path, typer.Option(help="The revenue pools (CSV: period, country, tier, amount in minor units, currency)")],
        out: Annotated[Path, typer.Option(help="The folder to write (new: a period's statements never change)")],
        catalog: Annotated[Path | None, typer.Option(help="The shares (CSV: track_id, holder_id, share, parent_track_id for "
                                                          "remixes; default: the rights registry's works, by work id)")] = None,
        model: Annotated[str, typer.Option(help=f"How a pool is shared: {', '.join(MODELS)}")] = "pro-rata",
        min_streams: Annotated[int, typer.Option(help="Pro-rata: the eligible streams a track needs to earn (Spotify 2024; 0: none)")]
            = MIN_STREAMS,
        ai_weight: Annotated[str, typer.Option(help="What a stream of an AI-generated work weighs against another's (0-1)")] = "1",
        ai_pool: Annotated[str | None, typer.Option(help="Pay AI-generated works from this share of each pool only (0-1)")] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON")] = False,
    ) -> None:
        """Pay a period: statements per rights holder (CSV and JSON), the plays excluded and why,
        and a summary, in a new folder."""
        settings = Settings(model=model, min_streams=min_streams, ai_weight=ai_weight, ai_pool=ai_pool).check()
        check_open(out, period)
        works = read_catalog(catalog) if catalog is not None else _registry_catalog()
        with tempfile.TemporaryDirectory(prefix="maestro-royalties-") as scratch:
            result = run(plays, pool, works, period, settings, Path(scratch))
            write_statements(result, out)
        summary = result.summary
        if json_out:
            typer.echo(json.dumps(summary, indent=2))
            return
        typer.echo(f"{period} ({model}): {summary['eligible_plays']} of {summary['plays']} plays paid, "
                   f"{summary['excluded_plays']} excluded; statements in {out}")
        for p in summary["pools"]:
            left = f", {p['unallocated']} unallocated" if p["unallocated"] else ""
            typer.echo(f"  {p['country']} {p['tier']}: {p['paid']} of {p['pool']} {p['currency']} minor units paid{left}")
        if ai := summary.get("ai"):
            typer.echo(f"  per stream (minor units): human works {ai['human']['per_stream']}, AI works {ai['ai']['per_stream']} "
                       f"(human works if AI were paid alike: {ai['human_per_stream_if_ai_paid_alike']})")
