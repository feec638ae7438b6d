"""Alembic's entry for the server's database (io.migration_env)."""
from maestro_ai.io.migration_env import run_migrations

run_migrations()
