import numpy as np
from scipy.signal import welch

from maestro_ai.compose.automation import BRIGHTNESS, controller_value
from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.performance import PPQ, Control, Performance, PlayedPart
from maestro_ai.render.sweep import BLOCK, blocks_of, brightness_cutoffs, moving_lowpass, riser

SR = 44100


def _band_level_db(audio, low, high):
    f, p = welch(audio, SR, nperseg=4096)
    return 10 * np.log10(p[(f >= low) & (f < high)].sum() + 1e-20)


def _noise(seconds, seed=0):
    return np.random.default_rng(seed).standard_normal((2, int(seconds * SR))).astype(np.float32) * 0.1


def test_a_closed_filter_cuts_the_highs_and_keeps_the_body():
    dry = _noise(2.0)
    wet = moving_lowpass(dry.copy(), np.full(blocks_of(dry.shape[1]), 500.0), SR)
    assert _band_level_db(wet[0], 100, 300) - _band_level_db(dry[0], 100, 300) > -1.5  # the body stays
    assert _band_level_db(wet[0], 4000, 8000) - _band_level_db(dry[0], 4000, 8000) < -30  # the edge is gone


def test_open_stretches_are_left_bit_for_bit_and_the_edges_do_not_click():
    dry = _noise(3.0)
    cutoffs = np.full(blocks_of(dry.shape[1]), 20000.0)
    third = len(cutoffs) // 3
    cutoffs[third:2 * third] = 400.0
    wet = moving_lowpass(dry.copy(), cutoffs, SR)
    untouched = (third - 8) * BLOCK
    assert np.array_equal(wet[:, :untouched], dry[:, :untouched])
    assert np.array_equal(wet[:, (2 * third + 8) * BLOCK:], dry[:, (2 * third + 8) * BLOCK:])
    steps = np.abs(np.diff(wet[0]))
    assert steps.max() <= np.abs(np.diff(dry[0])).max()  # no jump bigger than the noise itself makes


def test_a_sweep_opens_the_filter_step_by_step():
    dry = _noise(4.0)
    n = blocks_of(dry.shape[1])
    cutoffs = 300.0 * (12000 / 300.0) ** np.linspace(0, 1, n)
    wet = moving_lowpass(dry.copy(), cutoffs, SR)
    quarters = np.array_split(wet[0], 4)
    highs = [_band_level_db(q, 3000, 6000) for q in quarters]
    assert all(b - a > 3 for a, b in zip(highs, highs[1:]))


def _perf(controls=(), risers=()):
    part = PlayedPart("pad", 89, False, 0, "", [], list(controls))
    return part, Performance(120.0, TimeSignature(4, 4), Key(0, "minor"), [part], 16 * PPQ, list(risers))


def test_brightness_controls_hold_until_the_next_and_jumps_glide():
    closed = controller_value(500.0)
    part, perf = _perf([Control(0, BRIGHTNESS, 127), Control(4 * PPQ, BRIGHTNESS, closed)])
    cutoffs = brightness_cutoffs(part, perf, 4 * SR, SR)  # 120 bpm: the jump at 2 s
    at = int(2 * SR / BLOCK)
    assert cutoffs[at - 10] > 19000 and abs(cutoffs[at + 10] - 500) < 10
    assert 500 < cutoffs[at] < 19000  # mid-glide
    assert brightness_cutoffs(_perf()[0], perf, SR, SR) is None


def test_a_riser_climbs_in_pitch_and_level_into_the_downbeat_and_is_silent_elsewhere():
    _, perf = _perf(risers=[(4 * PPQ, 12 * PPQ)])  # 2 s to 6 s
    out = riser(perf, 8 * SR, SR, np.random.default_rng(1))
    assert not out[:, :2 * SR].any() and not out[:, 6 * SR:].any()
    first, last = out[0, 2 * SR:int(2.5 * SR)], out[0, int(5.4 * SR):int(5.9 * SR)]
    rms = lambda x: 20 * np.log10(np.sqrt(np.mean(x ** 2)))  # noqa: E731
    assert rms(last) - rms(first) > 20

    def centroid(x):
        f, p = welch(x, SR, nperseg=4096)
        return (f * p).sum() / p.sum()
    assert centroid(last) > 4 * centroid(first)
    assert not np.array_equal(out[0], out[1])  # a wide stereo noise
