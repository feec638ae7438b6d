"""The `maestro` command.

The console script calls `main` here, which imports the command line (numpy, the audio stack,
typer: about half a second) only once it can catch a Ctrl-C that comes during that import.
A `maestro` started with Ctrl-C ignored (a shell's background job, nohup) keeps ignoring it.
"""
from __future__ import annotations

import signal
import sys

INTERRUPTED = "error: interrupted; nothing was written\n"


def main() -> int:
    """Run `maestro` with the process's arguments; the exit status."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        from maestro_ai.cli.main import main as run
        return run()
    interrupted = []

    def on_interrupt(signum, frame):
        interrupted.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        from maestro_ai.cli.main import main as run  # heavy: imported here so Ctrl-C meanwhile is caught
    except KeyboardInterrupt:
        sys.stderr.write(INTERRUPTED)
        return 130
    except ImportError:
        # A native module whose initialisation is interrupted reports ImportError instead
        # (pedalboard's does): with a Ctrl-C seen, that is the interruption, not a broken install.
        if interrupted:
            sys.stderr.write(INTERRUPTED)
            return 130
        raise
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        return run()  # which handles Ctrl-C itself from its first line on
    except KeyboardInterrupt:
        sys.stderr.write(INTERRUPTED)
        return 130
