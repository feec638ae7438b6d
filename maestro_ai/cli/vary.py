"""`maestro vary`: a variation of a finished track folder."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def vary(
        track: Annotated[Path, typer.Argument(help="A track folder (or its track.json)")],
        kind: Annotated[str, typer.Option(help="reharmonize, new-melody, new-drums, tempo, key or extend")],
        tempo: Annotated[float | None, typer.Option(help="For --kind tempo: the new tempo in BPM")] = None,
        key: Annotated[str | None, typer.Option(help="For --kind key: the new key, e.g. 'D minor'")] = None,
        duration: Annotated[float | None, typer.Option(help="For --kind extend: the new length in seconds")] = None,
        out: Annotated[Path | None, typer.Option(help="Folder for the new track (default: beside the original)")] = None,
        force: Annotated[bool, typer.Option(help="Replace an existing track folder")] = False,
    ) -> None:
        """Make a variation of a track that keeps what it should (same melody, new chords; ...)."""
        from maestro_ai.core.errors import InvalidRequest
        from maestro_ai.generator import MusicGenerator

        path = track / "track.json" if track.is_dir() else track
        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidRequest(f"cannot read track metadata {str(path)!r}: {exc}; give a track folder") from None
        options = {k: v for k, v in (("tempo_bpm", tempo), ("key", key), ("duration_seconds", duration)) if v is not None}
        request = meta.get("request") or {}
        gen = MusicGenerator(meta.get("genre", "pop"), meta.get("mood", "chill"), seed=meta.get("seed"),
                             output_dir=out or path.parent.parent, formats=tuple(request.get("formats") or ("wav", "mp3")),
                             force=force)
        new, _ = gen.generate_variation(meta, kind, **options)
        typer.echo(f"{new['title']} - {new['tempo']:g} BPM, {new['key']}, {new['duration_seconds']:.1f} s")
        typer.echo(f"  {new['path']}")
