import numpy as np
import pytest

from maestro_ai.core.errors import InvalidRequest, OutputError
from maestro_ai.io.audio import read_audio, write_audio

RATE = 44100


def test_formats_round_trip(tmp_path):
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(RATE) / RATE)).astype(np.float32)
    for suffix in (".wav", ".flac"):
        audio, rate = read_audio(write_audio(tmp_path / f"a{suffix}", np.stack([tone, tone]), RATE))
        assert rate == RATE and audio.shape == (2, RATE) and np.abs(audio[0] - tone).max() < 1e-4
    mp3, _ = read_audio(write_audio(tmp_path / "a.mp3", np.stack([tone, tone]), RATE), frames=RATE)
    assert mp3.shape == (2, RATE)
    with pytest.raises(InvalidRequest, match="cannot write '.ogg'"):
        write_audio(tmp_path / "a.ogg", np.stack([tone, tone]), RATE)
    with pytest.raises(InvalidRequest, match="cannot read audio"):
        read_audio(tmp_path / "missing.wav")


def test_a_full_disk_is_an_error_with_a_reason_and_leaves_nothing(full_disk):
    loud = np.random.default_rng(0).standard_normal((2, RATE * 30)).astype(np.float32) * 0.1
    for name in ("mix.wav", "mix.flac", "mix.mp3"):
        with pytest.raises(OutputError, match="no space left on the device; nothing was written"):
            write_audio(full_disk / name, loud, RATE)
    assert not list(full_disk.iterdir())
