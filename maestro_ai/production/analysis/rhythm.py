"""Tempo, beats and metre of audio, from librosa's onset strength and dynamic-programming beat tracker.

>>> import numpy as np
>>> sr = 22050
>>> clicks = np.zeros(sr * 12, dtype=np.float32)
>>> for t in np.arange(0.25, 12, 0.5):  # 120 BPM
...     clicks[int(t * sr):int(t * sr) + 200] = np.hanning(200)
>>> round(tempo_and_beats(clicks, sr).tempo)
120
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HOP = 512
TEMPO_PRIOR_BPM = 110.0  # the tracker's starting guess; its half and double are what it confuses


@dataclass
class Rhythm:
    tempo: float  # BPM, from the slope of the tracked beat times (finer than one beat interval)
    beats: np.ndarray  # beat times in seconds
    confidence: float  # 0-1: how clearly the onsets repeat at the beat period
    onset_envelope: np.ndarray
    frame_rate: float


def tempo_and_beats(y: np.ndarray, sr: int) -> Rhythm:
    """Beats with librosa's tracker. The tempo is 60 / the slope of a line through the beat times
    (by beat number): one interval is quantized to the 23 ms onset frames, the slope is not."""
    import librosa

    envelope = librosa.onset.onset_strength(y=y, sr=sr, hop_length=HOP)
    _, frames = librosa.beat.beat_track(onset_envelope=envelope, sr=sr, hop_length=HOP, start_bpm=TEMPO_PRIOR_BPM)
    beats = librosa.frames_to_time(frames, sr=sr, hop_length=HOP)
    frame_rate = sr / HOP
    if beats.size < 3:
        return Rhythm(0.0, beats, 0.0, envelope, frame_rate)
    period = float(np.median(np.diff(beats)))
    steady = beats[beats.size // 10: beats.size - beats.size // 10] if beats.size >= 10 else beats
    slope = float(np.polyfit(np.arange(steady.size), steady, 1)[0])
    if abs(slope - period) / period < 0.1:  # a tempo change or a lost stretch: keep the median
        period = slope
    return Rhythm(60.0 / period, beats, _pulse_clarity(envelope, period * frame_rate), envelope, frame_rate)


def _pulse_clarity(envelope: np.ndarray, lag: float) -> float:
    """Autocorrelation of the onset envelope at the beat period, relative to lag 0 (0-1)."""
    x = envelope - envelope.mean()
    if not np.any(x):
        return 0.0
    spectrum = np.fft.rfft(x, 2 * x.size)
    acf = np.fft.irfft(np.abs(spectrum) ** 2)[:x.size]
    i = int(round(lag))
    if i <= 0 or i + 2 >= acf.size:
        return 0.0
    return float(np.clip(acf[max(1, i - 2):i + 3].max() / acf[0], 0.0, 1.0))


def metre(rhythm: Rhythm) -> tuple[str, float]:
    """Beats per bar from the accent pattern: the onset strength at each beat, folded by 3 and by
    4 beats at the best phase; the grouping whose strongest position stands out more wins (4/4
    or 3/4; compound metres show as their beat grouping). Returns the signature and a 0-1 confidence."""
    if rhythm.beats.size < 12:
        return "4/4", 0.0
    frames = np.clip(np.round(rhythm.beats * rhythm.frame_rate).astype(int), 0, rhythm.onset_envelope.size - 1)
    accents = rhythm.onset_envelope[frames]
    accents = accents / (accents.mean() + 1e-9)
    scores = {}
    for group in (3, 4):
        usable = accents[:accents.size // group * group].reshape(-1, group).mean(axis=0)
        scores[group] = float(usable.max() - np.delete(usable, usable.argmax()).mean())
    best = max(scores, key=scores.get)
    other = scores[7 - best]
    confidence = float(np.clip((scores[best] - other) / (abs(scores[best]) + 1e-9), 0.0, 1.0))
    return f"{best}/4", round(confidence, 3)
