"""`maestro master`: master a file to a streaming/club/broadcast loudness target, optionally
matching a reference; a JSON and PNG report is written beside the output."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.production.mastering.file import master_file, report_paths
from maestro_ai.production.mastering.settings import MasterSettings


def register(app: typer.Typer) -> None:
    @app.command()
    def master(
        source: Annotated[Path, typer.Argument(help="The mix to master (WAV, FLAC, MP3, OGG, AIFF)")],
        out: Annotated[str, typer.Option("-o", "--out", help="The master to write (.wav, .flac or .mp3)")],
        target: Annotated[str | None, typer.Option(help="Loudness target: spotify, apple, youtube, tidal, amazon, "
                                                        "deezer, club, broadcast (default: the reference's level, "
                                                        "else spotify)")] = None,
        lufs: Annotated[float | None, typer.Option(help="Integrated loudness to reach (LUFS), overriding the target")] = None,
        true_peak: Annotated[float | None, typer.Option(help="True-peak ceiling (dBTP), overriding the target")] = None,
        reference: Annotated[Path | None, typer.Option(help="A finished track whose tone, width and level to match")] = None,
        mix: Annotated[float, typer.Option(help="How much of the EQ, compression and width to apply, 0-1 (wet/dry)")] = 1.0,
        mode: Annotated[str, typer.Option(help="full, loudness (gain and limiter only), tone (EQ only) or width")] = "full",
        tone: Annotated[str | None, typer.Option(help="Tone target without a reference: balanced, electronic, rock, "
                                                      "acoustic, warm, or a genre (house, jazz, ...)")] = None,
        width: Annotated[float | None, typer.Option(help="Stereo width, 0 (mono) to 2; 1 leaves it as it is")] = None,
        glue: Annotated[bool, typer.Option(help="The gentle glue compressor of full mode without a reference")] = True,
        report: Annotated[bool, typer.Option(help="Write OUT.report.json and OUT.report.png beside the master")] = True,
        json_out: Annotated[bool, typer.Option("--json", help="Print the whole report as JSON")] = False,
        force: Annotated[bool, typer.Option(help="Replace an existing output and report")] = False,
        seal: Annotated[bool, typer.Option("--seal/--no-seal", help="Watermark the master (keeping a mark the "
                                                                  "source has) and sign it (Content Credentials)")] = True,
        artist: Annotated[str | None, typer.Option("--as", help="The artist mastering, as the rights registry knows "
                                                               "them (default: your login name): another's reference "
                                                               "needs their style grant")] = None,
    ) -> None:
        """Master a track to a loudness target with a true-peak-safe limiter; match a reference."""
        import json

        settings = MasterSettings(target=target, lufs=lufs, true_peak=true_peak, reference=reference, mix=mix,
                                  mode=mode, tone=tone, width=width, glue=glue)
        result = master_file(source, out, settings, force=force, report=report, seal=seal, artist=artist)
        if json_out:
            typer.echo(json.dumps(result.to_dict(), indent=2))
            return
        before, after, target_ = result.input, result.output, result.target
        typer.echo(f"{source.name} -> {out}: {after['integrated_lufs']:.1f} LUFS (target {target_['lufs']:g}, "
                   f"{target_['name']}), true peak {after['true_peak_dbtp']:.1f} dBTP "
                   f"(ceiling {target_['true_peak_dbtp']:g}), range {after['loudness_range_lu']:.1f} LU; "
                   f"was {before['integrated_lufs']:.1f} LUFS, {before['true_peak_dbtp']:.1f} dBTP "
                   f"[{result.seconds:.1f} s]")
        for note in result.processing["notes"]:
            typer.echo(f"  {note}")
        sealed = result.provenance
        if sealed.get("sealed"):
            kept = " (the source's own, kept)" if sealed["watermark_kept"] else ""
            typer.echo(f"  sealed: watermark {sealed['watermark']}{kept}, signed by {sealed['signer']}")
        else:
            typer.echo("  not sealed: no watermark and no Content Credentials (--no-seal)")
        if report:
            data, chart = report_paths(Path(out))
            typer.echo(f"  report: {data} and {chart.name}")
