"""Audio files: write WAV/FLAC/MP3 atomically with pedalboard, read anything it reads.

>>> import numpy as np, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.wav"
>>> _ = write_audio(path, np.zeros((2, 100), dtype=np.float32), 44100)
>>> read_audio(path)[0].shape
(2, 100)
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from pedalboard.io import AudioFile
from scipy.signal import resample_poly

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.atomic import atomic_path
from maestro_ai.io.mp3 import encode_mp3
from maestro_ai.io.outputs import write_error

WRITE_OPTIONS = {".wav": {"bit_depth": 24}, ".flac": {"bit_depth": 24}, ".mp3": {"quality": "V2"}}
MP3_CHUNKS = 4  # a song's MP3 is encoded as four spliced pieces, two at a time (see io/mp3.py); fixed,
# not the machine's core count, so that a seed gives the same bytes everywhere


def write_audio(path: Path, audio: np.ndarray, sample_rate: int, bit_depth: int | None = None) -> Path:
    """Write (channels, frames) float32 audio atomically; the format follows the extension. A
    failed write (a full disk) raises OutputError and leaves nothing behind."""
    path = Path(path)
    options = dict(WRITE_OPTIONS.get(path.suffix.lower(), {}))
    if not options:
        raise InvalidRequest(f"cannot write {path.suffix!r} audio; use .wav, .flac or .mp3")
    if bit_depth and "bit_depth" in options:
        options["bit_depth"] = bit_depth
    audio = np.atleast_2d(np.asarray(audio, dtype=np.float32))
    try:
        with atomic_path(path) as tmp:
            if path.suffix.lower() == ".mp3":
                tmp.write_bytes(encode_mp3(audio, sample_rate, options["quality"], MP3_CHUNKS))
            else:
                with AudioFile(str(tmp), "w", sample_rate, audio.shape[0], **options) as f:
                    f.write(audio)
    except (OSError, RuntimeError) as exc:  # pedalboard reports a full disk as RuntimeError
        raise write_error(path, exc) from None
    return path


def write_audio_blocks(path: Path, sample_rate: int, channels: int, produce, bit_depth: int | None = None) -> Path:
    """Write WAV or FLAC audio handed over in blocks: `produce(write)` calls `write(block)` with
    (channels, frames) float32 blocks in order (no whole copy of the audio is needed). Atomic
    like `write_audio`, and the same samples for the same audio."""
    path = Path(path)
    options = dict(WRITE_OPTIONS.get(path.suffix.lower(), {}))
    if "bit_depth" not in options:
        raise InvalidRequest(f"cannot write {path.suffix!r} audio in blocks; use .wav or .flac")
    if bit_depth:
        options["bit_depth"] = bit_depth
    try:
        with atomic_path(path) as tmp, AudioFile(str(tmp), "w", sample_rate, channels, **options) as f:
            produce(lambda block: f.write(np.asarray(block, dtype=np.float32)))
    except (OSError, RuntimeError) as exc:  # pedalboard reports a full disk as RuntimeError
        raise write_error(path, exc) from None
    return path


def read_audio(path: Path, frames: int | None = None) -> tuple[np.ndarray, int]:
    """Read a file as (channels, frames) float32 and its sample rate (`frames` trims MP3 padding)."""
    try:
        with AudioFile(str(path)) as f:
            audio, rate = f.read(f.frames), int(f.samplerate)
    except (OSError, ValueError, RuntimeError) as exc:
        raise InvalidRequest(f"cannot read audio {str(path)!r}: {exc}") from None
    if frames is not None:
        audio = audio[:, :frames]
    return audio, rate


def resample(audio: np.ndarray, rate: int, to_rate: int) -> np.ndarray:
    """`audio` (samples on its last axis) at `rate` resampled to `to_rate` by a polyphase filter
    (the same array when the rates agree).

    >>> resample(np.ones(16000), 16000, 22050).shape
    (22050,)
    """
    if rate == to_rate:
        return audio
    common = math.gcd(rate, to_rate)
    return resample_poly(audio, to_rate // common, rate // common, axis=-1)
