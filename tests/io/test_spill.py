import numpy as np
import pytest

from maestro_ai.io.spill import Spills


def test_spilled_stems_come_back_exactly_and_their_files_go(tmp_path):
    audio = np.random.default_rng(0).standard_normal((2, 1000)).astype(np.float32)
    with Spills(tmp_path) as spills:
        stem = spills.put(audio)
        assert len(list(tmp_path.iterdir())) == 1
        trim = np.float32(0.7)
        stem.scale(trim)
        expected = audio.copy()
        expected *= trim
        assert np.array_equal(stem.load(), expected)  # bit for bit what a trim in memory gives
        with pytest.raises(ValueError):
            stem.scale(trim)
    assert not list(tmp_path.iterdir())
