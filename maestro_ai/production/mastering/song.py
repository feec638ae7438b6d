"""A song's master in memory: loudness normalization with a true-peak ceiling (the Master stage).

>>> import numpy as np
>>> t = np.arange(44100 * 5) / 44100
>>> x = np.stack([0.05 * np.sin(2 * np.pi * 220 * t)] * 2).astype(np.float32)
>>> y, report = normalize_loudness(x, 44100, target_lufs=-14.0, ceiling_dbtp=-1.0)
>>> abs(report.integrated_lufs - -14.0) < 0.2
True
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np

from maestro_ai.core.results import Loudness, MasterPlan
from maestro_ai.production.loudness.meters import integrated_lufs
from maestro_ai.production.loudness.truepeak import oversampled_peak
from maestro_ai.production.mastering.limiter import WINDOW_MS, gain_curve

MARGIN_DB = 0.3  # the limiter aims this far under the ceiling, for meters that interpolate differently
TOLERANCE_LU = 0.2  # well inside the +-0.5 LU promised; each extra round costs a full measurement

PRECISE_BELOW = 10 ** (-0.8 / 20)  # 4x peaks this close to the ceiling are read again at 8x
PREDICTION_ROUNDS = 4
LIGHT_LOSS_DB = 0.3  # below this, one prediction is close enough
CHECK_TOLERANCE_LU = 0.3  # a song's predicted master further off than this is redone with measured rounds
Reader = Callable[[int, int], np.ndarray]  # read(lo, hi) -> (channels, hi - lo) frames


def limited(read: Reader, frames: int, start: int, stop: int, gain: float, ceiling: float,
            sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """The limiter's gain curve over frames [start, stop) of audio that `read(lo, hi)` returns
    (gain included), and the limited peaks there.

    Peaks and the curve are local (taps and windows of a few ms), so a margin of context on each
    side makes a segment's curve the same as the whole signal's."""
    context = 4 * int(WINDOW_MS * 1e-3 * sample_rate) + 64
    lo, hi = max(0, start - context), min(frames, stop + context)
    peaks = oversampled_peak(read(lo, hi), ceiling / gain, PRECISE_BELOW * ceiling / gain) * np.float32(gain)
    curve = gain_curve(peaks, ceiling, sample_rate)[start - lo:stop - lo]
    return curve * np.float32(gain), peaks[start - lo:stop - lo] * curve


def plan_gain(read: Reader, frames: int, sample_rate: int, source_lufs: float, target_lufs: float,
              ceiling_dbtp: float) -> MasterPlan:
    """Choose the gain that lands on `target_lufs` after limiting, predicting the limiter's loudness
    loss from every fourth second (the energy it takes away there) at the gain it will really get."""
    if not np.isfinite(source_lufs):
        raise ValueError("audio is silent; nothing to normalize")
    ceiling = 10 ** ((ceiling_dbtp - MARGIN_DB) / 20)
    base_db = target_lufs - source_lufs
    loss = LimiterLoss(read, frames, sample_rate, ceiling, 10 ** (base_db / 20))
    gain_db = base_db
    tried: list[tuple[float, float]] = []
    for _ in range(PREDICTION_ROUNDS):  # more gain, more limiting: find where the two agree
        loss_db = loss(gain_db)
        settled = abs(base_db + loss_db - gain_db) < 0.05
        tried.append((gain_db, loss_db))
        if settled or loss_db < LIGHT_LOSS_DB:
            gain_db = base_db + loss_db
            break
        if len(tried) < 2:
            gain_db = base_db + loss_db
            continue
        # The loss grows about linearly with the gain here: jump to where that line meets g = base + loss.
        (g0, l0), (g1, l1) = tried[-2:]
        slope = (l1 - l0) / (g1 - g0) if g1 != g0 else 0.0
        gain_db = (base_db + l1 - slope * g1) / (1 - slope) if 0.0 <= slope < 0.9 else base_db + l1
    return MasterPlan(source_lufs, gain_db, ceiling, target_lufs, ceiling_dbtp)


class LimiterLoss:
    """Energy the limiter takes away at a given gain, in dB, measured on every fourth second.

    The peaks of those seconds are found once (peaks scale with the gain), for gains up to
    HEADROOM above `gain`; each call then only runs the limiter's gain curve."""

    HEADROOM = 2.0  # 6 dB

    def __init__(self, read: Reader, frames: int, sample_rate: int, ceiling: float, gain: float):
        self.ceiling, self.sample_rate = ceiling, sample_rate
        context = 4 * int(WINDOW_MS * 1e-3 * sample_rate) + 64
        self.pieces = []
        for start in range(0, frames, 4 * sample_rate):
            stop = min(frames, start + sample_rate)
            lo, hi = max(0, start - context), min(frames, stop + context)
            peaks = oversampled_peak(read(lo, hi), ceiling / (gain * self.HEADROOM))  # 4x: enough for a prediction
            energy = np.square(read(start, stop).astype(np.float64)).sum(axis=0)
            self.pieces.append((peaks, start - lo, stop - lo, energy))

    def __call__(self, gain_db: float) -> float:
        gain = np.float32(10 ** (gain_db / 20))
        before = after = 0.0
        for peaks, a, b, energy in self.pieces:
            curve = gain_curve(peaks * gain, self.ceiling, self.sample_rate)[a:b].astype(np.float64)
            before += float(energy.sum())
            after += float(np.dot(energy, np.square(curve)))
        return 10 * np.log10(before / after) if after > 0 else 0.0


