"""Audio that never sits in memory whole: files read block by block, blocks with context on each
side (for filters that look ahead), and a raw scratch file that can be read back at any position.

>>> import numpy as np
>>> blocks = [np.arange(6, dtype=np.float32).reshape(1, 6), np.arange(6, 9, dtype=np.float32).reshape(1, 3)]
>>> [ext.tolist() for _, ext in with_context(blocks, 2)]
[[[0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]], [[4.0, 5.0, 6.0, 7.0, 8.0, 0.0, 0.0]]]
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from pedalboard.io import AudioFile

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.atomic import remove_stale, temporary_prefix

READABLE = (".wav", ".flac", ".mp3", ".ogg", ".aif", ".aiff")
BLOCK = 122_880  # 2.8 s at 44.1 kHz: FFT-friendly with a 4,097-tap filter, small in memory
RATES = (8000, 384000)  # sample rates read, in Hz


def interleaved(block: np.ndarray) -> np.ndarray:
    """(channels, frames) audio as float32 frames one after another (L R L R ...), flat.

    Copied one channel at a time: numpy's copy of a transposed view runs several times slower.

    >>> interleaved(np.array([[1, 2], [3, 4]], dtype=np.float32)).tolist()
    [1.0, 3.0, 2.0, 4.0]
    """
    block = np.atleast_2d(block)
    out = np.empty((block.shape[1], block.shape[0]), dtype=np.float32)
    for channel, samples in enumerate(block):
        out[:, channel] = samples
    return out.ravel()


class Source:
    """An audio file opened for streaming: sample rate, channels, and its blocks from the start.

    `sample_rate` resamples on the fly (used when an output format cannot hold the file's rate).
    """

    def __init__(self, path: Path, sample_rate: int | None = None):
        self.path = Path(path)
        if self.path.suffix.lower() not in READABLE:
            raise InvalidRequest(f"cannot read {self.path.name!r}: use {', '.join(READABLE)} audio")
        if not self.path.is_file():
            raise InvalidRequest(f"no such audio file: {str(self.path)!r}")
        try:
            with AudioFile(str(self.path)) as f:
                self.native_rate = int(f.samplerate)
                self.channels = int(f.num_channels)
        except (OSError, ValueError, RuntimeError) as exc:
            raise InvalidRequest(f"cannot read audio {str(self.path)!r}: {exc}") from None
        if self.channels not in (1, 2):
            raise InvalidRequest(f"{self.path.name!r} has {self.channels} channels; Maestro reads mono or stereo audio")
        if not RATES[0] <= self.native_rate <= RATES[1]:
            raise InvalidRequest(f"{self.path.name!r} is sampled at {self.native_rate} Hz; Maestro reads audio sampled "
                                 f"at {RATES[0] // 1000}-{RATES[1] // 1000} kHz")
        self.sample_rate = int(sample_rate or self.native_rate)

    def blocks(self, size: int = BLOCK) -> Iterator[np.ndarray]:
        """(channels, frames) float32 blocks of `size` frames (the last one shorter). A file that
        cannot be decoded part way is an InvalidRequest naming it, not an error of the output."""
        try:
            with AudioFile(str(self.path)) as f:
                reader = f.resampled_to(self.sample_rate) if self.sample_rate != self.native_rate else f
                while True:
                    block = reader.read(size)
                    if block.shape[1] == 0:
                        return
                    yield np.ascontiguousarray(block, dtype=np.float32)
        except (OSError, ValueError, RuntimeError) as exc:
            raise InvalidRequest(f"cannot read audio {str(self.path)!r} to the end: {exc}") from None


def with_context(blocks: Iterable[np.ndarray], context: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Each block, and the block with `context` frames of its neighbours on each side (silence
    beyond the ends). Every block but the last must hold at least `context` frames."""
    it = iter(blocks)
    current = next(it, None)
    if current is None:
        return
    channels = current.shape[0]
    behind = np.zeros((channels, context), dtype=np.float32)
    while current is not None:
        following = next(it, None)
        ahead = following[:, :context] if following is not None else np.zeros((channels, 0), np.float32)
        if ahead.shape[1] < context:
            ahead = np.pad(ahead, ((0, 0), (0, context - ahead.shape[1])))
        yield current, np.concatenate([behind, current, ahead], axis=1)
        behind = np.concatenate([behind, current], axis=1)[:, -context:] if context else behind
        current = following


class Scratch:
    """A temporary raw float32 file of (channels, frames) audio, appended in blocks and read back
    at any position. It lives in the temporary folder and is deleted on close; one that a killed
    run left there is removed by the next run (io.atomic.remove_stale).

    >>> with Scratch(1) as s:
    ...     s.append(np.ones((1, 5), np.float32))
    ...     s.read(3, 8).tolist()
    [[1.0, 1.0, 0.0, 0.0, 0.0]]
    """

    def __init__(self, channels: int, folder: Path | str | None = None):
        folder = folder or tempfile.gettempdir()
        remove_stale(folder)
        fd, name = tempfile.mkstemp(prefix=temporary_prefix("scratch"), suffix=".f32", dir=folder)
        self._file = os.fdopen(fd, "w+b")
        self._path = Path(name)
        self.channels = channels
        self.frames = 0

    def append(self, block: np.ndarray) -> None:
        self._file.write(interleaved(block).tobytes())
        self.frames += block.shape[1]

    def flush(self) -> None:
        self._file.flush()

    def read(self, start: int, stop: int) -> np.ndarray:
        """Frames [start, stop), silence where that runs outside the audio."""
        lo, hi = max(0, start), min(self.frames, stop)
        out = np.zeros((self.channels, max(0, stop - start)), dtype=np.float32)
        if hi > lo:
            self._file.flush()
            # pread: no shared file position, so a helper process may read while this one does
            raw = os.pread(self._file.fileno(), (hi - lo) * self.channels * 4, lo * self.channels * 4)
            out[:, lo - start:hi - start] = np.frombuffer(raw, dtype=np.float32).reshape(-1, self.channels).T
        return out

    def blocks(self, size: int = BLOCK) -> Iterator[np.ndarray]:
        for start in range(0, self.frames, size):
            yield self.read(start, min(self.frames, start + size))

    def close(self) -> None:
        self._file.close()
        self._path.unlink(missing_ok=True)

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
