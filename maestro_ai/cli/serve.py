"""`maestro serve` (the HTTP API, with a job worker in the same process), `maestro worker` (a
Celery worker for the scaled-out configuration) and `maestro keys create` (an API key, shown
once).

One machine: `maestro serve` alone (SQLite, files in --out, jobs made in its own process).
Several: `maestro serve --broker redis://... --db postgresql+psycopg://... --files s3://bucket/prefix`
on one, and `maestro worker` with the same three on each of the others.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.server.store import DEFAULT_RATE, SCOPES, Store

Db = Annotated[str | None, typer.Option(help="The server's database (SQLAlchemy URL; default: $MAESTRO_SERVER_DB, "
                                             "else server.db in Maestro's data folder)")]
Out = Annotated[Path, typer.Option(help="Where tracks and uploads are written (and kept, without --files)")]
Files = Annotated[str | None, typer.Option(help="Keep track and upload files in S3: s3://bucket/prefix (endpoint and "
                                                "credentials: boto3's AWS_* settings; default: $MAESTRO_FILES, else --out)")]
Broker = Annotated[str | None, typer.Option(help="Queue jobs for `maestro worker`s on this Redis broker: redis://host:6379/0 "
                                                 "(default: $MAESTRO_BROKER, else jobs are made in this process)")]


def _files(files: str | None, out: Path):
    from maestro_ai.server.s3 import file_store

    return file_store(files or os.environ.get("MAESTRO_FILES") or None, out)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every interface)")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
        out: Out = Path("out/server"), db: Db = None, files: Files = None, broker: Broker = None,
    ) -> None:
        """Serve the HTTP API (/v1, docs at /docs) and make the songs it is asked for."""
        import uvicorn

        from maestro_ai.server.app import create_app

        broker = broker or os.environ.get("MAESTRO_BROKER") or None
        dispatch = None
        if broker:  # Celery is loaded only for a server that queues on a broker
            from maestro_ai.server.queue import dispatcher
            dispatch = dispatcher(broker)
        store = _files(files, out)
        app_ = create_app(Store(db), out, files=store, dispatch=dispatch)
        jobs = f"jobs queued on {broker}" if broker else "jobs made here"
        typer.echo(f"Maestro API on http://{host}:{port}/v1 (docs at /docs); files in {store.describe()}; {jobs}")
        uvicorn.run(app_, host=host, port=port, log_level="warning", access_log=False)  # warnings and errors only

    @app.command("worker")
    def worker_command(out: Out = Path("out/server"), db: Db = None, files: Files = None, broker: Broker = None) -> None:
        """Make the jobs `maestro serve --broker` queues, one at a time, until stopped (Ctrl-C).
        Give it the server's database, files and broker."""
        from maestro_ai.server.queue import run_worker

        broker = broker or os.environ.get("MAESTRO_BROKER")
        if not broker:
            raise typer.BadParameter("a worker needs the broker its server queues jobs on: --broker redis://host:6379/0")
        store = _files(files, out)
        typer.echo(f"Maestro worker on {broker}; files in {store.describe()}")
        run_worker(broker, Store(db), store, out)

    keys = typer.Typer(no_args_is_help=True, help="API keys for `maestro serve`.")
    app.add_typer(keys, name="keys")

    @keys.command("create")
    def create_command(
        name: Annotated[str, typer.Option(help="Who or what uses the key")],
        scope: Annotated[list[str], typer.Option(help=f"What it may do: {', '.join(SCOPES)}; repeat for more")] = None,
        rate: Annotated[float, typer.Option(help="Requests a second, in bursts of twice that (0: no limit)")] = DEFAULT_RATE,
        artist: Annotated[str | None, typer.Option("--as", help="The artist it acts as in the rights registry "
                                                                 "(default: its name)")] = None,
        db: Db = None,
    ) -> None:
        """Make a key; its secret is printed once (only its SHA-256 is kept)."""
        key, secret = Store(db).create_key(name, scope or ["read"], rate, artist=artist)
        typer.echo(f"key {key.id} ({key.name}, acting as {key.acting}; {key.scopes}; {key.rate:g} requests a second): {secret}")
