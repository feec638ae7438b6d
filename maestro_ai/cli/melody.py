"""`maestro melody`: a melody from the learned composer, straight to a MIDI file."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.cli.generate import seed_value
from maestro_ai.core import limits
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.melody_input import read_seed
from maestro_ai.io.outputs import check_file
from maestro_ai.models.decode import Sampling
from maestro_ai.models.melody_writer import save_melody, write_melody


def register(app: typer.Typer) -> None:
    @app.command()
    def melody(
        out: Annotated[str, typer.Option(help="The MIDI file to write (.mid)")],
        key: Annotated[str | None, typer.Option(help="Key, e.g. 'D minor' (default: from the chords or seed, else C major)")] = None,
        chords: Annotated[str | None, typer.Option(help="Chords, one per bar, repeated to fill: 'Dm Bb F C' "
                                                        "(default: the model picks)")] = None,
        bars: Annotated[int, typer.Option(help="Bars to write, the seed's included")] = 16,
        seed: Annotated[str, typer.Option(help="Random seed: the same seed gives the same melody")] = "0",
        continue_from: Annotated[Path | None, typer.Option("--continue", help="A .mid melody to continue")] = None,
        meter: Annotated[str, typer.Option(help="Time signature, e.g. 4/4, 3/4, 6/8")] = "4/4",
        tempo: Annotated[float, typer.Option(help="Tempo written into the MIDI file (BPM)")] = 100.0,
        low: Annotated[str, typer.Option(help="Lowest note of the instrument")] = "C4",
        high: Annotated[str, typer.Option(help="Highest note of the instrument")] = "C6",
        temperature: Annotated[float, typer.Option(help="Sampling temperature (0.1-2; lower is safer)")] = 0.9,
        top_k: Annotated[int, typer.Option(help="Sample among the k likeliest notes")] = 32,
        top_p: Annotated[float, typer.Option(help="... and within top-p of the probability mass")] = 0.95,
        force: Annotated[bool, typer.Option(help="Replace an existing file")] = False,
    ) -> None:
        """Write a melody over chords (or continue one) with the learned composer."""
        sampling = Sampling(limits.number("temperature", temperature, limits.TEMPERATURE),
                            limits.whole("top-k", top_k, limits.TOP_K), limits.number("top-p", top_p, limits.TOP_P))
        limits.number("tempo", tempo, limits.FILE_TEMPO_BPM, "BPM")
        seed = seed_value(seed)
        check_file(out, force=force, inputs=(continue_from,), suffixes=(".mid", ".midi"), flag="--out")
        seed_melody = None
        if continue_from is not None:
            if continue_from.suffix.lower() not in (".mid", ".midi"):
                raise InvalidRequest(f"--continue needs a .mid file, not {continue_from.name!r}")
            seed_melody = read_seed(continue_from).melody
        result = write_melody(key, chords, bars, seed, meter, seed_melody, low, high, sampling)
        save_melody(result, out, tempo, force=force)
        symbols = " ".join(c.symbol for c in result.chords[: min(8, len(result.chords))])
        typer.echo(f"{bars} bars in {result.key}, {meter}: {len(result.notes)} notes over {symbols}"
                   f"{' ...' if len(result.chords) > 8 else ''} ({result.seconds * 1000:.0f} ms) -> {out}")
