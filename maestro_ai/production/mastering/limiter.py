"""A true-peak-safe look-ahead limiter.

The gain needed to hold the true peaks (loudness.truepeak) under the ceiling is spread over a
look-ahead window with a min-filter and smoothed with a moving average no longer than that
window, so the smoothed gain never lets a peak through.

>>> import numpy as np
>>> x = np.zeros((2, 44100), dtype=np.float32); x[:, 1000] = 2.0
>>> y = limit(x, 44100, ceiling_db=-1.0)
>>> float(oversampled_peak(y).max()) <= 10 ** (-1 / 20) + 1e-6
True
"""
from __future__ import annotations

import numpy as np

from maestro_ai.production.loudness.truepeak import oversampled_peak

WINDOW_MS = 8.0  # look-ahead of the gain curve


def moving_min(x: np.ndarray, size: int) -> np.ndarray:
    """Centred running minimum over `size` samples (odd), in O(n) (van Herk / Gil-Werman)."""
    half = size // 2
    padded = np.pad(x, (half, half + (-(len(x) + 2 * half)) % size), mode="edge")
    blocks = padded.reshape(-1, size)
    prefix = np.minimum.accumulate(blocks, axis=1).ravel()
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    n = len(x)
    return np.minimum(suffix[:n], prefix[size - 1:size - 1 + n])


def moving_average(x: np.ndarray, size: int) -> np.ndarray:
    """Centred running mean over `size` samples, edges padded with the edge value."""
    half = size // 2
    padded = np.pad(x.astype(np.float64), (half + 1, size - half - 1), mode="edge")
    csum = np.cumsum(padded)
    return ((csum[size:] - csum[:-size]) / size).astype(x.dtype)


def gain_curve(peaks: np.ndarray, ceiling: float, sample_rate: int, window_ms: float = WINDOW_MS) -> np.ndarray:
    """Smooth gain (<= 1) that keeps every peak at or under `ceiling` (linear)."""
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12)).astype(np.float32)
    gain = np.ones_like(needed)
    half = max(1, int(window_ms * 1e-3 * sample_rate))
    # Only stretches with something to limit are filtered; a block of margin on each side holds
    # ones, so each stretch's edges behave as in the whole signal.
    block = 4 * half  # small: only the neighbourhoods of limited peaks are filtered
    flagged = np.flatnonzero(np.minimum.reduceat(needed, np.arange(0, len(needed), block)) < 1.0)
    if flagged.size == 0:
        return gain
    runs = np.split(flagged, np.flatnonzero(np.diff(flagged) > 2) + 1)
    for run in runs:
        lo, hi = max(0, (run[0] - 1) * block), min(len(needed), (run[-1] + 2) * block)
        part = needed[lo:hi]
        held = moving_min(part, 2 * half + 1)
        smooth = moving_average(held, half)
        # Gain applies to a whole sample interval: take the stricter of each sample and its neighbour.
        strict = np.minimum(part, np.concatenate([part[:1], part[:-1]]))
        gain[lo:hi] = np.minimum(smooth, strict)
    return gain


def limit(audio: np.ndarray, sample_rate: int, ceiling_db: float = -1.0) -> np.ndarray:
    """Limit so that the 4x oversampled peak stays at or below `ceiling_db`."""
    ceiling = 10 ** (ceiling_db / 20)
    gain = gain_curve(oversampled_peak(audio, ceiling), ceiling, sample_rate)
    return (audio * gain).astype(np.float32)
