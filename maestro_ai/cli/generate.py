"""`maestro generate`: a finished song from the shell, with a progress bar per stage."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from maestro_ai.core import limits
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.track import Track
from maestro_ai.pipeline.generator import MusicGenerator
from maestro_ai.pipeline.runner import run
from maestro_ai.pipeline.stages import STAGES


def seed_value(text: str | None) -> int | None:
    """--seed as typed: digits only, checked against the limits before Python turns them into a
    number (a seed thousands of digits long is refused by its length, not by Python's int())."""
    if text is None:
        return None
    digits = text.strip()
    if not digits.isdigit() or not digits.isascii() or len(digits) > len(str(limits.SEED[1])):
        shown = digits if len(digits) <= 24 else f"a number of {len(digits)} digits"
        raise InvalidRequest(f"seed must be a whole number from {limits.SEED[0]} to {limits.SEED[1]}, not {shown}")
    return limits.whole("seed", int(digits), limits.SEED)


def read_text_file(path: str, what: str) -> str:
    """A small UTF-8 text file's content, or a clear error naming the file.

    >>> read_text_file("/no/such/file.txt", "lyrics")
    Traceback (most recent call last):
    maestro_ai.core.errors.InvalidRequest: cannot read the lyrics file /no/such/file.txt: it does not exist
    """
    target = Path(path)
    if not target.is_file():
        raise InvalidRequest(f"cannot read the {what} file {path}: it does not exist")
    if target.stat().st_size > 1_000_000:
        raise InvalidRequest(f"the {what} file {path} is over 1 MB; give a text file")
    try:
        return target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidRequest(f"cannot read the {what} file {path}: it is not UTF-8 text ({type(exc).__name__})") from None


def with_progress(work, quiet: bool = False) -> Track:
    """Run `work(on_stage)` under a progress bar per stage (labels from the stages themselves)."""
    with Progress(TextColumn("{task.description:<28}"), BarColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=quiet) as bars:
        tasks = {s.name: bars.add_task(s.label, total=1, start=False) for s in STAGES}
        current: list[str] = []

        def on_stage(name: str) -> None:
            if current:
                bars.update(tasks[current[-1]], completed=1)
            if name in tasks:
                bars.start_task(tasks[name])
                current.append(name)

        return work(on_stage)


def summary(track: Track) -> str:
    """Two lines: what the song is, and where it is."""
    loud = track.loudness
    return (f"{track.title} - {track.genre}, {track.mood}, {track.tempo:g} BPM, {track.key}, "
            f"{track.duration_seconds:.1f} s, {loud['integrated_lufs']} LUFS, {loud['true_peak_dbtp']} dBTP\n"
            f"  {track.folder}")


def show(track: Track, json_out: bool) -> None:
    """Print a made track: all of track.json and its folder with --json, else the summary."""
    typer.echo(json.dumps(track.to_dict(path=True), indent=2, ensure_ascii=False) if json_out else summary(track))


def register(app: typer.Typer) -> None:
    @app.command()
    def generate(
        genre: Annotated[str, typer.Option(help="Genre (see `maestro genres`)")] = "lofi-chill",
        mood: Annotated[str, typer.Option(help="Mood (see `maestro moods`)")] = "ambient-focus",
        tempo: Annotated[float | None, typer.Option(help="Tempo in BPM (30-300); from the style if omitted")] = None,
        duration: Annotated[float, typer.Option(help="Length in seconds (5-1200)")] = 180.0,
        phrase: Annotated[list[str] | None, typer.Option(help="A key phrase; repeat for more (at most 32)")] = None,
        melody: Annotated[str | None, typer.Option(help="Seed: a .mid file, a hummed/sung/played audio file (transcribed), "
                                                        "note names 'E4 G4:0.5' or chords 'Cmaj7 G6'")] = None,
        key: Annotated[str | None, typer.Option(help="Key, e.g. 'A minor'")] = None,
        time_signature: Annotated[str, typer.Option("--time-signature", help="Metre, e.g. 4/4, 3/4, 6/8")] = "4/4",
        seed: Annotated[str | None, typer.Option(help="Same seed, same song (0 to 2^64-1)")] = None,
        out: Annotated[str, typer.Option(help="Folder for track folders")] = "out",
        format: Annotated[list[str] | None, typer.Option("--format", help="wav, mp3, flac; repeat for more")] = None,
        title: Annotated[str | None, typer.Option(help="Title (generated if omitted)")] = None,
        force: Annotated[bool, typer.Option(help="Replace an existing track folder")] = False,
        json_out: Annotated[bool, typer.Option("--json", help="Print track.json instead of a summary")] = False,
        quality: Annotated[str, typer.Option(help="studio (instruments, expression, genre mix) or draft "
                                                  "(General MIDI, faster)")] = "studio",
        lyrics: Annotated[str | None, typer.Option(help="A text file of lyrics, stanzas apart by a blank line, "
                                                        "[chorus] over the chorus; without it a pop, rock, folk, "
                                                        "R&B, hip-hop or trap song gets guide lyrics")] = None,
        vocals: Annotated[bool | None, typer.Option("--vocals/--no-vocals",
                                                    help="Sing the lead (a synthetic voice; pop, rock, folk, R&B, "
                                                         "hip-hop and trap sing unless told not to)")] = None,
        vocables: Annotated[bool, typer.Option(help="Sing vocables (\"na na na oh\", scat in jazz) in place of "
                                                    "guide lyrics")] = False,
        voice: Annotated[str | None, typer.Option(help="The voice that sings: female-high, female-low, male-high, "
                                                       "male-low or a registered one (`maestro voices`); the genre's, "
                                                       "by seed, if omitted")] = None,
        seal: Annotated[bool, typer.Option("--seal/--no-seal", help="Watermark and sign the mixes (Content "
                                                                  "Credentials); --no-seal leaves them unmarked")] = True,
        artist: Annotated[str | None, typer.Option("--as", help="The artist it is made for, as the rights registry "
                                                               "knows them (default: your login name)")] = None,
    ) -> None:
        """Generate a finished song: score, stems, mastered mix and metadata."""
        input_data: dict = {"key_phrases": list(phrase or [])}
        if melody is not None:
            input_data["melody_midi"] = melody
        if tempo is not None:
            input_data["tempo_bpm"] = tempo
        if title is not None:
            input_data["title"] = title
        if lyrics is not None:
            input_data["lyrics"] = read_text_file(lyrics, "lyrics")
        if vocals is not None:
            input_data["vocals"] = vocals
        if voice is not None:
            input_data["voice"] = voice
        if vocables:
            input_data["vocables"] = True
        gen = MusicGenerator(genre, mood, key=key, time_signature=time_signature, seed=seed_value(seed), output_dir=out,
                             formats=tuple(format or ("wav", "mp3")), force=force, quality=quality, seal=seal,
                             artist=artist)
        request = gen.request(input_data, duration)  # bad input fails here, before any progress bar
        track = with_progress(lambda on_stage: run(request, on_stage), quiet=json_out)
        show(track, json_out)
