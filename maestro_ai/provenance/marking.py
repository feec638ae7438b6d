"""Watermarking files: `mark_file` writes a marked copy of an audio file, `read_mark` finds the
mark in one (any format pedalboard reads: WAV, FLAC, MP3, OGG, AIFF).

>>> parse_payload("0xC0FFEE"), parse_payload("42")
(12648430, 42)
"""
from __future__ import annotations

import math
import time
from pathlib import Path

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.audio import read_audio, write_audio
from maestro_ai.io.outputs import check_file
from maestro_ai.provenance.credentials import MIME, make_manifest, read_credentials, sign_file
from maestro_ai.provenance.seal import signing_identity
from maestro_ai.provenance.watermark import Detection, detect, embed, mark_snr_db

WRITABLE = (".wav", ".flac", ".mp3")


def parse_payload(text: str | int) -> int:
    """A 64-bit payload from an int or its decimal or 0x-hex text; a clear error otherwise."""
    try:
        value = text if isinstance(text, int) and not isinstance(text, bool) else int(str(text).strip(), 0)
    except ValueError:
        raise InvalidRequest(f"a watermark payload is a number from 0 to 2^64-1 (decimal or 0x hex), "
                             f"not {str(text)!r:.40}") from None
    if not 0 <= value < 1 << 64:
        raise InvalidRequest(f"a watermark payload is 64 bits: 0 to 2^64-1, not {value}")
    return value


def mark_file(source: Path | str, out: Path | str, payload: int | str, *, force: bool = False, seal: bool = True) -> dict:
    """Write `out` (.wav, .flac or .mp3), `source` with the watermark of `payload` in it; what was
    done, with the mark's signal-to-noise ratio (dB) and the seconds it took. With `seal`, `out`
    is signed with Content Credentials that say it was watermarked (c2pa.watermarked, with the
    payload) from `source`, its parent, keeping the source's own credits; an OGG or AIFF source,
    which the credentials cannot name, leaves it unsigned (`signed` says so)."""
    value = parse_payload(payload)
    target = check_file(out, force=force, inputs=[source], suffixes=WRITABLE)
    audio, rate = read_audio(Path(source))
    if audio.shape[1] < rate:
        raise InvalidRequest(f"{str(source)!r} is under a second long: too short to carry a watermark")
    began = time.perf_counter()
    marked = embed(audio, rate, value)
    seconds = time.perf_counter() - began
    snr = mark_snr_db(audio, marked)
    snr = round(snr, 1) if math.isfinite(snr) else None  # None: nothing changed (silence)
    write_audio(target, marked, rate)
    signed = seal and Path(source).suffix.lower() in MIME
    if signed:
        parent = read_credentials(source)
        manifest = make_manifest(target.stem, human_input=False, credits=parent.get("credits", {}),
                                 action="c2pa.watermarked", watermark=value)
        sign_file(target, target, manifest, signing_identity(), [(Path(source), "parentOf")])
    return {"file": str(target), "payload": f"0x{value:016x}", "snr_db": snr, "embed_seconds": round(seconds, 3),
            "signed": signed}


def read_mark(path: Path | str) -> Detection:
    """The watermark found in an audio file (its payload is None when there is none)."""
    audio, rate = read_audio(Path(path))
    return detect(audio, rate)
