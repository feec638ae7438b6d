import numpy as np
import pytest

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.audio import write_audio
from maestro_ai.io.stream import Scratch, Source, interleaved, with_context


def test_a_source_streams_blocks_at_any_rate(tmp_path):
    audio = np.random.default_rng(0).standard_normal((2, 50_000)).astype(np.float32) * 0.1
    path = write_audio(tmp_path / "a.flac", audio, 44100)
    blocks = list(Source(path).blocks(size=12_000))
    assert [b.shape[1] for b in blocks] == [12_000] * 4 + [2_000]
    assert np.abs(np.concatenate(blocks, axis=1) - audio).max() < 1e-4
    resampled = np.concatenate(list(Source(path, 22050).blocks()), axis=1)
    assert abs(resampled.shape[1] - 25_000) <= 2


def test_files_that_cannot_be_streamed(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(InvalidRequest, match="cannot read 'notes.txt'"):
        Source(tmp_path / "notes.txt")
    with pytest.raises(InvalidRequest, match="no such audio file"):
        Source(tmp_path / "missing.wav")
    from pedalboard.io import AudioFile

    with AudioFile(str(tmp_path / "surround.wav"), "w", 44100, 6) as f:
        f.write(np.zeros((6, 100), np.float32))
    with pytest.raises(InvalidRequest, match="6 channels; Maestro reads mono or stereo"):
        Source(tmp_path / "surround.wav")


def test_scratch_lives_in_the_temporary_folder_and_goes(tmp_path):
    with Scratch(2, tmp_path) as scratch:
        scratch.append(np.ones((2, 5), np.float32))
        assert scratch.read(3, 7).tolist() == [[1, 1, 0, 0], [1, 1, 0, 0]]
        assert [p.name.startswith(".scratch.maestro-") for p in tmp_path.iterdir()] == [True]
    assert not list(tmp_path.iterdir())


def test_blocks_with_context_and_interleaving():
    blocks = [np.arange(6, dtype=np.float32).reshape(1, 6), np.arange(6, 9, dtype=np.float32).reshape(1, 3)]
    assert [ext.shape[1] for _, ext in with_context(blocks, 2)] == [10, 7]
    assert interleaved(np.array([[1, 2], [3, 4]], np.float32)).tolist() == [1, 3, 2, 4]


def test_sample_rates_that_are_not_audio_are_refused(tmp_path):
    from pedalboard.io import AudioFile

    with AudioFile(str(tmp_path / "slow.wav"), "w", 100, 1) as f:
        f.write(np.zeros((1, 1000), np.float32))
    with pytest.raises(InvalidRequest, match="sampled at 100 Hz"):
        Source(tmp_path / "slow.wav")


class _FailsPartWay:
    """pedalboard's AudioFile, but decoding fails after the first block (a damaged file)."""

    def __init__(self, real, path, *args):
        self._file, self._reads = real(path, *args), 0

    def __enter__(self):
        self._file.__enter__()
        return self

    def __exit__(self, *exc):
        return self._file.__exit__(*exc)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def resampled_to(self, rate):
        return self

    def read(self, frames):
        self._reads += 1
        if self._reads > 1:
            raise RuntimeError("Failed to decode frame")
        return self._file.read(frames)


def test_a_file_that_fails_to_decode_part_way_is_named_as_the_input(tmp_path, monkeypatch):
    from maestro_ai import master
    from maestro_ai.io import stream

    path = write_audio(tmp_path / "in.wav", 0.1 * np.ones((2, 44100 * 30), np.float32), 44100)
    real = stream.AudioFile
    monkeypatch.setattr(stream, "AudioFile", lambda p, *a: _FailsPartWay(real, p, *a))
    with pytest.raises(InvalidRequest, match="cannot read audio .*in.wav.* to the end: Failed to decode"):
        list(Source(path).blocks(44100))
    with pytest.raises(InvalidRequest, match="cannot read audio .*in.wav"):  # not 'cannot write out.wav'
        master(path, tmp_path / "out.wav", report=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.wav"]
