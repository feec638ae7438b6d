"""`maestro`: the command line. Bad input prints one line and exits with status 2.

    maestro generate --genre lofi-chill --mood ambient-focus --tempo 72 --duration 180 \\
        --phrase "rainy city lights" --melody "Cmaj7 G6" --seed 7 --out out/
    maestro vary out/rainy-city-lights-7 --kind reharmonize
    maestro melody --key "D minor" --chords "Dm Bb F C" --bars 16 --seed 3 --out m.mid
    maestro master mix.wav -o master.wav --target spotify [--reference ref.wav] [--mix 0.7]
    maestro analyze song.wav [--json]
    maestro transcribe hum.wav -o hum.mid --melody
    maestro genres
    maestro moods
"""
from __future__ import annotations

import sys

import typer

from maestro_ai.cli import analyze, catalog, generate, master, melody, transcribe, vary
from maestro_ai.core.errors import MaestroError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Maestro: an open AI music studio. Every command takes --help.")
generate.register(app)
vary.register(app)
melody.register(app)
master.register(app)
analyze.register(app)
transcribe.register(app)
catalog.register(app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; MaestroError becomes a one-line message and exit status 2."""
    try:
        app(args=argv, standalone_mode=False)
    except MaestroError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as exc:
        # Usage errors from click (typer carries its own copy, so match by shape, not by class).
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            print(f"error: {exc.format_message()}", file=sys.stderr)
            return 2
        if type(exc).__name__ == "Exit":
            return int(getattr(exc, "exit_code", 0))
        if type(exc).__name__ == "Abort":
            return 1
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