def plan_master(audio: np.ndarray, sample_rate: int, target_lufs: float = -14.0,
                ceiling_dbtp: float = -1.0) -> MasterPlan:
    """Measure in-memory audio and choose its gain (see plan_gain)."""
    return plan_gain(lambda lo, hi: audio[:, lo:hi], audio.shape[1], sample_rate,
                     integrated_lufs(audio, sample_rate), target_lufs, ceiling_dbtp)


def apply_master(audio: np.ndarray, sample_rate: int, plan: MasterPlan, workers: int = 2,
                 block_seconds: float = 5.0) -> tuple[np.ndarray, float]:
    """The mastered audio and its highest limited true peak (linear).

    The limiter's blocks are independent (each reads its own context), so they run on `workers`
    threads; numpy releases the GIL on arrays this size, and 5 s blocks stay in cache."""
    gain = 10 ** (plan.gain_db / 20)
    step = int(block_seconds * sample_rate)
    frames = audio.shape[1]
    out = np.empty((audio.shape[0], frames), dtype=np.float32)

    def block(start: int) -> float:
        stop = min(frames, start + step)
        curve, peaks = limited(lambda lo, hi: audio[:, lo:hi], frames, start, stop, gain, plan.ceiling, sample_rate)
        np.multiply(audio[:, start:stop], curve, out=out[:, start:stop], casting="unsafe")
        return float(peaks.max()) if peaks.size else 0.0

    with ThreadPoolExecutor(max_workers=workers) as pool:
        peak = max(pool.map(block, range(0, frames, step)), default=0.0)
    return out, peak


def normalize_loudness(audio: np.ndarray, sample_rate: int, target_lufs: float = -14.0,
                       ceiling_dbtp: float = -1.0, max_rounds: int = 4) -> tuple[np.ndarray, Loudness]:
    """Gain to `target_lufs` integrated, limiting true peaks to `ceiling_dbtp`, measuring each round.

    The first round uses `plan_master`'s predicted gain; each result is measured and the gain
    corrected until the integrated loudness is within 0.2 LU of the target (or the rounds run out).
    (The pipeline masters with `plan_master` and `apply_master`, measuring once, and falls back to
    this when a prediction misses.)
    """
    plan = plan_master(audio, sample_rate, target_lufs, ceiling_dbtp)
    out, peak = apply_master(audio, sample_rate, plan)
    return _corrected(audio, sample_rate, plan, out, peak, integrated_lufs(out, sample_rate), max_rounds - 1)


def _corrected(audio: np.ndarray, sample_rate: int, plan: MasterPlan, out: np.ndarray, peak: float, measured: float,
               rounds: int) -> tuple[np.ndarray, Loudness]:
    """`plan`'s master (`out`, its true peak and loudness), mastered again with the gain corrected
    by the miss, up to `rounds` more times, until within TOLERANCE_LU of the target."""
    for _ in range(rounds):
        error = plan.target_lufs - measured
        if abs(error) <= TOLERANCE_LU:
            break
        plan = replace(plan, gain_db=plan.gain_db + error)
        out, peak = apply_master(audio, sample_rate, plan)
        measured = integrated_lufs(out, sample_rate)
    return out, plan.report(measured, float(20 * np.log10(peak)) if peak > 0 else -120.0)


class SongMaster:
    """A song's master: planned and limited in memory at once, its loudness measured on `pool`
    while the files are written. `settle()` waits for the measurement; a prediction that missed
    by more than CHECK_TOLERANCE_LU (rare) is mastered again, measuring each round.

    >>> from concurrent.futures import ThreadPoolExecutor
    >>> t = np.arange(44100 * 5) / 44100
    >>> x = np.stack([0.05 * np.sin(2 * np.pi * 220 * t)] * 2).astype(np.float32)
    >>> with ThreadPoolExecutor(1) as pool:
    ...     master = SongMaster(x, 44100, -14.0, -1.0, pool)
    ...     redone = master.settle()
    >>> abs(master.loudness.integrated_lufs + 14.0) < 0.3
    True
    """

    def __init__(self, mix: np.ndarray, sample_rate: int, target_lufs: float, ceiling_dbtp: float, pool) -> None:
        self.mix, self.sample_rate = mix, sample_rate
        self.target_lufs, self.ceiling_dbtp = target_lufs, ceiling_dbtp
        self.plan = plan_master(mix, sample_rate, target_lufs, ceiling_dbtp)
        self.audio, self.peak = apply_master(mix, sample_rate, self.plan)
        self._measuring = pool.submit(integrated_lufs, self.audio, sample_rate)
        self.loudness: Loudness | None = None

    def settle(self) -> bool:
        """Wait for the measurement; True when the master had to be made again (its audio changed)."""
        measured = self._measuring.result()
        self.loudness = self.plan.report(measured, 20 * np.log10(self.peak) if self.peak > 0 else -120.0)
        if abs(measured - self.target_lufs) <= CHECK_TOLERANCE_LU:
            return False
        # The first of normalize_loudness's rounds is the master already made: go on from it.
        self.audio, self.loudness = _corrected(self.mix, self.sample_rate, self.plan, self.audio, self.peak, measured, 3)
        return True
