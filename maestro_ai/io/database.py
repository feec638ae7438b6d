"""Opening one of Maestro's databases (the rights registry, the server's store) by SQLAlchemy URL:
the folder of an SQLite file made, the schema made (by its Alembic migrations where it has
them, else from its tables), a URL that cannot be opened a clear error.

>>> from sqlalchemy.orm import DeclarativeBase
>>> class Base(DeclarativeBase): pass
>>> open_database("sqlite://", Base.metadata, "the test database").url.drivername
'sqlite'
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, inspect
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import StaticPool

from maestro_ai.core.errors import InvalidRequest


@dataclass(frozen=True)
class Migrations:
    """A database's Alembic migrations: the folder of its env.py and versions/, the revision
    whose schema a database made before it had migrations holds (known by `baseline_table`), and
    the table that records its revision (one per schema: the registry and the server's store may
    share a database)."""
    folder: Path
    baseline: str
    baseline_table: str
    version_table: str


def open_database(url: str, metadata: MetaData, what: str, threads: bool = False,
                  migrations: Migrations | None = None) -> Engine:
    """An engine on `url` with `metadata`'s tables in it (brought to the last of `migrations`
    when given); `threads`: SQLite connections may be used by other threads than the one that
    opened them (a server's workers)."""
    sqlite = url.startswith("sqlite")
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    try:
        options = {"connect_args": {"check_same_thread": False}} if sqlite and threads else {}
        if sqlite and threads and url in ("sqlite://", "sqlite:///:memory:"):
            options["poolclass"] = StaticPool  # one in-memory database shared by the threads, not one each
        engine = create_engine(url, **options)
        if migrations is None:
            metadata.create_all(engine)
        else:
            migrate(engine, migrations)
    except (OperationalError, ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise InvalidRequest(f"cannot open {what} at {url!r}: {str(exc).splitlines()[0]}") from None
    return engine


def migrate(engine: Engine, migrations: Migrations, revision: str = "head") -> None:
    """Bring the database to `revision` by its migrations. A database made before it had
    migrations (its tables there, no version table) is taken to be at the baseline."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    config = Config()
    config.set_main_option("script_location", str(migrations.folder))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["version_table"] = migrations.version_table
        if MigrationContext.configure(connection, opts={"version_table": migrations.version_table}).get_current_revision() is None \
                and inspect(connection).has_table(migrations.baseline_table):
            command.stamp(config, migrations.baseline)
        command.upgrade(config, revision)
