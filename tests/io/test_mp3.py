"""MP3 encoded in spliced chunks: frames found by their lengths, the joined stream continuous
across the splice (judged by ffmpeg's decoder where installed), one correct Xing header."""
from __future__ import annotations

import shutil
import subprocess
from collections import Counter

import numpy as np
import pytest
from pedalboard.io import AudioFile
from scipy.signal import correlate

from maestro_ai.io.mp3 import DECODER_DELAY, FRAME, crc16, encode_mp3, frame_spans, read_xing

RATE = 44100


def music_like(seconds: float, seed: int = 3) -> np.ndarray:
    """Stereo plucked notes of random pitch and decaying noise bursts (a hi-hat's hiss): material
    whose every frame differs, so a lost or repeated frame shows."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    out = np.zeros((2, n), dtype=np.float32)
    t = np.arange(int(0.6 * RATE)) / RATE
    for start in range(0, n - t.size, int(0.21 * RATE)):
        f = 110 * 2 ** (rng.uniform(0, 36) / 12)
        note = sum(np.sin(2 * np.pi * f * k * t) / k for k in (1, 2, 3)) * np.exp(-5 * t)
        hiss = rng.standard_normal(t.size) * np.exp(-40 * t)
        pan = rng.uniform(0.3, 1.0)
        out[0, start:start + t.size] += 0.2 * pan * note + 0.05 * hiss
        out[1, start:start + t.size] += 0.2 * (1.3 - pan) * note + 0.05 * hiss
    return out


def decode(data: bytes, tmp_path) -> np.ndarray:
    """Decoded with ffmpeg where it is installed (an independent decoder), else pedalboard."""
    path = tmp_path / "x.mp3"
    path.write_bytes(data)
    if shutil.which("ffmpeg"):
        raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "2", "-"],
                             capture_output=True, check=True).stdout
        return np.frombuffer(raw, np.float32).reshape(-1, 2).T
    with AudioFile(str(path)) as f:
        return f.read(f.frames)


def lags_and_snr(reference: np.ndarray, decoded: np.ndarray) -> tuple[set[int], np.ndarray]:
    """The decoder's delay, measured every half second that is not near silence (one value if no
    frame was lost or repeated), and the signal-to-error ratio of every 50 ms window once aligned."""
    windows = []
    for i in range(RATE // 2, reference.shape[1] - RATE, RATE // 2):
        piece = reference[0, i:i + RATE // 2]
        if np.sqrt((piece ** 2).mean()) < 1e-3:  # a song's ring-out: no delay to measure in near silence
            continue
        span = decoded[0, i - 3000:i + RATE // 2 + 3000]
        corr = correlate(span, piece, "valid", method="fft")
        # Normalized by the decoded audio's energy at each shift: a louder stretch a few ms away
        # (a note coming in) must not outscore the true alignment.
        energy = np.convolve(span.astype(np.float64) ** 2, np.ones(len(piece)), "valid")
        windows.append(corr / np.sqrt(np.maximum(energy, 1e-12)))
    # The delay most windows agree on; music that repeats or holds still within the search span
    # (a sustained chord) can match almost as well elsewhere, so a window that fits that delay
    # within 1% of its own best is not evidence of a lost or doubled frame.
    common = Counter(int(np.argmax(corr)) for corr in windows).most_common(1)[0][0]
    lags = {(common if corr[common] >= 0.99 * corr.max() else int(np.argmax(corr))) - 3000 for corr in windows}
    lag = common - 3000
    aligned = decoded[:, lag:lag + reference.shape[1]]
    w = RATE // 20
    usable = min(aligned.shape[1], reference.shape[1]) // w * w
    ref = reference[:, :usable].reshape(2, -1, w)
    err = aligned[:, :usable].reshape(2, -1, w) - ref
    power, noise = (ref ** 2).mean(axis=(0, 2)), (err ** 2).mean(axis=(0, 2))
    loud = power > 1e-4
    return lags, 10 * np.log10(power[loud] / np.maximum(noise[loud], 1e-20))


def test_spliced_stream_is_continuous_and_as_clean_as_one_encoder(tmp_path):
    audio = music_like(24)
    joined, single = encode_mp3(audio, RATE, chunks=4), encode_mp3(audio, RATE, chunks=1)
    lags, snr = lags_and_snr(audio, decode(joined, tmp_path))
    assert len(lags) == 1  # the same delay across the splices at 6, 12 and 18 s: no frame lost or doubled
    _, snr_single = lags_and_snr(audio, decode(single, tmp_path))
    assert snr.min() > 12 and np.median(snr) > np.median(snr_single) - 2
    if shutil.which("ffmpeg"):  # a gapless decoder reads the LAME tag: exactly the song, no delay
        assert lags == {0} and decode(joined, tmp_path).shape[1] == audio.shape[1]


def test_a_lost_frame_would_show(tmp_path):
    audio = music_like(12)
    data = encode_mp3(audio, RATE, chunks=1)
    start, length = frame_spans(data)[200]  # about 5 s in
    lags, _ = lags_and_snr(audio, decode(data[:start] + data[start + length:], tmp_path))
    assert len(lags) == 2


def test_xing_header_counts_the_joined_stream():
    data = encode_mp3(music_like(20), RATE, chunks=2)
    spans = frame_spans(data)
    xing = read_xing(data)
    assert xing["frames"] == len(spans) - 1 and xing["bytes"] == len(data)
    assert xing["frames"] * FRAME >= 20 * RATE + DECODER_DELAY  # the last sample sounds through the decoder's delay
    assert xing["toc"] == sorted(xing["toc"])
    assert xing["encoder_delay"] == 0 and xing["padding"] == xing["frames"] * FRAME - 20 * RATE
    lame = data.index(b"LAME")  # LAME's extension: the file's length, then the music and tag CRCs
    assert int.from_bytes(data[lame + 28:lame + 32], "big") == len(data)
    assert int.from_bytes(data[lame + 32:lame + 34], "big") == crc16(data[spans[0][1]:])
    assert int.from_bytes(data[lame + 34:lame + 36], "big") == crc16(data[:lame + 34])


def test_chunks_give_the_same_bytes_every_time():
    audio = music_like(15)
    assert encode_mp3(audio, RATE, chunks=2) == encode_mp3(audio, RATE, chunks=2)


def test_frames_are_found_by_length_not_by_searching_for_tags():
    data = bytearray(encode_mp3(music_like(12), RATE, chunks=2))
    spans = frame_spans(bytes(data))
    start, length = spans[len(spans) // 2]
    data[start + length - 8:start + length - 4] = b"Xing"  # audio data may hold these bytes by chance
    assert frame_spans(bytes(data)) == spans
    with pytest.raises(ValueError):
        frame_spans(bytes(data[:start + 3]) + b"\x00" * 10)


def test_short_audio_is_one_plain_encode():
    audio = music_like(3)
    assert encode_mp3(audio, RATE, chunks=2) == encode_mp3(audio, RATE, chunks=1)


def test_crc16_matches_the_bitwise_definition():
    def bitwise(data: bytes) -> int:  # CRC-16/ARC one bit at a time, as the catalogue defines it
        crc = 0
        for byte in data:
            crc ^= byte
            for _ in range(8):
                crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        return crc

    rng = np.random.default_rng(9)
    for n in (0, 5, 4095, 4096, 70_001, 300_001):
        data = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
        assert crc16(data) == bitwise(data), n
