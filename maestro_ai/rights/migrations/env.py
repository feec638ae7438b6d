"""Alembic's entry for the rights registry: migrations run on the connection that
maestro_ai.io.database.migrate hands over (there is no alembic.ini)."""
from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True,  # batch: SQLite alters a table by copying it
                  version_table=context.config.attributes["version_table"])
with context.begin_transaction():
    context.run_migrations()
