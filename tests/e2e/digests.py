"""Digests of what a track folder's files hold, for the tests that check a song repeats exactly.

A sealed mix carries Content Credentials whose instance id and ECDSA signature are new on every
signing, so an audio file is judged by its samples as soundfile decodes them (its bytes would
differ run to run); every other file by its bytes.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import soundfile

AUDIO = (".wav", ".flac")


def content_digest(path: Path) -> str:
    """SHA-256 of an audio file's decoded samples (with its rate and shape), else of its bytes."""
    path = Path(path)
    if path.suffix.lower() not in AUDIO:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    samples, rate = soundfile.read(path, dtype="int32", always_2d=True)
    return hashlib.sha256(f"{rate} {samples.shape}".encode() + samples.tobytes()).hexdigest()
