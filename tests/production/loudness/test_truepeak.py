import numpy as np

from maestro_ai.production.loudness.meters import true_peak_dbtp
from maestro_ai.production.loudness.truepeak import oversampled_peak, precise_peak

SR = 44100


def test_peaks_between_samples_are_found():
    n = np.arange(4410)
    x = np.stack([np.sin(2 * np.pi * 11025 / SR * n + 0.785)] * 2).astype(np.float32)  # samples miss the crests
    assert float(np.abs(x).max()) < 0.71
    assert float(oversampled_peak(x).max()) > 0.9 and abs(precise_peak(x, 0.5) - 1.0) < 0.02


def test_the_four_times_peak_agrees_with_libebur128():
    rng = np.random.default_rng(2)
    x = (0.3 * rng.standard_normal((2, SR * 2))).astype(np.float32)
    ours = 20 * np.log10(float(oversampled_peak(x).max()))
    assert abs(ours - true_peak_dbtp(x, SR)) < 0.1
