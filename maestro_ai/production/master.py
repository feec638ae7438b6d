"""Loudness normalization with a true-peak ceiling: the final stage of every generated track.

>>> import numpy as np
>>> t = np.arange(44100 * 5) / 44100
>>> x = np.stack([0.05 * np.sin(2 * np.pi * 220 * t)] * 2).astype(np.float32)
>>> y, report = normalize_loudness(x, 44100, target_lufs=-14.0, ceiling_dbtp=-1.0)
>>> abs(report["integrated_lufs"] - -14.0) < 0.2
True
"""
from __future__ import annotations

import numpy as np

from maestro_ai.production.limiter import limit, oversampled_peak
from maestro_ai.production.loudness import integrated_lufs

MARGIN_DB = 0.3  # the limiter aims this far under the ceiling, for meters that interpolate differently
TOLERANCE_LU = 0.1


def normalize_loudness(audio: np.ndarray, sample_rate: int, target_lufs: float = -14.0,
                       ceiling_dbtp: float = -1.0, max_rounds: int = 4) -> tuple[np.ndarray, dict]:
    """Gain to `target_lufs` integrated, limiting true peaks to `ceiling_dbtp`.

    Limiting lowers loudness, so the gain is corrected and the limiter run again until the
    integrated loudness is within 0.1 LU of the target (or the rounds run out).
    """
    source = integrated_lufs(audio, sample_rate)
    if not np.isfinite(source):
        raise ValueError("audio is silent; nothing to normalize")
    gain_db = target_lufs - source
    out, measured = audio, source
    for _ in range(max_rounds):
        out = limit(audio * np.float32(10 ** (gain_db / 20)), sample_rate, ceiling_dbtp - MARGIN_DB)
        measured = integrated_lufs(out, sample_rate)
        error = target_lufs - measured
        if abs(error) <= TOLERANCE_LU:
            break
        gain_db += error
    peak = float(oversampled_peak(out).max())
    return out, {
        "source_lufs": round(source, 2),
        "gain_db": round(gain_db, 2),
        "integrated_lufs": round(measured, 2),
        "true_peak_dbtp": round(20 * np.log10(peak), 2) if peak > 0 else -120.0,
        "target_lufs": target_lufs,
        "ceiling_dbtp": ceiling_dbtp,
    }
