"""Musical statistics for judging melodies (after MGEval, Yang & Lerch 2018, and Wu & Yang 2020).

A melody here is a list of (start, pitch, duration) with times in 16ths.

>>> scale = [(i * 4, p, 4) for i, p in enumerate([60, 62, 64, 65, 67, 69, 71, 72])]
>>> scale_consistency(scale), round(pitch_class_entropy(scale), 2), pitch_range(scale)
(1.0, 2.75, 12)
>>> groove_consistency([(0, 60, 4), (4, 62, 4), (16, 60, 4), (20, 62, 4)], 16)
1.0
"""
from __future__ import annotations

import numpy as np

MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10)
INTERVAL_BINS = np.arange(-12.5, 13.5, 1.0)  # semitones, leaps beyond an octave in the end bins
IOI_BINS = np.arange(0.5, 17.5, 1.0)  # 16ths


def scale_consistency(melody) -> float:
    """The largest share of notes inside one major or natural-minor scale, over all 24 keys."""
    pcs = np.array([p % 12 for _, p, _ in melody])
    if not len(pcs):
        return 0.0
    best = 0.0
    for tonic in range(12):
        for steps in (MAJOR, MINOR):
            best = max(best, float(np.isin(pcs, [(tonic + s) % 12 for s in steps]).mean()))
    return best


def pitch_class_entropy(melody) -> float:
    """Shannon entropy (bits) of the pitch-class histogram (note counts)."""
    counts = np.bincount([p % 12 for _, p, _ in melody], minlength=12).astype(float)
    if counts.sum() == 0:
        return 0.0
    probs = counts[counts > 0] / counts.sum()
    return float(-(probs * np.log2(probs)).sum())


def pitch_range(melody) -> int:
    pitches = [p for _, p, _ in melody]
    return max(pitches) - min(pitches) if pitches else 0


def intervals(melody) -> list[int]:
    ordered = sorted(melody)
    return [b[1] - a[1] for a, b in zip(ordered, ordered[1:])]


def inter_onset_intervals(melody) -> list[int]:
    ordered = sorted(melody)
    return [b[0] - a[0] for a, b in zip(ordered, ordered[1:])]


def groove_consistency(melody, bar16: int) -> float:
    """1 - the mean Hamming distance between the onset patterns of consecutive bars (per 16th)."""
    if not melody:
        return 0.0
    bars = max(s for s, _, _ in melody) // bar16 + 1
    grid = np.zeros((bars, bar16), dtype=bool)
    for start, _, _ in melody:
        grid[start // bar16, start % bar16] = True
    if bars < 2:
        return 1.0
    return float(1.0 - (grid[1:] != grid[:-1]).mean())


def histogram(values, bins: np.ndarray) -> np.ndarray:
    """A normalized histogram; values beyond the bins count in the end bins."""
    clipped = np.clip(np.asarray(values, dtype=float), bins[0] + 0.5, bins[-1] - 0.5)
    counts, _ = np.histogram(clipped, bins=bins)
    return counts / max(1, counts.sum())


def overlap_area(a: np.ndarray, b: np.ndarray) -> float:
    """The overlapping area of two normalized histograms (1 = the same distribution)."""
    return float(np.minimum(a, b).sum())


def pitch_ngrams(melody, n: int) -> list[tuple]:
    """n-note figures as (pitch, duration) pairs, for diversity across seeds."""
    ordered = sorted(melody)
    return [tuple((p, d) for _, p, d in ordered[i:i + n]) for i in range(len(ordered) - n + 1)]
