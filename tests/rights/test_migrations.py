"""The rights registry's schema is made and changed by its Alembic migrations: the last one
gives exactly the declared tables (on SQLite and on a real PostgreSQL server), and registries
made before migrations (with or without the work_marks table that creating missing tables once
added) are brought up to date with their artists, works and grants kept."""
import pytest
from sqlalchemy import create_engine, text

from maestro_ai.io.database import migrate
from maestro_ai.rights.registry import MIGRATIONS, Base, Registry
from tests.postgres import fresh_database, schema_differences

HEAD = "0004"


def _differences(engine):
    return schema_differences(engine, Base.metadata, "maestro_rights_version")


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_migrations_make_exactly_the_declared_registry(database, tmp_path, postgres_url):
    if database == "postgresql":
        pytest.importorskip("psycopg")
    url = f"sqlite:///{tmp_path / 'rights.db'}" if database == "sqlite" else fresh_database(postgres_url)
    registry = Registry(url)
    assert _differences(registry.engine) == ([], HEAD)
    registry.add_artist("Ada"), registry.add_artist("Bob")
    work = registry.add_work("Rain", owner="Ada", acting="Ada")
    grant = registry.grant(work.id, to="Bob", scope="remix", acting="Ada", keeps_points=3000)
    assert registry.listing()["grants"][0]["keeps_points"] == 3000 == grant.keeps_points


@pytest.mark.parametrize("marks_table", [False, True])
def test_a_registry_from_before_migrations_is_brought_up_to_date(marks_table, tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    migrate(old, MIGRATIONS, "0002" if marks_table else "0001")  # as create_all made it, before or after work_marks
    with old.begin() as connection:
        connection.execute(text("DROP TABLE maestro_rights_version"))
        connection.execute(text("INSERT INTO artists (name, created) VALUES ('Ada', CURRENT_TIMESTAMP), ('Bob', CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO works (title, owner_id, created) VALUES ('Rain', 1, CURRENT_TIMESTAMP)"))
        connection.execute(text("INSERT INTO grants (work_id, grantee_id, grantor_id, scope, territory, created) "
                                "VALUES (1, 2, 1, 'cover', 'world', CURRENT_TIMESTAMP)"))
    old.dispose()
    registry = Registry(url)
    assert _differences(registry.engine) == ([], HEAD)
    assert registry.permission(1, "Bob", "cover").allowed
    assert registry.listing()["grants"][0]["keeps_points"] is None


def test_the_registry_and_the_servers_store_share_one_database(tmp_path):
    from maestro_ai.server.store import Store

    url = f"sqlite:///{tmp_path / 'both.db'}"
    store = Store(url)
    Registry(url)  # each keeps its own revision
    with store.engine.connect() as connection:
        versions = {table: connection.execute(text(f"SELECT version_num FROM {table}")).scalar()
                    for table in ("maestro_server_version", "maestro_rights_version")}
    assert versions == {"maestro_server_version": "0002", "maestro_rights_version": HEAD}
    assert Store(url).create_key("k", ["read"])[0].id == 1 and Registry(url).add_artist("Ada").id == 1
