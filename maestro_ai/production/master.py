"""Loudness normalization with a true-peak ceiling: the final stage of every generated track.

>>> import numpy as np
>>> t = np.arange(44100 * 5) / 44100
>>> x = np.stack([0.05 * np.sin(2 * np.pi * 220 * t)] * 2).astype(np.float32)
>>> y, report = normalize_loudness(x, 44100, target_lufs=-14.0, ceiling_dbtp=-1.0)
>>> abs(report["integrated_lufs"] - -14.0) < 0.2
True
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np

from maestro_ai.production.limiter import WINDOW_MS, gain_curve, oversampled_peak
from maestro_ai.production.loudness import integrated_lufs

MARGIN_DB = 0.3  # the limiter aims this far under the ceiling, for meters that interpolate differently
TOLERANCE_LU = 0.2  # well inside the +-0.5 LU promised; each extra round costs a full measurement


@dataclass(frozen=True)
class MasterPlan:
    """What a streamed master needs before its first block: the gain and the limiter's ceiling."""

    source_lufs: float
    gain_db: float
    predicted_lufs: float
    ceiling: float  # linear, margin included
    target_lufs: float
    ceiling_dbtp: float

    def report(self, integrated: float, true_peak: float) -> dict:
        return {"source_lufs": round(self.source_lufs, 2), "gain_db": round(self.gain_db, 2),
                "integrated_lufs": round(integrated, 2), "true_peak_dbtp": round(true_peak, 2),
                "target_lufs": self.target_lufs, "ceiling_dbtp": self.ceiling_dbtp}


def _segment(audio: np.ndarray, start: int, stop: int, gain: float, ceiling: float,
             sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """The limiter's gain curve over [start, stop) (gain included) and the limited peaks there.

    Peaks and the curve are local (taps and windows of a few ms), so a margin of context on each
    side makes a segment's curve the same as the whole signal's."""
    context = 4 * int(WINDOW_MS * 1e-3 * sample_rate) + 64
    lo, hi = max(0, start - context), min(audio.shape[1], stop + context)
    peaks = oversampled_peak(audio[:, lo:hi], ceiling / gain) * np.float32(gain)
    curve = gain_curve(peaks, ceiling, sample_rate)[start - lo:stop - lo]
    return curve * np.float32(gain), peaks[start - lo:stop - lo] * curve


def plan_master(audio: np.ndarray, sample_rate: int, target_lufs: float = -14.0,
                ceiling_dbtp: float = -1.0) -> MasterPlan:
    """Measure the source and choose the gain, predicting the limiter's loudness loss from every
    fourth second of the song (the energy it takes away there)."""
    source = integrated_lufs(audio, sample_rate)
    if not np.isfinite(source):
        raise ValueError("audio is silent; nothing to normalize")
    ceiling = 10 ** ((ceiling_dbtp - MARGIN_DB) / 20)
    gain_db = target_lufs - source
    second = sample_rate
    before = after = 0.0
    for start in range(0, audio.shape[1], 4 * second):
        stop = min(audio.shape[1], start + second)
        curve, _ = _segment(audio, start, stop, 10 ** (gain_db / 20), ceiling, sample_rate)
        piece = audio[:, start:stop].astype(np.float64)
        before += float(np.sum(np.square(piece))) * 10 ** (gain_db / 10)
        after += float(np.sum(np.square(piece * curve)))
    loss_db = 10 * np.log10(before / after) if after > 0 else 0.0
    return MasterPlan(source, gain_db + loss_db, target_lufs, ceiling, target_lufs, ceiling_dbtp)


def master_blocks(audio: np.ndarray, sample_rate: int, plan: MasterPlan,
                  block_seconds: float = 10.0) -> Iterator[tuple[np.ndarray, float]]:
    """The mastered audio in blocks, each with its highest limited true peak, for an encoder that
    can start before the whole song is done."""
    gain = 10 ** (plan.gain_db / 20)
    step = int(block_seconds * sample_rate)
    for start in range(0, audio.shape[1], step):
        stop = min(audio.shape[1], start + step)
        curve, peaks = _segment(audio, start, stop, gain, plan.ceiling, sample_rate)
        yield (audio[:, start:stop] * curve).astype(np.float32), float(peaks.max()) if peaks.size else 0.0


def normalize_loudness(audio: np.ndarray, sample_rate: int, target_lufs: float = -14.0,
                       ceiling_dbtp: float = -1.0, max_rounds: int = 4) -> tuple[np.ndarray, dict]:
    """Gain to `target_lufs` integrated, limiting true peaks to `ceiling_dbtp`, measuring each round.

    The first round uses `plan_master`'s predicted gain; each result is measured and the gain
    corrected until the integrated loudness is within 0.2 LU of the target (or the rounds run out).
    (The pipeline streams its master with `plan_master` and `master_blocks`, and falls back to this
    when a prediction misses.)
    """
    plan = plan_master(audio, sample_rate, target_lufs, ceiling_dbtp)
    for _ in range(max_rounds):
        blocks = list(master_blocks(audio, sample_rate, plan))
        out = np.concatenate([block for block, _ in blocks], axis=1)
        peak = max(block_peak for _, block_peak in blocks)
        measured = integrated_lufs(out, sample_rate)
        error = target_lufs - measured
        if abs(error) <= TOLERANCE_LU:
            break
        plan = replace(plan, gain_db=plan.gain_db + error)
    return out, plan.report(measured, float(20 * np.log10(peak)) if peak > 0 else -120.0)
