import numpy as np

from maestro_ai.core.mixdown import Mixdown, audio_of


class Stored:
    def load(self):
        return np.ones((2, 3), np.float32)


def test_stems_in_memory_or_stored():
    mix = Mixdown({"a": np.zeros((2, 3), np.float32), "b": Stored()}, np.zeros((2, 3), np.float32), 44100, {})
    assert mix.frames == 3 and audio_of(mix.stems["a"]).sum() == 0 and audio_of(mix.stems["b"]).sum() == 6
