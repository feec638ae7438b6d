"""Sections of a piece: boundaries where a checkerboard kernel along the diagonal of the beat-level
self-similarity matrix finds novelty (Foote 2000), labelled A, B, C ... by how alike they sound
(a returning chorus gets its earlier letter).

>>> import numpy as np
>>> a, b = np.tile([[1.0], [0.0]], 32), np.tile([[0.0], [1.0]], 32)
>>> features = np.hstack([a, b, a])  # 96 beats: A B A
>>> [(s["label"], s["start"]) for s in sections(features, np.arange(97) * 0.5)]
[('A', 0.0), ('B', 16.0), ('A', 32.0)]
"""
from __future__ import annotations

import numpy as np

KERNEL_SECONDS = 16.0  # half-width of the checkerboard: novelty is judged over 16 s each side
MIN_SECTION_SECONDS = 6.0
SECONDS_PER_SECTION = 15.0  # sections are rarely shorter: at most one boundary per 15 s
PROMINENT = 0.25  # a boundary's novelty must reach this share of the strongest one
SAME = 0.6  # sections whose mean features have at least this cosine similarity share a label


def _novelty(similarity: np.ndarray, half: int) -> np.ndarray:
    n = similarity.shape[0]
    sign = np.ones((2 * half, 2 * half))
    sign[:half, half:] = sign[half:, :half] = -1
    taper = np.outer(np.hanning(2 * half), np.hanning(2 * half))
    kernel = sign * taper
    padded = np.pad(similarity, half, mode="constant")
    return np.array([np.sum(kernel * padded[i:i + 2 * half, i:i + 2 * half]) for i in range(n)])


def sections(features: np.ndarray, beat_edges: np.ndarray) -> list[dict]:
    """Sections of (dims, beats) beat-synchronous features; `beat_edges` holds beats + 1 times."""
    beats = features.shape[1]
    beat_seconds = float(np.median(np.diff(beat_edges))) if beats > 1 else 1.0
    half = max(2, int(round(KERNEL_SECONDS / beat_seconds)))
    shortest = max(2, int(round(MIN_SECTION_SECONDS / beat_seconds)))
    if beats < 2 * shortest:
        return [{"label": "A", "start": 0.0, "end": round(float(beat_edges[-1]), 3), "start_beat": 0}]
    unit = features / np.maximum(np.linalg.norm(features, axis=0), 1e-12)
    similarity = unit.T @ unit
    novelty = _novelty(similarity, min(half, beats // 4))
    wanted = max(1, int((beat_edges[-1] - beat_edges[0]) / SECONDS_PER_SECTION))
    floor = PROMINENT * max(float(novelty.max()), 1e-12)
    peaks = [i for i in range(1, beats - 1)
             if novelty[i] >= novelty[i - 1] and novelty[i] > novelty[i + 1] and novelty[i] > floor]
    chosen: list[int] = []
    for i in sorted(peaks, key=lambda i: -novelty[i]):
        if len(chosen) == wanted:
            break
        if i >= shortest and beats - i >= shortest and all(abs(i - j) >= shortest for j in chosen):
            chosen.append(i)
    edges = [0, *sorted(chosen), beats]
    means = [unit[:, a:b].mean(axis=1) for a, b in zip(edges, edges[1:])]
    labels: list[str] = []
    for k, mean in enumerate(means):
        match = next((labels[j] for j in range(k) if _cosine(mean, means[j]) >= SAME), None)
        labels.append(match or chr(ord("A") + len(set(labels))))
    return [{"label": label, "start": round(float(beat_edges[a]), 3), "end": round(float(beat_edges[b]), 3),
             "start_beat": a} for label, a, b in zip(labels, edges, edges[1:])]


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-12))
