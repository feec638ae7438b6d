"""`maestro genres`, `maestro moods` and `maestro voices`: what exists, a line each."""
from __future__ import annotations

import typer

from maestro_ai.prompt.presets import all_genres, all_moods
from maestro_ai.prompt.singers import all_singers
from maestro_ai.theory.pitch import midi_to_name


def register(app: typer.Typer) -> None:
    @app.command()
    def genres() -> None:
        """List the genres, with their tempo range and character."""
        for name, g in all_genres().items():
            typer.echo(f"{name:<12} {g.tempo_range[0]:>3}-{g.tempo_range[1]:<3} BPM  {g.description}")

    @app.command()
    def moods() -> None:
        """List the named moods, with their valence and energy (0-1)."""
        for name, m in all_moods().items():
            typer.echo(f"{name:<14} valence {m.valence:.2f} energy {m.energy:.2f}  {m.description}")

    @app.command()
    def voices() -> None:
        """List the voices that sing (--voice): their range, what they are and their engine."""
        for name, s in all_singers().items():
            typer.echo(f"{name:<14} {midi_to_name(s.low):>3}-{midi_to_name(s.high):<3}  {s.label}, sung by {s.engine}")
