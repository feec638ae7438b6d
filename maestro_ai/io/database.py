"""Opening one of Maestro's databases (the rights registry, the server's store) by SQLAlchemy URL:
the folder of an SQLite file made, the tables made, a URL that cannot be opened a clear error.

>>> from sqlalchemy.orm import DeclarativeBase
>>> class Base(DeclarativeBase): pass
>>> open_database("sqlite://", Base.metadata, "the test database").url.drivername
'sqlite'
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import StaticPool

from maestro_ai.core.errors import InvalidRequest


def open_database(url: str, metadata: MetaData, what: str, threads: bool = False) -> Engine:
    """An engine on `url` with `metadata`'s tables in it; `threads`: SQLite connections may be
    used by other threads than the one that opened them (a server's workers)."""
    sqlite = url.startswith("sqlite")
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    try:
        options = {"connect_args": {"check_same_thread": False}} if sqlite and threads else {}
        if sqlite and threads and url in ("sqlite://", "sqlite:///:memory:"):
            options["poolclass"] = StaticPool  # one in-memory database shared by the threads, not one each
        engine = create_engine(url, **options)
        metadata.create_all(engine)
    except (OperationalError, ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise InvalidRequest(f"cannot open {what} at {url!r}: {str(exc).splitlines()[0]}") from None
    return engine
