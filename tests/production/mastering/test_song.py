from concurrent.futures import ThreadPoolExecutor

import numpy as np

from maestro_ai.production.loudness.meters import measure
from maestro_ai.production.loudness.truepeak import oversampled_peak
from maestro_ai.production.mastering import song
from maestro_ai.production.mastering.limiter import gain_curve
from maestro_ai.production.mastering.song import PRECISE_BELOW, SongMaster, apply_master, normalize_loudness, plan_master

SR = 44100


def music_like(seconds=20, seed=0):
    """Chords of decaying partials with drum-like clicks: peaky, band-limited, not a sine."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    out = np.zeros((2, t.size), dtype=np.float64)
    for start in np.arange(0, seconds, 0.5):
        idx = t >= start
        env = np.exp(-(t[idx] - start) * 4)
        for f in rng.choice([110, 165, 220, 277, 330, 440, 554, 660], 3, replace=False):
            out[:, idx] += env * np.sin(2 * np.pi * f * (t[idx] - start) + rng.uniform(0, 6))
        click = int(start * SR)
        out[:, click:click + 200] += rng.normal(0, 2.0, (2, 200)) * np.exp(-np.arange(200) / 40)
    return (out * 0.1).astype(np.float32)


def test_loudness_normalization_hits_the_target_within_half_a_lu():
    for scale in (0.05, 1.0, 6.0):
        y, report = normalize_loudness(music_like(seed=1) * scale, SR, -14.0, -1.0)
        stats = measure(y, SR)
        assert abs(stats["integrated_lufs"] + 14.0) <= 0.5 and stats["true_peak_dbtp"] <= -1.0
        assert abs(report.integrated_lufs - stats["integrated_lufs"]) < 0.05


def test_the_blockwise_master_equals_the_whole_signal_master_and_hits_the_targets():
    x = music_like(seconds=30, seed=3) * 3
    plan = plan_master(x, SR, -14.0, -1.0)
    blockwise, peak = apply_master(x, SR, plan, block_seconds=7.0)
    gain = np.float32(10 ** (plan.gain_db / 20))
    peaks = oversampled_peak(x, plan.ceiling / gain, PRECISE_BELOW * plan.ceiling / gain)
    whole = x * (gain_curve(peaks * gain, plan.ceiling, SR) * gain)
    assert np.array_equal(blockwise, whole.astype(np.float32))
    assert peak == (peaks * gain * gain_curve(peaks * gain, plan.ceiling, SR)).max()
    stats = measure(blockwise, SR)
    assert abs(stats["integrated_lufs"] + 14.0) <= 0.5 and stats["true_peak_dbtp"] <= -1.0


def test_a_song_master_that_missed_its_prediction_is_made_again(monkeypatch):
    x = music_like(seconds=12, seed=4)
    with ThreadPoolExecutor(1) as pool:
        assert not SongMaster(x, SR, -14.0, -1.0, pool).settle()
        monkeypatch.setattr(song, "CHECK_TOLERANCE_LU", -1.0)  # every prediction counts as a miss
        master = SongMaster(x, SR, -14.0, -1.0, pool)
        assert master.settle()
    assert abs(measure(master.audio, SR)["integrated_lufs"] - master.loudness.integrated_lufs) < 0.05
