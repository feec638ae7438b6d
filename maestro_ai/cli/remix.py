"""`maestro remix`: a licensed remix or cover of a registered song (a track folder, or a
recording with its MIDI), with its split sheet."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.cli.generate import show, with_progress
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.track import Track
from maestro_ai.pipeline.engines import default_harmonizer
from maestro_ai.pipeline.imported import Recording
from maestro_ai.pipeline.remix import KINDS, prepare
from maestro_ai.pipeline.remix import register as register_remix
from maestro_ai.pipeline.runner import run
from maestro_ai.rights.registry import WORLD, checked_territory, existing_registry


def _names(text: str | None) -> list[str] | None:
    return None if text is None else [n.strip() for n in text.split(",") if n.strip()]


def _source(path: Path, midi: Path | None, flag: str) -> Track | Recording:
    """A track folder (or its track.json), or a recording and its MIDI file."""
    if midi is not None:
        return Recording.load(path, midi)
    if path.is_file() and path.suffix.lower() != ".json":
        raise InvalidRequest(f"{str(path)!r} is not a track folder; a recording is remixed by its MIDI: give {flag} FILE")
    return Track.load(path)


def register(app: typer.Typer) -> None:
    @app.command()
    def remix(
        track: Annotated[Path, typer.Argument(help="The registered song it is made from: a track folder (or its track.json), "
                                                   "or a recording given with --midi")],
        kind: Annotated[str, typer.Option(help=", ".join(KINDS))],
        midi: Annotated[Path | None, typer.Option(help="The MIDI file of what the recording plays (a recording is covered "
                                                       "or restyled)")] = None,
        other: Annotated[Path | None, typer.Option("--with", help="The second song of a stem-swap or mashup")] = None,
        other_midi: Annotated[Path | None, typer.Option("--with-midi", help="The MIDI file of the --with song, when it is "
                                                                            "a recording")] = None,
        genre: Annotated[str | None, typer.Option(help="For cover and restyle: the new genre (default: the song's)")] = None,
        mood: Annotated[str | None, typer.Option(help="For cover and restyle: the new mood (default: the song's)")] = None,
        tempo: Annotated[float | None, typer.Option(help="For cover and tempo: the tempo in BPM")] = None,
        key: Annotated[str | None, typer.Option(help="For cover and key: the key, e.g. 'D minor'")] = None,
        duration: Annotated[float | None, typer.Option(help="For extend: the new length in seconds")] = None,
        keep: Annotated[str | None, typer.Option(help="For restyle: the parts kept as the song played them, e.g. melody,drums")] = None,
        take: Annotated[str | None, typer.Option(help="For stem-swap: the parts taken from --with, e.g. drums,bass")] = None,
        artist: Annotated[str | None, typer.Option("--as", help="The artist it is made for, as the rights registry "
                                                               "knows them (default: your login name)")] = None,
        territory: Annotated[str, typer.Option(help="Where it will be used: 'world' or a country code; the grants "
                                                    "must cover it")] = WORLD,
        seed: Annotated[int | None, typer.Option(help="Seed for what is composed anew (default: the song's)")] = None,
        quality: Annotated[str | None, typer.Option(help="For cover and restyle: studio or draft (default: the song's; "
                                                                   "studio for a recording)")] = None,
        out: Annotated[str | None, typer.Option(help="Folder for the remix (default: beside the song)")] = None,
        force: Annotated[bool, typer.Option(help="Replace an existing track folder")] = False,
        json_out: Annotated[bool, typer.Option("--json", help="Print the remix's track.json and split sheet")] = False,
        seal: Annotated[bool, typer.Option("--seal/--no-seal", help="Watermark and sign the mixes")] = True,
    ) -> None:
        """Remix or cover a registered song: consent checked first (the owner's grant of the kind's
        scope, or the song is yours), its lineage in the credentials and the ledger, its split
        sheet in splits.json, and the remix registered as your work."""
        if quality is not None and kind not in ("cover", "restyle"):
            raise InvalidRequest(f"a {kind} keeps the song's quality; drop --quality")
        if other_midi is not None and other is None:
            raise InvalidRequest("--with-midi goes with --with: the MIDI file of the second song, when it is a recording")
        first = _source(track, midi, "--midi")
        sources = [first] + ([_source(other, other_midi, "--with-midi")] if other is not None else [])
        options = {name: value for name, value in (("tempo_bpm", tempo), ("key", key), ("duration_seconds", duration),
                                                   ("keep", _names(keep)), ("take", _names(take))) if value is not None}
        registry = existing_registry()
        beside = first.folder.parent if isinstance(first, Track) else first.audio.parent
        made = prepare(sources, kind, genre=genre, mood=mood, options=options, output_dir=beside if out is None else out,
                       force=force, artist=artist, territory=checked_territory(territory), seed=seed, formats=None,
                       quality=quality, harmonizer=default_harmonizer(), melody_engine=None, registry=registry)
        request = replace(made.request, seal=seal)
        result = with_progress(lambda on_stage: run(request, on_stage, variation=made.variation), quiet=json_out)
        work = register_remix(registry, made, result)
        if json_out:
            typer.echo(json.dumps(result.to_dict(path=True) | {"work": work, "splits": made.variation.splits}, indent=2,
                                  ensure_ascii=False))
            return
        show(result, False)
        typer.echo(f"registered as work {work} of {made.artist}; splits: " + ", ".join(
            f"{h['holder']} {h['percent']} %" for h in made.variation.splits["holders"]))

