import numpy as np

from maestro_ai.production.loudness.meters import true_peak_dbtp
from maestro_ai.production.loudness.truepeak import oversampled_peak
from maestro_ai.production.mastering.limiter import gain_curve, limit, moving_average, moving_min
from tests.production.mastering.test_song import SR, music_like


def test_limiter_holds_the_true_peak_as_libebur128_measures_it():
    x = music_like() * 8  # far over full scale
    y = limit(x, SR, ceiling_db=-1.0)
    assert true_peak_dbtp(y, SR) <= -0.9  # libebur128's interpolator differs slightly from ours
    assert float(oversampled_peak(y).max()) <= 10 ** (-1 / 20) + 1e-6


def test_the_gain_curve_reaches_down_before_a_peak_and_never_above_one():
    peaks = np.full(4000, 0.5, np.float32)
    peaks[2000] = 2.0
    gain = gain_curve(peaks, 1.0, SR)
    assert gain.max() <= 1.0 and gain[2000] <= 0.5 and gain[1990] < 1.0 and gain[0] == 1.0
    assert moving_min(np.array([3.0, 1.0, 3.0, 3.0, 3.0]), 3).tolist() == [1.0, 1.0, 1.0, 3.0, 3.0]
    assert moving_average(np.ones(10, np.float32), 4).tolist() == [1.0] * 10
