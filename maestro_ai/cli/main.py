"""`maestro`: the command line. Bad input prints one line and exits with status 2; an interrupted
command (Ctrl-C, SIGTERM) says so, removes what it had started writing and exits with 130 (143).

    maestro generate --genre lofi-chill --mood ambient-focus --tempo 72 --duration 180 \\
        --phrase "rainy city lights" --melody "Cmaj7 G6" --seed 7 --out out/
    maestro vary out/<track-folder> --kind reharmonize
    maestro melody --key "D minor" --chords "Dm Bb F C" --bars 16 --seed 3 --out m.mid
    maestro master mix.wav -o master.wav --target spotify [--reference ref.wav] [--mix 0.7]
    maestro analyze song.wav [--json]
    maestro transcribe hum.wav -o hum.mid --melody
    maestro genres
    maestro moods
    maestro keys create --name studio --scope read --scope create
    maestro serve --port 8000
"""
from __future__ import annotations

import signal
import sys
import threading

import typer

from maestro_ai.cli import (
    analyze,
    catalog,
    generate,
    ledger,
    listening,
    master,
    melody,
    remix,
    rights,
    royalties,
    serve,
    transcribe,
    vary,
    verify,
    watermark,
)
from maestro_ai.core.errors import MaestroError
from maestro_ai.io.atomic import STOP, stop_writing

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Maestro: an open AI music studio. Every command takes --help.")
for command in (generate, vary, remix, melody, master, analyze, transcribe, catalog, watermark, verify, ledger, rights, royalties,
                listening, serve):
    command.register(app)

INTERRUPTED, TERMINATED = 130, 143


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every `finally` cleans up on the way out."""


def _on_signal(signum, frame) -> None:
    # typer turns KeyboardInterrupt into exit status 130 and returns it, so which signal came is
    # kept here, for the message and the status.
    _received.append(signum)
    stop_writing()
    raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


_received: list[int] = []


def _interrupted() -> int:
    print("error: interrupted; nothing was written", file=sys.stderr)
    return TERMINATED if signal.SIGTERM in _received else INTERRUPTED


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; MaestroError becomes a one-line message and exit status 2."""
    _received.clear()
    STOP.clear()
    in_main = threading.current_thread() is threading.main_thread()  # signals can be caught only there
    # A signal the process was started ignoring (a background job's Ctrl-C) stays ignored.
    caught = [sig for sig in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(sig) is not signal.SIG_IGN]
    previous = {sig: signal.signal(sig, _on_signal) for sig in caught} if in_main else {}
    try:
        result = app(args=argv, standalone_mode=False)
    except MaestroError as exc:
        print(f"error: {exc.shell}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as exc:
        # typer carries its own copy of click, so its exceptions are matched by shape, not by class.
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):  # usage errors
            message = exc.format_message()
            if not message:  # `maestro` alone: the help was shown, and that is the answer
                return 0
            print(f"error: {message}", file=sys.stderr)
            return 2
        if type(exc).__name__ == "Exit":
            return int(getattr(exc, "exit_code", 0))
        if type(exc).__name__ == "Abort":  # end of input at a prompt
            return 1
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if _received:
        return _interrupted()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
