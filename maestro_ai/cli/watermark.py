"""`maestro watermark embed|detect`: put Maestro's watermark into a file, or find it in one."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.provenance.marking import mark_file, read_mark

NOT_FOUND = 1  # like grep: the file was read, and holds no mark


def register(app: typer.Typer) -> None:
    group = typer.Typer(no_args_is_help=True, help="Embed or detect Maestro's audio watermark.")
    app.add_typer(group, name="watermark")

    @group.command()
    def embed(
        source: Annotated[Path, typer.Argument(help="The audio to mark (WAV, FLAC, MP3, OGG, AIFF)")],
        out: Annotated[str, typer.Option("-o", "--out", help="The marked copy to write (.wav, .flac or .mp3)")],
        payload: Annotated[str, typer.Option(help="The 64-bit number to hide: decimal or 0x hex")],
        force: Annotated[bool, typer.Option(help="Replace an existing output")] = False,
        seal: Annotated[bool, typer.Option("--seal/--no-seal", help="Sign the copy with Content Credentials that say "
                                                                  "it was watermarked from SOURCE")] = True,
    ) -> None:
        """Write a copy of SOURCE with a watermark carrying PAYLOAD (and signed Content Credentials)."""
        done = mark_file(source, out, payload, force=force, seal=seal)
        signed = "signed" if done["signed"] else "not signed" + ("" if not seal else " (an OGG or AIFF source cannot be named)")
        typer.echo(f"{source.name} -> {done['file']}: payload {done['payload']}, mark {done['snr_db']} dB "
                   f"under the music, {signed} [{done['embed_seconds']:.2f} s]")

    @group.command()
    def detect(
        file: Annotated[Path, typer.Argument(help="The audio to search")],
        json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
    ) -> None:
        """Find the watermark in FILE: its payload, or exit status 1 when there is none."""
        found = read_mark(file)
        result = found.to_dict()
        if json_out:
            typer.echo(json.dumps(result, indent=2))
        elif found.found:
            typer.echo(f"{file.name}: watermark {result['payload']} (sync z {found.z} over threshold "
                       f"{found.threshold}, speed {found.speed:g}, in {found.windows[0]} of {found.windows[1]} windows)")
        else:
            typer.echo(f"{file.name}: no watermark (sync z {found.z}, threshold {found.threshold})")
        if not found.found:
            raise typer.Exit(NOT_FOUND)
