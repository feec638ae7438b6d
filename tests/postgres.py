"""A real PostgreSQL server for the tests of the registry and the server's store: Debian's
postgresql, started from a fresh data folder on a Unix socket for the session (as the `postgres`
user when the tests run as root), and stopped after. Without the server's programs the tests that need it are skipped."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest


def _program(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@pytest.fixture(scope="session")
def postgres_url():
    initdb, pg_ctl = _program("initdb"), _program("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL's server (Debian's postgresql) is not installed")
    folder = Path(tempfile.mkdtemp(prefix="maestro-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as postgres
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL as another user")
        shutil.chown(folder, "postgres")
        folder.chmod(0o700)
        as_user = ["runuser", "-u", "postgres", "--"]
    data = folder / "data"
    subprocess.run([*as_user, initdb, "-D", str(data), "-U", "maestro", "--auth=trust", "--no-sync"],
                   check=True, capture_output=True, timeout=120)
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-w", "-l", str(folder / "log"), "-o",
                    f"-k {folder} -c listen_addresses='' -c fsync=off", "start"], check=True, capture_output=True, timeout=120)
    try:
        yield f"postgresql+psycopg://maestro@/postgres?host={folder}"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def fresh_database(postgres_url: str) -> str:
    """The URL of a new, empty database on the test server (for a test that needs its own)."""
    from sqlalchemy import create_engine, text

    name = f"m{uuid.uuid4().hex[:12]}"
    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return postgres_url.replace("/postgres?", f"/{name}?")


def schema_differences(engine, metadata, version_table: str) -> tuple[list, str | None]:
    """What Alembic finds between a database's schema and `metadata`, and its revision."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "version_table": version_table})
        return compare_metadata(context, metadata), context.get_current_revision()
