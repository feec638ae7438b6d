"""A file's SHA-256, read in 1 MiB blocks (a SoundFont or a song never sits in memory whole).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a"
>>> _ = path.write_bytes(b"abc")
>>> file_sha256(path)[:16]
'ba7816bf8f01cfea'
"""
from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
