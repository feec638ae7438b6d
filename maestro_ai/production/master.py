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

from maestro_ai.production.limiter import gain_curve, oversampled_peak
from maestro_ai.production.loudness import integrated_lufs

MARGIN_DB = 0.3  # the limiter aims this far under the ceiling, for meters that interpolate differently
TOLERANCE_LU = 0.2  # well inside the +-0.5 LU promised; each extra round costs a full measurement


def normalize_loudness(audio: np.ndarray, sample_rate: int, target_lufs: float = -14.0,
                       ceiling_dbtp: float = -1.0, max_rounds: int = 4, verify: bool = True) -> tuple[np.ndarray, dict]:
    """Gain to `target_lufs` integrated, limiting true peaks to `ceiling_dbtp`.

    Limiting lowers loudness: the first round predicts that loss from the energy the limiter
    removes and adds it back. With `verify`, each round's result is measured and the gain corrected
    until the integrated loudness is within 0.2 LU of the target (or the rounds run out). Without
    it, the first round's result is returned with `verified: False` and a predicted loudness, for a
    caller that measures it later, in parallel with other work. Peaks scale with gain, so they are
    found once and reused in every round.
    """
    source = integrated_lufs(audio, sample_rate)
    if not np.isfinite(source):
        raise ValueError("audio is silent; nothing to normalize")
    ceiling = 10 ** ((ceiling_dbtp - MARGIN_DB) / 20)
    gain_db = target_lufs - source
    reach_db = gain_db + 1.5  # peaks are interpolated where they could reach the ceiling up to this gain
    peaks = oversampled_peak(audio, ceiling / 10 ** (reach_db / 20))
    energy = float(np.mean(np.square(audio[:, ::8], dtype=np.float64)))
    out, measured, limited = audio, source, None
    for round_ in range(max_rounds):
        if gain_db > reach_db:
            reach_db = gain_db + 1.5
            peaks = oversampled_peak(audio, ceiling / 10 ** (reach_db / 20))
        gain = np.float32(10 ** (gain_db / 20))
        curve = gain_curve(peaks * gain, ceiling, sample_rate)
        if round_ == 0 and energy > 0:
            # Guess the loudness the limiter will take away from its energy loss, and add it back.
            kept = float(np.mean(np.square(audio[:, ::8] * curve[::8], dtype=np.float64))) / energy
            gain_db -= 10 * np.log10(max(kept, 1e-6))
            if gain_db > reach_db:
                reach_db = gain_db + 1.5
                peaks = oversampled_peak(audio, ceiling / 10 ** (reach_db / 20))
            gain = np.float32(10 ** (gain_db / 20))
            curve = gain_curve(peaks * gain, ceiling, sample_rate)
        limited = curve * gain
        out = (audio * limited).astype(np.float32)
        if not verify:
            kept = float(np.mean(np.square(audio[:, ::8] * curve[::8], dtype=np.float64))) / max(energy, 1e-30)
            measured = source + gain_db + 10 * np.log10(max(kept, 1e-6))
            break
        measured = integrated_lufs(out, sample_rate)
        error = target_lufs - measured
        if abs(error) <= TOLERANCE_LU:
            break
        gain_db += error
    peak = float((peaks * limited).max())
    return out, {
        "source_lufs": round(source, 2),
        "gain_db": round(float(gain_db), 2),
        "integrated_lufs": round(float(measured), 2),
        "true_peak_dbtp": round(float(20 * np.log10(peak)), 2) if peak > 0 else -120.0,
        "target_lufs": target_lufs,
        "ceiling_dbtp": ceiling_dbtp,
        "verified": verify,
    }
