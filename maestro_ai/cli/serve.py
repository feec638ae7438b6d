"""`maestro serve` (the HTTP API, with a job worker in the same process) and `maestro keys
create` (an API key for it, shown once)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.server.store import DEFAULT_RATE, SCOPES, Store


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every interface)")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
        out: Annotated[Path, typer.Option(help="Where the server writes the tracks it makes")] = Path("out/server"),
        db: Annotated[str | None, typer.Option(help="The server's database (SQLAlchemy URL; default: "
                                                      "$MAESTRO_SERVER_DB, else server.db in Maestro's data folder)")] = None,
    ) -> None:
        """Serve the HTTP API (/v1, docs at /docs) and make the songs it is asked for."""
        import uvicorn

        from maestro_ai.server.app import create_app

        app_ = create_app(Store(db), out)
        typer.echo(f"Maestro API on http://{host}:{port}/v1 (docs at /docs); tracks in {out}")
        uvicorn.run(app_, host=host, port=port, log_level="warning")

    keys = typer.Typer(no_args_is_help=True, help="API keys for `maestro serve`.")
    app.add_typer(keys, name="keys")

    @keys.command("create")
    def create_command(
        name: Annotated[str, typer.Option(help="Who or what uses the key")],
        scope: Annotated[list[str], typer.Option(help=f"What it may do: {', '.join(SCOPES)}; repeat for more")] = None,
        rate: Annotated[float, typer.Option(help="Requests a second, in bursts of twice that (0: no limit)")] = DEFAULT_RATE,
        artist: Annotated[str | None, typer.Option("--as", help="The artist it acts as in the rights registry "
                                                                 "(default: its name)")] = None,
        db: Annotated[str | None, typer.Option(help="The server's database (default as for `maestro serve`)")] = None,
    ) -> None:
        """Make a key; its secret is printed once (only its SHA-256 is kept)."""
        key, secret = Store(db).create_key(name, scope or ["read"], rate, artist=artist)
        typer.echo(f"key {key.id} ({key.name}, acting as {key.acting}; {key.scopes}; {key.rate:g} requests a second): {secret}")
        typer.echo("keep it now: it is not shown again")
