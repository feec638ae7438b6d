"""Track descriptors in the spirit of Spotify's closed audio-features endpoint, each 0-1 and each a
documented formula over named signal features (docs/analysis.md explains them). They are
heuristics, not models trained on listener ratings: use them to compare and sort tracks.

>>> f = Features(tempo=120, pulse_clarity=0.6, beat_regularity=0.95, loudness_lufs=-9, onset_rate=4.0,
...              centroid_hz=2500, major=0.8, crest_db=10, flatness=0.05, voice_modulation=0.1,
...              noise_floor_db=-50, high_ratio=0.08)
>>> d = describe(f)
>>> d["danceability"] > 0.6 and d["energy"] > 0.6 and d["acousticness"] < 0.5
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Features:
    tempo: float  # BPM
    pulse_clarity: float  # onset autocorrelation at the beat period, 0-1
    beat_regularity: float  # 1 - coefficient of variation of the beat intervals
    loudness_lufs: float  # integrated loudness
    onset_rate: float  # onsets per second
    centroid_hz: float  # median spectral centroid
    major: float  # 0-1: how much the major key profile beats the best minor one
    crest_db: float  # peak-to-loudness ratio: true peak minus integrated loudness (dB)
    flatness: float  # median spectral flatness (0 tonal .. 1 noise)
    voice_modulation: float  # share of the 300-3400 Hz envelope's modulation energy at 2-8 Hz
    noise_floor_db: float  # quiet frames (10th percentile RMS) relative to the median, dB
    high_ratio: float  # energy above 5 kHz / total


def _ramp(x: float, lo: float, hi: float) -> float:
    """0 at lo, 1 at hi, linear between."""
    return float(np.clip((x - lo) / (hi - lo), 0.0, 1.0))


def describe(f: Features) -> dict[str, float]:
    """The seven descriptors, rounded to 3 places."""
    tempo_fit = float(np.exp(-0.5 * (np.log2(max(f.tempo, 1.0) / 118.0) / 0.35) ** 2))  # dance tempi ~90-150
    danceability = 0.45 * f.pulse_clarity / 0.6 + 0.3 * f.beat_regularity + 0.25 * tempo_fit
    energy = 0.5 * _ramp(f.loudness_lufs, -30, -6) + 0.25 * _ramp(f.onset_rate, 0.5, 6) + 0.25 * _ramp(f.centroid_hz, 800, 3500)
    valence = 0.5 * f.major + 0.25 * _ramp(f.tempo, 60, 160) + 0.25 * _ramp(f.centroid_hz, 800, 3500)
    acousticness = 0.5 * _ramp(f.crest_db, 8, 20) + 0.3 * (1 - _ramp(f.high_ratio, 0.02, 0.15)) + 0.2 * (1 - _ramp(f.flatness, 0.02, 0.3))
    speechiness = 0.7 * _ramp(f.voice_modulation, 0.25, 0.6) + 0.3 * _ramp(f.flatness, 0.05, 0.35)
    instrumentalness = 1 - _ramp(f.voice_modulation, 0.2, 0.5)
    liveness = 0.6 * _ramp(f.noise_floor_db, -40, -15) + 0.4 * _ramp(f.flatness, 0.1, 0.4)
    values = {"danceability": danceability, "energy": energy, "valence": valence, "acousticness": acousticness,
              "instrumentalness": instrumentalness, "speechiness": speechiness, "liveness": liveness}
    return {name: round(float(np.clip(v, 0.0, 1.0)), 3) for name, v in values.items()}
