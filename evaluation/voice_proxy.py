"""Listening by proxy to the voice: our vocal stem beside a real singer, as spectrograms and a few
traits a singing teacher would name, measured the same way on both.

The real singer is a female voice singing a phrase ("and it's all ...") that ships with Debian's
csoundqt-examples (`apt-get install csoundqt-examples`; LGPL-2.1+ per its copyright file):
REFERENCE below. Without it the comparison is skipped and the report says so.

- vibrato rate (Hz) and extent (cents, half the 5-95 % swing), from pYIN's pitch over every held
  note (`held_notes`: 0.4 s or more on one pitch), its slow drift taken out by a 0.25 s running mean;
- voiced share: the frames pYIN finds voiced, of those above -40 dB of the loudest;
- spectral centroid (Hz, median over voiced frames) and the share of energy above 5 kHz (air and
  sibilance), where a synthetic voice often differs most.
"""
from __future__ import annotations

from pathlib import Path

import librosa
import numpy as np
import soundfile
from scipy.ndimage import median_filter

REFERENCE = Path("/usr/share/csoundqt/Examples/SourceMaterials/AndItsAll.wav")
RATE = 22050
HOP = 256
HELD_S = 0.4
SMOOTH_S = 0.25
STEP_CENTS = 20.0


def loudest_window(audio: np.ndarray, rate: int, seconds: float = 6.0) -> np.ndarray:
    """The `seconds` of `audio` (mono) with the most energy, in whole-second steps."""
    size = int(seconds * rate)
    if len(audio) <= size:
        return audio
    starts = range(0, len(audio) - size, rate)
    best = max(starts, key=lambda a: float(np.sum(audio[a:a + size] ** 2)))
    return audio[best:best + size]


def held_notes(f0: np.ndarray, voiced: np.ndarray, frame_s: float) -> list[np.ndarray]:
    """The frames of each held note: voiced runs cut where the pitch, median-filtered over about a
    vibrato cycle, steps (STEP_CENTS between two frames), kept where HELD_S or longer."""
    notes: list[np.ndarray] = []
    frames = np.flatnonzero(voiced)
    runs = np.split(frames, np.flatnonzero(np.diff(frames) > 1) + 1) if frames.size else []
    for run in runs:
        if len(run) * frame_s < HELD_S:
            continue
        cents = 1200 * np.log2(f0[run] / np.median(f0[run]))
        level = median_filter(cents, size=max(3, int(0.15 / frame_s)), mode="nearest")
        for piece in np.split(run, np.flatnonzero(np.abs(np.diff(level)) > STEP_CENTS) + 1):
            if len(piece) * frame_s >= HELD_S:
                notes.append(piece)
    return notes


def voice_traits(audio: np.ndarray, rate: int) -> dict:
    """Vibrato rate and extent, voiced share, spectral centroid and air of a mono voice recording."""
    y = librosa.resample(np.asarray(audio, dtype=np.float64), orig_sr=rate, target_sr=RATE)
    f0, voiced, _ = librosa.pyin(y, fmin=65, fmax=1100, sr=RATE, frame_length=1024, hop_length=HOP)
    level = librosa.amplitude_to_db(librosa.feature.rms(y=y, frame_length=1024, hop_length=HOP)[0], ref=np.max)
    sounding = level[:len(voiced)] > -40
    rates, extents = [], []
    frame_s = HOP / RATE
    for held in held_notes(f0, voiced, frame_s):
        cents = 1200 * np.log2(f0[held] / np.median(f0[held]))
        width = max(3, int(SMOOTH_S / frame_s))
        wobble = cents - np.convolve(cents, np.ones(width) / width, mode="same")
        wobble = wobble[width // 2:len(wobble) - width // 2]
        if len(wobble) < 8:
            continue
        spectrum = np.abs(np.fft.rfft(wobble * np.hanning(len(wobble)), n=512))
        freqs = np.fft.rfftfreq(512, frame_s)
        band = (freqs >= 3) & (freqs <= 9)
        rates.append(float(freqs[band][np.argmax(spectrum[band])]))
        extents.append(float((np.percentile(wobble, 95) - np.percentile(wobble, 5)) / 2))
    power = np.abs(librosa.stft(y, n_fft=1024, hop_length=HOP)) ** 2
    freqs = librosa.fft_frequencies(sr=RATE, n_fft=1024)
    frames = min(power.shape[1], len(voiced))
    on = np.flatnonzero(voiced[:frames])
    centroid = (freqs[:, None] * power[:, on]).sum(axis=0) / (power[:, on].sum(axis=0) + 1e-20)
    air = power[freqs > 5000].sum() / (power.sum() + 1e-20)
    return {"vibrato_hz": round(float(np.median(rates)), 2) if rates else None,
            "vibrato_cents": round(float(np.median(extents)), 1) if extents else None,
            "held_notes": len(rates),
            "voiced_share": round(float(np.mean(voiced[:len(sounding)][sounding])), 3) if sounding.any() else None,
            "centroid_hz": round(float(np.median(centroid)), 0) if on.size else None,
            "air_share": round(float(air), 4)}


def reference_audio() -> tuple[np.ndarray, int] | None:
    """The real singer (mono), or None where csoundqt-examples is not installed."""
    if not REFERENCE.exists():
        return None
    audio, rate = soundfile.read(REFERENCE, always_2d=True)
    return audio.mean(axis=1), rate


def figure(ours: np.ndarray, ours_rate: int, reference: np.ndarray, reference_rate: int, path: Path,
           label: str) -> None:
    """Two spectrograms (0-8 kHz, the same colour scale relative to each one's loudest) with
    pYIN's pitch drawn over them: ours above, the real singer below."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, axes = plt.subplots(2, 1, figsize=(11, 7), constrained_layout=True)
    for ax, (audio, rate, title) in zip(axes, ((ours, ours_rate, label),
                                               (reference, reference_rate, f"a real singer: {REFERENCE.name} "
                                                                           "(csoundqt-examples)"))):
        y = librosa.resample(np.asarray(audio, dtype=np.float64), orig_sr=rate, target_sr=RATE)
        spec = librosa.amplitude_to_db(np.abs(librosa.stft(y, n_fft=2048, hop_length=HOP)), ref=np.max)
        times = np.arange(spec.shape[1]) * HOP / RATE
        freqs = librosa.fft_frequencies(sr=RATE, n_fft=2048)
        ax.pcolormesh(times, freqs, spec, vmin=-80, vmax=0, shading="auto", cmap="magma")
        f0, _, _ = librosa.pyin(y, fmin=65, fmax=1100, sr=RATE, frame_length=1024, hop_length=HOP)
        ax.plot(np.arange(len(f0)) * HOP / RATE, f0, color="cyan", linewidth=1.0, label="pYIN pitch")
        ax.set_ylim(0, 8000)
        ax.set_ylabel("Hz")
        ax.set_title(title)
        ax.legend(loc="upper right")
    axes[-1].set_xlabel("seconds")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
