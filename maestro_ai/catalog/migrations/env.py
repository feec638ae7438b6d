"""Alembic's entry for Reserved's database (io.migration_env)."""
from maestro_ai.io.migration_env import run_migrations

run_migrations()
