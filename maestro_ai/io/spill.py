"""Stems parked on disk while a song is made: each stem waits in a raw float32 scratch file
instead of memory between rendering and writing, so a long song needs a few stems' worth of
memory, not all of them at once.

>>> import numpy as np
>>> with Spills() as spills:
...     stem = spills.put(np.ones((2, 4), np.float32))
...     stem.scale(np.float32(0.5))
...     stem.load().tolist()
[[0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5]]
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from maestro_ai.io.atomic import remove_stale, temporary_prefix


class Spilled:
    """One stem in a scratch file, and the gain still to apply to it (a float32 multiply, as it
    would have been applied in memory, so the samples come back exactly the same)."""

    def __init__(self, path: Path, shape: tuple[int, ...]) -> None:
        self.path, self.shape = path, shape
        self.gain: np.float32 | None = None
        self.envelope: np.ndarray | None = None  # a gain per frame (a bus compressor's), applied first

    def shape_by(self, envelope: np.ndarray) -> None:
        if self.envelope is not None or self.gain is not None:
            raise ValueError("a spilled stem takes one envelope, before its gain")
        self.envelope = envelope

    def scale(self, gain: np.float32) -> None:
        if self.gain is not None:
            raise ValueError("a spilled stem takes one gain")
        self.gain = np.float32(gain)

    def load(self) -> np.ndarray:
        audio = np.fromfile(self.path, dtype=np.float32).reshape(self.shape)
        if self.envelope is not None:
            audio *= self.envelope
        if self.gain is not None:
            audio *= self.gain
        return audio

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class Spills:
    """The scratch files of one song, in the temporary folder, all removed on close."""

    def __init__(self, folder: Path | str | None = None) -> None:
        self.folder = Path(folder or tempfile.gettempdir())
        remove_stale(self.folder)
        self._stems: list[Spilled] = []

    def put(self, audio: np.ndarray) -> Spilled:
        fd, name = tempfile.mkstemp(prefix=temporary_prefix("stem"), suffix=".f32", dir=self.folder)
        with os.fdopen(fd, "wb") as f:
            np.ascontiguousarray(audio, dtype=np.float32).tofile(f)
        stem = Spilled(Path(name), audio.shape)
        self._stems.append(stem)
        return stem

    def close(self) -> None:
        for stem in self._stems:
            stem.discard()

    def __enter__(self) -> Spills:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
