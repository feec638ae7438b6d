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

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.io.stream import interleaved
from maestro_ai.production.loudness.truepeak import PRECISE_HALF, oversampled_peak, precise_peak

GATE_SECONDS = 0.4  # BS.1770 measures loudness in 400 ms blocks: shorter audio has none
SILENT_LUFS = -70.0  # BS.1770's absolute gate


def _state(audio: np.ndarray, sample_rate: int, mode: int) -> R128State:
    audio = np.atleast_2d(audio)
    state = R128State(audio.shape[0], sample_rate, mode)
    state.add_frames(interleaved(audio), audio.shape[1])
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


class PeakMeter:
    """True peak (the limiter's 4x interpolator: libebur128's filter, several times faster than
    pyebur128's true-peak mode, same values) and sample peak of audio given in blocks; a few
    frames of the previous block keep the peaks between blocks.

    >>> p = PeakMeter()
    >>> p.add(np.full((2, 100), 0.5, np.float32)); round(p.sample_peak, 2)
    0.5
    """

    OVERLAP = 16

    def __init__(self):
        self._tail: np.ndarray | None = None
        self.true_peak = 0.0
        self.sample_peak = 0.0

    def add(self, block: np.ndarray) -> None:
        joined = block if self._tail is None else np.concatenate([self._tail, block], axis=1)
        # Only samples near the loudest so far can raise the maximum: fewer to interpolate.
        level = max(self.true_peak, float(np.abs(joined).max()))
        self.true_peak = max(self.true_peak, float(oversampled_peak(joined, level).max()))
        self.sample_peak = max(self.sample_peak, float(np.abs(block).max()))
        self._tail = joined[:, -self.OVERLAP:]

    def result(self) -> dict[str, float]:
        return {"true_peak_dbtp": dbfs(self.true_peak), "sample_peak_dbfs": dbfs(self.sample_peak)}


def dbfs(x: float) -> float:
    """A linear level in dB, rounded to 0.01 (-120 for silence), as reports show it.

    >>> dbfs(0.5), dbfs(0.0)
    (-6.02, -120.0)
    """
    return round(float(20 * np.log10(x)), 2) if x > 0 else -120.0


class PreciseTrack:
    """The 8x true peak (limiter.precise_peak) of audio given in blocks, looked for near `near`
    (linear) and above. The last samples of a block wait for the next one: cut off at a block's
    end, the interpolator would ring and over-read them.

    >>> n = np.arange(8820)
    >>> tone = (0.5 * np.sin(2 * np.pi * 1000 * n / 44100) * np.hanning(n.size)).astype(np.float32)
    >>> track = PreciseTrack(near=0.25)
    >>> for part in np.split(np.stack([tone, tone]), 3, axis=1): track.add(part)
    >>> round(track.dbtp, 1)
    -6.0
    """

    def __init__(self, near: float):
        self.near, self._peak = near, 0.0
        self._tail: np.ndarray | None = None

    def add(self, block: np.ndarray) -> None:
        joined = block if self._tail is None else np.concatenate([self._tail, block], axis=1)
        done = joined.shape[1] - PRECISE_HALF
        if done > 0:
            self._peak = max(self._peak, precise_peak(joined, self.near, stop=done))
        self._tail = joined[:, max(0, done - PRECISE_HALF):]

    @property
    def dbtp(self) -> float:
        """The peak so far in dBTP, the audio's end included (silence follows it)."""
        peak = max(self._peak, precise_peak(self._tail, self.near)) if self._tail is not None else self._peak
        return dbfs(peak)


class Meter:
    """Loudness of audio that arrives in blocks: integrated, range, and (PeakMeter) true peak and
    sample peak.

    >>> m = Meter(2, 44100)
    >>> for _ in range(3): m.add(np.full((2, 44100), 0.1, np.float32))
    >>> m.result()["sample_peak_dbfs"]
    -20.0
    """

    def __init__(self, channels: int, sample_rate: int, loudness_range: bool = True, peaks: bool = True):
        mode = MeasurementMode.MODE_I | (MeasurementMode.MODE_LRA if loudness_range else 0)
        self._state = R128State(channels, sample_rate, mode)
        self._range = loudness_range
        self.peaks = PeakMeter() if peaks else None
        self.frames = 0
        self.finite = True  # False once a sample is NaN or infinite

    def add(self, block: np.ndarray) -> None:
        block = np.atleast_2d(block)
        if block.shape[1] == 0:
            return
        if self.finite and not np.isfinite(block).all():
            self.finite = False
        self._state.add_frames(interleaved(block), block.shape[1])
        if self.peaks is not None:
            self.peaks.add(block)
        self.frames += block.shape[1]

    @property
    def integrated(self) -> float:
        return float(pyebur128.get_loudness_global(self._state))

    def result(self) -> dict[str, float]:
        """Integrated loudness and range; the peaks when measured (else -120)."""
        integrated = self.integrated
        peaks = self.peaks.result() if self.peaks is not None else {"true_peak_dbtp": -120.0, "sample_peak_dbfs": -120.0}
        return {"integrated_lufs": round(integrated, 2) if np.isfinite(integrated) else -120.0,
                "loudness_range_lu": round(float(pyebur128.get_loudness_range(self._state)), 2) if self._range else None,
                **peaks}


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
        "true_peak_dbtp": dbfs(tp),
        "sample_peak_dbfs": dbfs(sp),
    }


def check_audio(name: str, task: str, frames: int, sample_rate: int, finite: bool, silent: bool,
                min_seconds: float = GATE_SECONDS) -> None:
    """Refuse audio that cannot be worked on, saying why: empty, too short, damaged (samples that
    are not numbers) or silent. `task` completes "there is nothing to ..." ('master', 'analyze').

    >>> check_audio("x.wav", "master", 4410, 44100, True, False)
    Traceback (most recent call last):
    maestro_ai.core.errors.InvalidRequest: 'x.wav' is 0.1 s long; to master it, give at least 0.4 s of audio
    """
    if frames == 0:
        raise InvalidRequest(f"{name!r} holds no audio; there is nothing to {task}")
    if not finite:
        raise InvalidRequest(f"{name!r} holds samples that are not numbers (NaN or infinity); the file is damaged")
    if frames < min_seconds * sample_rate:
        raise InvalidRequest(f"{name!r} is {frames / sample_rate:.2g} s long; to {task} it, give at least "
                             f"{min_seconds:g} s of audio")
    if silent:
        raise InvalidRequest(f"{name!r} is silent (or nearly); there is nothing to {task}")


def check_measured(name: str, task: str, meter: Meter, sample_rate: int) -> dict:
    """A meter's result for audio that can be worked on (see check_audio)."""
    result = meter.result()
    check_audio(name, task, meter.frames, sample_rate, meter.finite, result["integrated_lufs"] <= SILENT_LUFS)
    return result
