"""The `maestro` command."""
