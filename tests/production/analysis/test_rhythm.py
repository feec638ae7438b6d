import numpy as np

from maestro_ai.production.analysis.rhythm import metre, tempo_and_beats

SR = 22050


def _clicks(bpm, seconds, accent_every):
    y = np.zeros(int(SR * seconds), np.float32)
    beat = 60.0 / bpm
    for i, t in enumerate(np.arange(0.5, seconds - 0.5, beat)):
        start = int(t * SR)
        y[start:start + 300] += (1.0 if i % accent_every == 0 else 0.35) * np.exp(-np.arange(300) / 40)
    return y


def test_tempo_beats_and_a_waltz():
    rhythm = tempo_and_beats(_clicks(120, 20, 4), SR)
    assert abs(rhythm.tempo - 120) < 2.5 and len(rhythm.beats) > 30
    waltz = tempo_and_beats(_clicks(120, 30, 3), SR)
    assert metre(waltz)[0] == "3/4" and metre(rhythm)[0] == "4/4"
