"""`maestro melody`: a melody from the learned composer, straight to a MIDI file."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def melody(
        out: Annotated[Path, typer.Option(help="The MIDI file to write (.mid)")],
        key: Annotated[str | None, typer.Option(help="Key, e.g. 'D minor' (default: from the chords or seed, else C major)")] = None,
        chords: Annotated[str | None, typer.Option(help="Chords, one per bar, repeated to fill: 'Dm Bb F C' "
                                                        "(default: the model picks)")] = None,
        bars: Annotated[int, typer.Option(help="Bars to write, the seed's included")] = 16,
        seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same melody")] = 0,
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
        from maestro_ai.core.errors import InvalidRequest
        from maestro_ai.io.melody_input import read_seed
        from maestro_ai.models.decode import Sampling
        from maestro_ai.models.melody_writer import save_melody, write_melody

        if not 0.1 <= temperature <= 2.0 or not 1 <= top_k <= 500 or not 0.1 <= top_p <= 1.0:
            raise InvalidRequest("sampling needs 0.1 <= --temperature <= 2, 1 <= --top-k <= 500 and 0.1 <= --top-p <= 1")
        if not 20 <= tempo <= 400:
            raise InvalidRequest(f"--tempo must be between 20 and 400 BPM, not {tempo:g}")
        seed_melody = None
        if continue_from is not None:
            if continue_from.suffix.lower() not in (".mid", ".midi"):
                raise InvalidRequest(f"--continue needs a .mid file, not {continue_from.name!r}")
            seed_melody = read_seed(continue_from).melody
        if out.exists() and not force:
            from maestro_ai.core.errors import OutputError

            raise OutputError(f"{str(out)!r} already exists; pass --force to replace it")
        result = write_melody(key, chords, bars, seed, meter, seed_melody, low, high, Sampling(temperature, top_k, top_p))
        save_melody(result, out, tempo, force=force)
        symbols = " ".join(c.symbol for c in result.chords[: min(8, len(result.chords))])
        typer.echo(f"{bars} bars in {result.key}, {meter}: {len(result.notes)} notes over {symbols}"
                   f"{' ...' if len(result.chords) > 8 else ''} ({result.seconds * 1000:.0f} ms) -> {out}")
