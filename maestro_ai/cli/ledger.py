"""`maestro ledger verify|add`: the custody ledger, checked entry by entry, and events added by hand."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.provenance.identity import local_identity, trust_anchors
from maestro_ai.provenance.ledger import EVENTS, append, default_ledger, verify

BROKEN = 1  # the ledger was read and something in it does not hold


def register(app: typer.Typer) -> None:
    group = typer.Typer(no_args_is_help=True, help="The custody ledger: what happened to each work, signed and chained.")
    app.add_typer(group, name="ledger")

    @group.command("verify")
    def verify_command(
        file: Annotated[Path | None, typer.Option(help="The ledger (default: the one in Maestro's data folder)")] = None,
        trust: Annotated[list[Path] | None, typer.Option(help="Also trust this CA certificate (PEM); repeat for more")] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
    ) -> None:
        """Check every entry's signature and its place in the chain; exit status 1 when one fails."""
        path = file or default_ledger()
        report = verify(path, trust_anchors(trust or []))
        typer.echo(str(path))
        if json_out:
            typer.echo(json.dumps(report, indent=2))
        elif report["ok"]:
            typer.echo(f"{report['entries']} entries, all signed and in order; head {report['head']}")
        else:
            typer.echo(f"{report['entries']} entries; {len(report['problems'])} problem(s):")
            for problem in report["problems"]:
                typer.echo(f"  {problem}")
        if not report["ok"]:
            raise typer.Exit(BROKEN)

    @group.command("add")
    def add_command(
        event: Annotated[str, typer.Argument(help=f"What happened: {', '.join(EVENTS)}")],
        subject: Annotated[str, typer.Argument(help="The work it happened to (a track id, a file, a title)")],
        note: Annotated[str | None, typer.Option(help="A line of detail")] = None,
        file: Annotated[Path | None, typer.Option(help="The ledger (default: the one in Maestro's data folder)")] = None,
    ) -> None:
        """Sign and append one event (the local identity signs)."""
        entry = append(file or default_ledger(), event, subject, {"note": note} if note else {}, local_identity())
        typer.echo(f"entry {entry['index']}: {event} {subject}")
