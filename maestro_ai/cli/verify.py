"""`maestro verify FILE`: a file's Content Credentials and watermark, in plain words or JSON."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.provenance.credentials import read_credentials
from maestro_ai.provenance.identity import trust_anchors
from maestro_ai.provenance.marking import read_mark

UNVERIFIED = 1  # the file was read: it is unsigned, or altered since it was signed


def register(app: typer.Typer) -> None:
    @app.command()
    def verify(
        file: Annotated[Path, typer.Argument(help="A WAV, MP3 or FLAC file")],
        trust: Annotated[list[Path] | None, typer.Option(help="Also trust this CA certificate (PEM); repeat for more")] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
    ) -> None:
        """Who signed FILE and whether they are trusted, what it says of AI use and contributors,
        its ingredients, its watermark, and whether it was altered since signing. Exit status 1
        when it is unsigned or altered."""
        if not file.is_file():
            raise InvalidRequest(f"no file {str(file)!r}")
        credentials = read_credentials(file, trust_anchors(trust or []))
        watermark = read_mark(file).to_dict()
        if json_out:
            typer.echo(json.dumps({"file": str(file), "credentials": credentials, "watermark": watermark}, indent=2))
        else:
            for line in _plain(file, credentials, watermark):
                typer.echo(line)
        if not credentials["signed"] or credentials["tampered"]:
            raise typer.Exit(UNVERIFIED)


def _plain(file: Path, c: dict, mark: dict) -> list[str]:
    found = f"watermark {mark['payload']}" if mark["found"] else "no watermark found"
    if not c["signed"]:
        return [f"{file.name}: no Content Credentials", f"  {found}"]
    trusted = "trusted" if c["trusted"] else "NOT trusted (its CA is not among your trust anchors)"
    agent = f"{(c['made_by'] or {}).get('name', '?')} {(c['made_by'] or {}).get('version', '')}".rstrip()
    how = f"  watermarked by {agent}; how its audio was made is not stated" if c["action"] == "c2pa.watermarked" \
        else f"  {c['ai']} ({c['source_type']}) with {agent}"
    lines = [f"{file.name}: signed by {c['signer']} ({c['issuer']}), {trusted}", how]
    if "contains_ai" in c["credits"]:
        lines += _disclosure(c["credits"])
    elif c["credits"]:
        lines.append("  credits: " + "; ".join(f"{k}: {v}" for k, v in c["credits"].items()))
    for i in c["ingredients"]:
        lines.append(f"  ingredient: {i['title']} ({i['relationship']}, {'signed' if i['signed'] else 'unsigned'})")
    lines.append("  ALTERED since it was signed: " + ", ".join(c["problems"]) if c["tampered"]
                 else "  unaltered since it was signed")
    lines.append(f"  {found}")
    return lines


def _disclosure(ai: dict) -> list[str]:
    """An AI disclosure (provenance.disclosure) in plain words: one line a part, one a contributor."""
    lines = [f"  contains AI: {ai['contains_ai']}"]
    for name, part in (ai.get("parts") or {}).items():
        who = ", ".join(x for x in (part.get("human"), part.get("ai")) if x)
        lines.append(f"    {name}: {part.get('by')}" + (f" ({who})" if who else ""))
    for person in ai.get("contributors") or []:
        kind = "AI" if person.get("kind") == "AI" else "human"
        lines.append(f"  contributor: {person.get('name')} ({kind}): {', '.join(person.get('did') or [])}")
    return lines
