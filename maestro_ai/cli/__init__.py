"""The `maestro` command.

The console script calls `main` here, which imports the command line (numpy, the audio stack,
typer: about half a second) only once it can catch a Ctrl-C that comes during that import.
"""
from __future__ import annotations

import sys


def main() -> int:
    """Run `maestro` with the process's arguments; the exit status."""
    try:
        from maestro_ai.cli.main import main as run  # heavy: imported here so Ctrl-C meanwhile is caught

        return run()  # which handles Ctrl-C itself from its first line on
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted; nothing was written\n")
        return 130
