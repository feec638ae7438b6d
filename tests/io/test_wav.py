"""Our own PCM WAV bytes, judged by pedalboard (the writer they must match sample for sample),
soundfile and ffmpeg reading them back."""
import shutil
import subprocess

import numpy as np
import pytest
import soundfile

from maestro_ai.io.audio import write_audio
from maestro_ai.io.wav import chunk, pcm, wav_header

RATE = 44100
FFMPEG = shutil.which("ffmpeg")


@pytest.mark.parametrize("bit_depth", [16, 24])
def test_the_samples_are_pedalboard_s_to_the_last_bit(bit_depth, mixes, tmp_path):
    music, _ = soundfile.read(mixes["jazz"], dtype="float32", always_2d=True)
    rng = np.random.default_rng(1)
    edges = np.array([1.0, -1.0, 1.5, -1.5, 0.0, 2 ** -15, -(2 ** -15), 2 ** -23, 0.5 / 32768, -0.5 / 32768])
    steps = rng.integers(-40000, 40000, 20000) / 32768  # values on and near the 16-bit grid
    audio = np.concatenate([music.T[:, :RATE * 5], np.tile(np.concatenate([edges, steps]), (2, 1))], axis=1).astype(np.float32)
    ours = tmp_path / "ours.wav"
    ours.write_bytes(wav_header(audio.shape[1], 2, RATE, bit_depth) + pcm(audio, bit_depth))
    theirs = write_audio(tmp_path / "theirs.wav", audio, RATE, bit_depth=bit_depth)
    read_ours, rate = soundfile.read(ours, dtype="int32")
    assert rate == RATE and soundfile.info(ours).subtype == f"PCM_{bit_depth}"
    assert np.array_equal(read_ours, soundfile.read(theirs, dtype="int32")[0])


@pytest.mark.skipif(FFMPEG is None, reason="ffmpeg is not installed")
def test_ffmpeg_reads_the_audio_and_steps_over_a_chunk_after_it(tmp_path):
    tone = (0.5 * np.sin(np.arange(RATE, dtype=np.float32) / 7))[None]
    body = pcm(tone, 16)  # mono 16-bit: an even length; then an odd chunk, padded
    path = tmp_path / "tone.wav"
    extra = chunk(b"C2PA", b"abc")
    path.write_bytes(wav_header(RATE, 1, RATE, 16, trailing=len(extra)) + body + extra)
    assert len(extra) == 12 and path.stat().st_size == 44 + len(body) + 12
    decoded = subprocess.run([FFMPEG, "-v", "error", "-i", str(path), "-f", "s16le", "-"], capture_output=True,
                             check=True, timeout=60).stdout
    assert decoded == body
