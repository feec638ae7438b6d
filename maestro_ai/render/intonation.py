"""How a singer moves between pitches: a short glide into each note, and on a held note a
vibrato that waits, then widens to about a third of a semitone either way.

>>> import numpy as np
>>> times = np.arange(0, 2, 0.005)
>>> curve = pitch_curve(times, [(0.0, 1.0, 60, 90), (1.0, 2.0, 64, 90)])
>>> round(float(curve[40]), 2), round(float(curve[200]), 1), round(float(curve[210]), 1)
(60.0, 62.0, 64.0)
>>> bool(0.4 < float(np.ptp(curve[300:400])) < 0.75)  # vibrato on the held second note
True
"""
from __future__ import annotations

import numpy as np

GLIDE_S = 0.035  # the slide from one note's pitch to the next
VIBRATO_MIN_S, VIBRATO_DELAY_S, VIBRATO_RAMP_S = 0.45, 0.22, 0.3
VIBRATO_HZ, VIBRATO_CENTS = 5.8, 35.0  # near the real singer's in docs/vocals-evaluation.md, under 50 cents


def pitch_curve(times: np.ndarray, notes: list[tuple[float, float, int, int]]) -> np.ndarray:
    """The sung pitch (MIDI, fractional) at each time: each note's pitch from its onset (before the
    first, the first), a short glide into it, and vibrato on a held note."""
    starts = np.array([a for a, *_ in notes])
    pitches = np.array([p for *_, p, _ in notes], dtype=np.float64)
    which = np.clip(np.searchsorted(starts, times, side="right") - 1, 0, len(notes) - 1)
    curve = pitches[which]
    for i in range(1, len(notes)):  # a raised-cosine glide centred on each change of note
        a, b = np.searchsorted(times, [starts[i] - GLIDE_S / 2, starts[i] + GLIDE_S / 2])
        if b > a:
            shape = 0.5 - 0.5 * np.cos(np.pi * (times[a:b] - (starts[i] - GLIDE_S / 2)) / GLIDE_S)
            curve[a:b] = pitches[i - 1] + (pitches[i] - pitches[i - 1]) * shape
    for a, b, _, _ in notes:
        if b - a < VIBRATO_MIN_S:
            continue
        first, end = np.searchsorted(times, [a + VIBRATO_DELAY_S, b])
        since = times[first:end] - a - VIBRATO_DELAY_S
        depth = VIBRATO_CENTS / 100 * np.clip(since / VIBRATO_RAMP_S, 0, 1)
        curve[first:end] += depth * np.sin(2 * np.pi * VIBRATO_HZ * since)
    return curve
