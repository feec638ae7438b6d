import numpy as np

from maestro_ai.production.limiter import limit, oversampled_peak
from maestro_ai.production.loudness import integrated_lufs, measure, true_peak_dbtp
from maestro_ai.production.master import normalize_loudness

SR = 44100


def _music_like(seconds=20, seed=0):
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


def test_limiter_holds_the_true_peak_as_libebur128_measures_it():
    x = _music_like() * 8  # far over full scale
    y = limit(x, SR, ceiling_db=-1.0)
    assert true_peak_dbtp(y, SR) <= -0.9  # libebur128's interpolator differs slightly from ours
    assert float(oversampled_peak(y).max()) <= 10 ** (-1 / 20) + 1e-6


def test_loudness_normalization_hits_the_target_within_half_a_lu():
    for scale in (0.05, 1.0, 6.0):
        y, report = normalize_loudness(_music_like(seed=1) * scale, SR, -14.0, -1.0)
        stats = measure(y, SR)
        assert abs(stats["integrated_lufs"] + 14.0) <= 0.5 and stats["true_peak_dbtp"] <= -1.0
        assert abs(report["integrated_lufs"] - stats["integrated_lufs"]) < 0.05


def test_meter_reads_a_reference_tone():
    t = np.arange(SR * 5) / SR
    tone = np.stack([0.5 * np.sin(2 * np.pi * 997 * t)] * 2).astype(np.float32)
    # BS.1770: a full-scale 997 Hz sine in one channel reads -3.01 LUFS; in both, 0 LUFS; at half amplitude, -6.02.
    assert abs(integrated_lufs(tone, SR) - (-6.02)) < 0.1


def test_the_blockwise_master_equals_the_whole_signal_master_and_hits_the_targets():
    from maestro_ai.production.limiter import gain_curve
    from maestro_ai.production.master import PRECISE_BELOW, apply_master, plan_master

    x = _music_like(seconds=30, seed=3) * 3
    plan = plan_master(x, SR, -14.0, -1.0)
    blockwise, peak = apply_master(x, SR, plan, block_seconds=7.0)
    gain = np.float32(10 ** (plan.gain_db / 20))
    peaks = oversampled_peak(x, plan.ceiling / gain, PRECISE_BELOW * plan.ceiling / gain)
    whole = x * (gain_curve(peaks * gain, plan.ceiling, SR) * gain)
    assert np.array_equal(blockwise, whole.astype(np.float32))
    assert peak == (peaks * gain * gain_curve(peaks * gain, plan.ceiling, SR)).max()
    stats = measure(blockwise, SR)
    assert abs(stats["integrated_lufs"] + 14.0) <= 0.5 and stats["true_peak_dbtp"] <= -1.0
