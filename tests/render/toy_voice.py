"""A voice engine of the tests' own: a source-filter voice in numpy (a pulse train through three
formant resonators for vowels and nasals, filtered noise for the other consonants), speaking at
16 kHz. It stands for any engine a package plugs in (core.voices), and is nobody's voice."""
from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from maestro_ai.core.voices import RegisteredVoice, VoiceConsent
from maestro_ai.prompt.syllables import is_vowel

RATE = 16000
FORMANTS = {"a": (730, 1090, 2440), "i": (270, 2290, 3010), "u": (300, 870, 2240), "e": (530, 1840, 2480),
            "o": (570, 840, 2410), "@": (500, 1500, 2500)}
NASAL = (250, 1700, 2500)
PITCH_HZ = {"low": 110.0, "high": 190.0}


def _resonated(source: np.ndarray, formants: tuple[int, ...]) -> np.ndarray:
    out = np.zeros_like(source)
    for hz in formants:
        r = np.exp(-np.pi * 90 / RATE)
        out += lfilter([1 - r], [1, -2 * r * np.cos(2 * np.pi * hz / RATE), r * r], source)
    return out


def _voiced(seconds: float, pitch_hz: float, formants: tuple[int, ...]) -> np.ndarray:
    n = int(seconds * RATE)
    phase = np.cumsum(np.full(n, pitch_hz * (1 - 0.05 * np.linspace(0, 1, n))) / RATE)  # speech falls a little
    pulses = (np.diff(np.floor(phase), prepend=0.0) > 0).astype(float)
    return _resonated(pulses, formants) * np.hanning(n) ** 0.3


class ToyFormantEngine:
    """Speaks a syllable's phonemes one after another; remembers what it was asked to say."""

    name, version = "toy-formant", "1.0"

    def __init__(self) -> None:
        self.said: list[tuple[str, ...]] = []

    def say(self, phonemes: tuple[str, ...], voice: str) -> tuple[np.ndarray, int]:
        self.said.append(phonemes)
        rng = np.random.default_rng(len(self.said))
        pieces = [np.zeros(int(0.05 * RATE))]
        for p in phonemes:
            bare = p.lstrip("',")
            if is_vowel(bare):
                pieces.append(_voiced(0.2, PITCH_HZ[voice], FORMANTS.get(bare[0].lower(), FORMANTS["@"])))
            elif bare in ("m", "n", "N"):
                pieces.append(0.5 * _voiced(0.06, PITCH_HZ[voice], NASAL))
            else:
                pieces.append(0.05 * _resonated(rng.standard_normal(int(0.05 * RATE)), (2500, 4000, 6000)))
        pieces.append(np.zeros(int(0.05 * RATE)))
        audio = np.concatenate(pieces)
        return audio / (np.abs(audio).max() + 1e-9) * 0.5, RATE

    def credit(self, voice: str) -> str:
        return "a three-formant source-filter voice written for Maestro's tests, no one's recording"


def toy_tenor(engine: ToyFormantEngine | None = None, name: str = "toy-tenor") -> RegisteredVoice:
    return RegisteredVoice(name, "toy tenor (formant synthesis)", 48, 67, engine or ToyFormantEngine(), "low",
                           VoiceConsent("synthetic", "Maestro's tests", "formant synthesis in numpy: no person's voice"))


def voices() -> list[RegisteredVoice]:
    """What an installed package's entry point returns."""
    return [toy_tenor(name="toy-plugin")]
