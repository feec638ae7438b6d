"""Loudness per ITU-R BS.1770-4 / EBU R128 with libebur128 (pyebur128), and true peak (4x oversampled).

>>> import numpy as np
>>> t = np.arange(44100 * 3) / 44100
>>> tone = np.stack([0.1 * np.sin(2 * np.pi * 997 * t)] * 2).astype(np.float32)
>>> round(integrated_lufs(tone, 44100), 1)
-20.0
"""
from __future__ import annotations

import numpy as np
import pyebur128
from pyebur128 import MeasurementMode, R128State


def _state(audio: np.ndarray, sample_rate: int, mode: int) -> R128State:
    audio = np.atleast_2d(audio)
    state = R128State(audio.shape[0], sample_rate, mode)
    interleaved = np.ascontiguousarray(audio.T, dtype=np.float32).ravel()
    state.add_frames(interleaved, audio.shape[1])
    return state


def integrated_lufs(audio: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness in LUFS of (channels, frames) audio."""
    return float(pyebur128.get_loudness_global(_state(audio, sample_rate, MeasurementMode.MODE_I)))


def true_peak_dbtp(audio: np.ndarray, sample_rate: int) -> float:
    """Maximum true peak over all channels, in dBTP."""
    audio = np.atleast_2d(audio)
    state = _state(audio, sample_rate, MeasurementMode.MODE_TRUE_PEAK)
    peak = max(pyebur128.get_true_peak(state, ch) for ch in range(audio.shape[0]))
    return float(20 * np.log10(peak)) if peak > 0 else -np.inf


def measure(audio: np.ndarray, sample_rate: int) -> dict[str, float]:
    """Integrated loudness, loudness range, true peak and sample peak, in one pass."""
    audio = np.atleast_2d(audio)
    mode = MeasurementMode.MODE_I | MeasurementMode.MODE_LRA | MeasurementMode.MODE_TRUE_PEAK
    state = _state(audio, sample_rate, mode)
    tp = max(pyebur128.get_true_peak(state, ch) for ch in range(audio.shape[0]))
    sp = float(np.abs(audio).max()) if audio.size else 0.0
    return {
        "integrated_lufs": round(float(pyebur128.get_loudness_global(state)), 2),
        "loudness_range_lu": round(float(pyebur128.get_loudness_range(state)), 2),
        "true_peak_dbtp": round(float(20 * np.log10(tp)) if tp > 0 else -120.0, 2),
        "sample_peak_dbfs": round(float(20 * np.log10(sp)) if sp > 0 else -120.0, 2),
    }
