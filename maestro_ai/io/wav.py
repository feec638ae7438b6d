"""Plain PCM WAV written by hand, for writers that must see every byte of the file as it goes
out (sealing hashes a stem while it is written, then appends its Content Credentials as a chunk
after the audio: see provenance/streamed.py).

The samples are the ones pedalboard writes for the same float audio (`pcm`), so a file written
here reads back exactly like one written by `io.audio.write_audio`.

>>> import numpy as np
>>> np.frombuffer(pcm(np.array([[1.0, -1.0, 0.25, 2.0]], dtype=np.float32), 16), "<i2").tolist()
[32767, -32768, 8192, 32767]
>>> header = wav_header(frames=4, channels=1, sample_rate=44100, bit_depth=16)
>>> len(header), header[:4], header[36:40]
(44, b'RIFF', b'data')
"""
from __future__ import annotations

import struct

import numpy as np

BLOCK_FRAMES = 1 << 16  # converted this many frames at a time: the float64 temporaries stay small


def pcm(block: np.ndarray, bit_depth: int) -> bytes:
    """(channels, frames) float audio as interleaved little-endian PCM of `bit_depth` (16 or 24)
    bits, rounded as pedalboard (JUCE) rounds: clipped to [-1, 1], scaled to a 32-bit integer
    (x (2^31 - 1), to the nearest, ties to even), then its top bits kept (toward minus infinity).

    That is floor(x (2^31 - 1) / 2^s + 2^-(s+1)) for a shift s (16 or 8), clipped to the range,
    worked in float64: dividing by 2^s is exact, the half-step added is exact at these
    magnitudes, and adding half a step before the floor crosses a multiple of 2^s exactly where
    rounding to the nearest integer would (a tie rounds to the even neighbour, and a multiple of
    2^s is even)."""
    if bit_depth not in (16, 24):
        raise ValueError(f"wav: {bit_depth}-bit PCM is not written here (16 or 24)")
    block = np.asarray(block)
    channels, frames = block.shape
    shift = 32 - bit_depth
    scale, half = (2 ** 31 - 1) / 2 ** shift, 0.5 / 2 ** shift
    low, high = -(2 ** (bit_depth - 1)), 2 ** (bit_depth - 1) - 1
    out = np.empty((frames, channels), dtype="<i2" if bit_depth == 16 else "<i4")
    work = np.empty((min(frames, BLOCK_FRAMES), channels))
    for first in range(0, frames, BLOCK_FRAMES):
        part = work[:min(BLOCK_FRAMES, frames - first)]
        np.multiply(block[:, first:first + BLOCK_FRAMES].T, scale, out=part, dtype=np.float64)
        part += half
        np.floor(part, out=part)
        np.clip(part, low, high, out=part)
        out[first:first + len(part)] = part
    if bit_depth == 16:
        return out.tobytes()
    # the low three bytes of each, a byte column at a time (twice as fast as one strided copy)
    four, three = out.reshape(-1).view(np.uint8).reshape(-1, 4), np.empty((out.size, 3), dtype=np.uint8)
    for k in range(3):
        three[:, k] = four[:, k]
    return three.tobytes()


def wav_header(frames: int, channels: int, sample_rate: int, bit_depth: int, trailing: int = 0) -> bytes:
    """The 44 bytes before the samples of a PCM WAV of `frames`; `trailing`: the bytes of the
    chunks that will follow the audio (and its pad byte), which the RIFF size counts."""
    width = bit_depth // 8
    data = frames * channels * width
    riff = 4 + 24 + 8 + data + (data & 1) + trailing
    return (struct.pack("<4sI4s", b"RIFF", riff, b"WAVE")
            + struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, channels, sample_rate, sample_rate * channels * width,
                          channels * width, bit_depth)
            + struct.pack("<4sI", b"data", data))


def chunk(name: bytes, body: bytes) -> bytes:
    """A RIFF chunk: its four-letter name, size, body and the pad byte an odd size needs."""
    return struct.pack("<4sI", name, len(body)) + body + b"\0" * (len(body) & 1)
