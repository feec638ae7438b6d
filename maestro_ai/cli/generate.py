"""`maestro generate`: a finished song from the shell, with a progress bar per stage."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

STAGE_LABELS = {"controls": "Reading the request", "plan": "Planning form and harmony", "score": "Composing parts",
                "stems": "Rendering stems", "mix": "Mixing", "master": "Mastering", "write": "Writing files"}


def register(app: typer.Typer) -> None:
    @app.command()
    def generate(
        genre: Annotated[str, typer.Option(help="Genre (see `maestro genres`)")] = "lofi-chill",
        mood: Annotated[str, typer.Option(help="Mood (see `maestro moods`)")] = "ambient-focus",
        tempo: Annotated[float | None, typer.Option(help="Tempo in BPM (30-300); from the style if omitted")] = None,
        duration: Annotated[float, typer.Option(help="Length in seconds (5-1200)")] = 180.0,
        phrase: Annotated[list[str] | None, typer.Option(help="A key phrase; repeat for more")] = None,
        melody: Annotated[str | None, typer.Option(help="Seed: a .mid file, a hummed/sung/played audio file (transcribed), "
                                                        "note names 'E4 G4:0.5' or chords 'Cmaj7 G6'")] = None,
        key: Annotated[str | None, typer.Option(help="Key, e.g. 'A minor'")] = None,
        time_signature: Annotated[str, typer.Option("--time-signature", help="Metre, e.g. 4/4, 3/4, 6/8")] = "4/4",
        seed: Annotated[int | None, typer.Option(help="Same seed, same song")] = None,
        out: Annotated[Path, typer.Option(help="Folder for track folders")] = Path("out"),
        format: Annotated[list[str] | None, typer.Option("--format", help="wav, mp3, flac; repeat for more")] = None,
        title: Annotated[str | None, typer.Option(help="Title (generated if omitted)")] = None,
        force: Annotated[bool, typer.Option(help="Replace an existing track folder")] = False,
        json_out: Annotated[bool, typer.Option("--json", help="Print track.json instead of a summary")] = False,
    ) -> None:
        """Generate a finished song: score, stems, mastered mix and metadata."""
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from maestro_ai.generator import MusicGenerator
        from maestro_ai.pipeline import STAGES

        input_data: dict = {"key_phrases": list(phrase or [])}
        if melody:
            input_data["melody_midi"] = melody
        if tempo is not None:
            input_data["tempo_bpm"] = tempo
        if title:
            input_data["title"] = title
        gen = MusicGenerator(genre, mood, key=key, time_signature=time_signature, seed=seed, output_dir=out,
                             formats=tuple(format or ("wav", "mp3")), force=force)
        from maestro_ai.pipeline import run

        request = gen.request(input_data, duration)  # bad input fails here, before any progress bar
        console = Console(stderr=True)
        with Progress(TextColumn("{task.description:<28}"), BarColumn(), TimeElapsedColumn(),
                      console=console, transient=json_out) as bars:
            tasks = {s: bars.add_task(STAGE_LABELS[s], total=1, start=False) for s in STAGES}
            current: list[str] = []

            def on_stage(name: str) -> None:
                if current:
                    bars.update(tasks[current[-1]], completed=1)
                if name in tasks:
                    bars.start_task(tasks[name])
                    current.append(name)

            meta, _ = run(request, on_stage)
        if json_out:
            typer.echo(json.dumps(meta, indent=2, ensure_ascii=False))
            return
        loud = meta["loudness"]
        typer.echo(f"{meta['title']} - {meta['genre']}, {meta['mood']}, {meta['tempo']:g} BPM, {meta['key']}, "
                   f"{meta['duration_seconds']:.1f} s, {loud['integrated_lufs']} LUFS, {loud['true_peak_dbtp']} dBTP")
        typer.echo(f"  {meta['path']}")
