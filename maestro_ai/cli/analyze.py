"""`maestro analyze`: tempo, beats, key, metre, loudness, sections, chords and descriptors of a file."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.production.analysis.analyze import analyze_file


def register(app: typer.Typer) -> None:
    @app.command()
    def analyze(
        source: Annotated[Path, typer.Argument(help="The audio file to analyze (WAV, FLAC, MP3, OGG, AIFF)")],
        json_out: Annotated[bool, typer.Option("--json", help="Print every figure as JSON (beats and chords included)")] = False,
    ) -> None:
        """Analyze a track: an open replacement for the audio-features endpoint Spotify closed."""
        import json

        result = analyze_file(source)
        if json_out:
            typer.echo(json.dumps(result.to_dict(), indent=2))
            return
        loud = result.loudness
        typer.echo(f"{source.name}: {result.duration_seconds:.1f} s, {result.tempo_bpm:.1f} BPM "
                   f"(confidence {result.tempo_confidence:.2f}), {result.time_signature}, {result.key} "
                   f"(confidence {result.key_confidence:.2f})")
        typer.echo(f"  loudness {loud['integrated_lufs']:.1f} LUFS, range {loud['loudness_range_lu']:.1f} LU, "
                   f"true peak {loud['true_peak_dbtp']:.1f} dBTP")
        typer.echo("  sections: " + " ".join(f"{s['label']}@{s['start']:.0f}s" for s in result.sections))
        chords = [c["chord"] for c in result.chords if c["chord"] != "N"]
        typer.echo(f"  chords: {' '.join(chords[:16])}{' ...' if len(chords) > 16 else ''}")
        typer.echo("  " + ", ".join(f"{name} {value:.2f}" for name, value in result.descriptors.items()))
