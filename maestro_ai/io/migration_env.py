"""What each database's Alembic env.py runs: its migrations on the connection that
`io.database.migrate` hands over (there is no alembic.ini), recording its revision in the
database's own version table.

    # maestro_ai/<package>/migrations/env.py
    from maestro_ai.io.migration_env import run_migrations
    run_migrations()
"""
from __future__ import annotations


def run_migrations() -> None:
    from alembic import context  # (only while Alembic runs an env.py: its context exists then)

    context.configure(connection=context.config.attributes["connection"], render_as_batch=True,  # batch: SQLite copies tables
                      version_table=context.config.attributes["version_table"])
    with context.begin_transaction():
        context.run_migrations()
