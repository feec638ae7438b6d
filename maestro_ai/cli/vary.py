"""`maestro vary`: a variation of a finished track folder."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.cli.generate import show, with_progress
from maestro_ai.core.track import Track
from maestro_ai.pipeline.edits import EDITS
from maestro_ai.pipeline.generator import MusicGenerator
from maestro_ai.pipeline.runner import run


def register(app: typer.Typer) -> None:
    @app.command()
    def vary(
        track: Annotated[Path, typer.Argument(help="A track folder (or its track.json)")],
        kind: Annotated[str, typer.Option(help=", ".join(EDITS))],
        tempo: Annotated[float | None, typer.Option(help="For --kind tempo: the new tempo in BPM")] = None,
        key: Annotated[str | None, typer.Option(help="For --kind key: the new key, e.g. 'D minor'")] = None,
        duration: Annotated[float | None, typer.Option(help="For --kind extend: the new length in seconds")] = None,
        out: Annotated[str | None, typer.Option(help="Folder for the new track (default: beside the original)")] = None,
        force: Annotated[bool, typer.Option(help="Replace an existing track folder")] = False,
        json_out: Annotated[bool, typer.Option("--json", help="Print the new track.json instead of a summary")] = False,
        seal: Annotated[bool, typer.Option("--seal/--no-seal", help="Watermark and sign the mixes (Content "
                                                                  "Credentials); --no-seal leaves them unmarked")] = True,
        artist: Annotated[str | None, typer.Option("--as", help="The artist it is made for, as the rights registry "
                                                               "knows them (default: your login name)")] = None,
    ) -> None:
        """Make a variation of a track that keeps what it should (same melody, new chords; ...)."""
        source = Track.load(track)
        options = {k: v for k, v in (("tempo_bpm", tempo), ("key", key), ("duration_seconds", duration)) if v is not None}
        gen = MusicGenerator.for_track(source, source.folder.parent if out is None else out, force=force, seal=seal,
                                       artist=artist)
        request, variation = gen.variation(source, kind, **options)  # bad input fails here, before any progress bar
        made = with_progress(lambda on_stage: run(request, on_stage, variation=variation), quiet=json_out)
        show(made, json_out)
