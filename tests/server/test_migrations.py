"""The server's schema is made and changed by its Alembic migrations only: the last migration
gives exactly the tables the code declares (Alembic's own comparison finds no difference, on
SQLite and on a real PostgreSQL server), and a database made before migrations existed (the
first schema, no version table) is brought up to date with its keys and jobs kept."""
import pytest
from sqlalchemy import create_engine, inspect, text

from maestro_ai.io.database import migrate
from maestro_ai.server.store import MIGRATIONS, Base, Store
from tests.postgres import fresh_database, schema_differences


def _differences(engine):
    return schema_differences(engine, Base.metadata, "maestro_server_version")


def test_the_migrations_make_exactly_the_declared_schema_on_sqlite(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'server.db'}")
    differences, revision = _differences(store.engine)
    assert differences == [] and revision == "0002"


def test_the_migrations_make_exactly_the_declared_schema_on_postgresql(postgres_url):
    pytest.importorskip("psycopg")
    store = Store(fresh_database(postgres_url))
    differences, revision = _differences(store.engine)
    assert differences == [] and revision == "0002"
    key, secret = store.create_key("studio", ["read"], artist="Ada")
    assert store.authenticate(secret).acting == "Ada"


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_database_from_before_migrations_is_brought_up_to_date(database, tmp_path, postgres_url):
    if database == "postgresql":
        pytest.importorskip("psycopg")
    url = f"sqlite:///{tmp_path / 'old.db'}" if database == "sqlite" else fresh_database(postgres_url)
    old = create_engine(url)
    migrate(old, MIGRATIONS, "0001")  # the first schema, as create_all made it before there were migrations
    with old.begin() as connection:
        connection.execute(text("DROP TABLE maestro_server_version"))
        connection.execute(text("INSERT INTO api_keys (name, sha256, scopes, rate, created) "
                                "VALUES ('studio', :digest, 'read,create', 20, CURRENT_TIMESTAMP)"),
                           {"digest": __import__("hashlib").sha256(b"mk_old").hexdigest()})
        connection.execute(text("INSERT INTO jobs (key_id, request, status, progress, attempts, created, updated) "
                                "VALUES (1, '{}', 'queued', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    assert "uploads" not in inspect(old).get_table_names()
    old.dispose()

    store = Store(url)
    differences, revision = _differences(store.engine)
    assert differences == [] and revision == "0002"
    key = store.authenticate("mk_old")
    assert key.name == "studio" and key.artist is None and key.acting == "studio"
    assert store.claim_next().id == 1
