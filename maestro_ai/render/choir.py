"""Backing "ooh"s: each voice of the chords sung on one vowel, by wavetable.

The vowel's spectral envelope comes from the singer's own voice (espeak-ng's "u:", read by WORLD:
render.speech); for each note one cycle of a voice at that pitch is built from it (every harmonic
at the envelope's level there), and read at the voice's pitch, which glides between notes and
carries vibrato as the lead's does. Consecutive notes cross-fade on one shared phase, so a voice
moves from chord to chord without a click. Exactly in tune and cheap: no vocoder runs, and a chorus
that returns the same is sung once.

>>> from maestro_ai.render.speech import speak
>>> from maestro_ai.prompt.singers import load_singer
>>> vowel = speak([("u:",)], load_singer("male-high"))[("u:",)]
>>> audio = ooh_line([(0.0, 1.0, 60, 70), (1.0, 2.0, 62, 70)], vowel, 22050, 22050 * 3)
>>> audio.shape, bool(np.abs(audio[5000:40000]).min() < 0.2 < np.abs(audio[5000:40000]).max())
((66150,), True)
"""
from __future__ import annotations

import numpy as np

from maestro_ai.render.intonation import pitch_curve
from maestro_ai.render.speech import SPEECH_RATE, Spoken

TABLE = 2048  # samples in one cycle
TOP_HZ = 8000.0  # the highest harmonic kept
ATTACK_S, RELEASE_S, CROSSFADE_S = 0.12, 0.25, 0.04


def vowel_envelope(vowel: Spoken) -> np.ndarray:
    """The vowel's mean spectral envelope (power per bin, 0 to SPEECH_RATE / 2) over its vowel frames."""
    return vowel.sp[vowel.vowel_start:vowel.vowel_end].mean(axis=0)


def cycle(envelope: np.ndarray, hz: float) -> np.ndarray:
    """One cycle (TABLE samples) of a voice at `hz` through `envelope`: harmonic k at the
    envelope's amplitude at k * hz."""
    count = max(1, int(min(TOP_HZ, SPEECH_RATE / 2) // hz))
    freqs = hz * np.arange(1, count + 1)
    bins = np.linspace(0, SPEECH_RATE / 2, len(envelope))
    spectrum = np.zeros(TABLE // 2 + 1, dtype=np.complex128)
    spectrum[1:count + 1] = np.sqrt(np.interp(freqs, bins, envelope)) * -1j
    return np.fft.irfft(spectrum, TABLE) * TABLE / 2


def ooh_line(notes: list[tuple[float, float, int, int]], vowel: Spoken, sample_rate: int, frames: int) -> np.ndarray:
    """One backing voice (mono, `frames` long) singing `notes` (start s, end s, MIDI, velocity) on
    the vowel, swelling in and dying away at each rest. Each run of notes between rests is sung
    on its own, and a run that returns the same (a chorus again) is copied."""
    out = np.zeros(frames, dtype=np.float32)
    envelope = vowel_envelope(vowel)
    sung: dict[tuple, np.ndarray] = {}
    for run in _runs(notes):
        origin = run[0][0]
        key = tuple((round(a - origin, 4), round(b - origin, 4), p, v) for a, b, p, v in run)
        audio = sung.get(key)
        if audio is None:
            audio = sung[key] = _sung_run([(a - origin, b - origin, p, v) for a, b, p, v in run], envelope, sample_rate)
        at = int(round(origin * sample_rate))
        end = min(frames, at + len(audio))
        if end > at:
            out[at:end] += audio[:end - at]
    return out


def _runs(notes: list[tuple[float, float, int, int]]) -> list[list[tuple[float, float, int, int]]]:
    """The notes cut wherever a rest is long enough for the voice to die away."""
    runs: list[list] = []
    for note in sorted(notes):
        if runs and note[0] - runs[-1][-1][1] < RELEASE_S:
            runs[-1].append(note)
        else:
            runs.append([note])
    return runs


def _sung_run(notes: list[tuple[float, float, int, int]], envelope: np.ndarray, sample_rate: int) -> np.ndarray:
    """One run of legato notes from time 0, with its release."""
    count = int((notes[-1][1] + RELEASE_S) * sample_rate)
    times = np.arange(count) / sample_rate
    hz = 440.0 * 2 ** ((pitch_curve(times, notes) - 69) / 12)
    phase = np.cumsum(hz / sample_rate) % 1.0 * TABLE
    fade = int(CROSSFADE_S * sample_rate)
    out = np.zeros(count, dtype=np.float32)
    for i, (start, end, pitch, velocity) in enumerate(notes):
        joined_before = i > 0
        joined_after = i + 1 < len(notes)
        a = max(0, int(start * sample_rate) - (fade // 2 if joined_before else 0))
        b = min(count, int((end if joined_after else end + RELEASE_S) * sample_rate) + (fade // 2 if joined_after else 0))
        if b <= a:
            continue
        gain = np.ones(b - a)
        rise = min(b - a, fade if joined_before else int(ATTACK_S * sample_rate))
        fall = min(b - a - rise, fade if joined_after else int(RELEASE_S * sample_rate))
        gain[:rise] = np.sin(np.linspace(0, np.pi / 2, rise)) ** 2
        if fall:
            gain[-fall:] = np.cos(np.linspace(0, np.pi / 2, fall)) ** 2
        table = cycle(envelope, 440.0 * 2 ** ((pitch - 69) / 12)) * (velocity / 100.0)
        out[a:b] += np.interp(phase[a:b], np.arange(TABLE + 1), np.append(table, table[0])) * gain
    return out
