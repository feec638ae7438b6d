"""`maestro transcribe`: audio to MIDI with basic-pitch (its ONNX model)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.production.transcription.basic_pitch import transcribe_file


def register(app: typer.Typer) -> None:
    @app.command()
    def transcribe(
        source: Annotated[Path, typer.Argument(help="The recording (WAV, FLAC, MP3, OGG, AIFF)")],
        out: Annotated[str, typer.Option("-o", "--out", help="The MIDI file to write (.mid)")],
        tempo: Annotated[float, typer.Option(help="Tempo written into the MIDI file: its beats are this tempo's")] = 120.0,
        melody: Annotated[bool, typer.Option(help="Keep one line (a hummed, sung or played melody)")] = False,
        force: Annotated[bool, typer.Option(help="Replace an existing file")] = False,
    ) -> None:
        """Transcribe a recording to MIDI (notes, pitch bends dropped) with Spotify's basic-pitch."""
        result = transcribe_file(source, out, tempo_bpm=tempo, force=force, monophonic=melody)
        span = f", {result.range[0]}-{result.range[1]}" if result.range else ""
        typer.echo(f"{source.name} -> {out}: {result.notes} notes{span} over {result.seconds:.1f} s ({result.model})")
