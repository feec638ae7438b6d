"""Syllables spoken by espeak-ng and taken apart by the WORLD vocoder, for the singer to sing.

espeak-ng (Debian's `espeak-ng`, GPL-3: a formant synthesiser, no one's recording) speaks every
distinct syllable of a song once, on its own, from its phonemes ("[[r'eIn]]"), stressed so its
vowel is full; the calls run on both cores. WORLD
(pyworld, MIT) reads each syllable as a pitch track, a spectral envelope and an aperiodicity per
5 ms frame, and finds its vowel: the voiced frames within VOWEL_DB of its loudest, which the singer
stretches over the notes, while the consonants before and after it keep their own timing.

A registered voice (core.voices) speaks its syllables with its own engine instead, at its own
sample rate (resampled to espeak-ng's); WORLD reads them the same way.

>>> from maestro_ai.prompt.singers import load_singer
>>> spoken = speak([("r", "eI", "n")], load_singer("male-high"))[("r", "eI", "n")]
>>> spoken.frames > spoken.vowel_end > spoken.vowel_start > 0, spoken.sp.shape[1]
(True, 129)
"""
from __future__ import annotations

import functools
import io
import subprocess
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pyworld
import soundfile
from scipy.signal import lfilter

from maestro_ai.core.voices import registered_voices
from maestro_ai.io.audio import resample
from maestro_ai.prompt.singers import ESPEAK_NG, Singer
from maestro_ai.prompt.syllables import espeak, is_vowel

SPEECH_RATE = 22050  # espeak-ng's own sample rate; WORLD works at it
FRAME_MS = 5.0
SYNTH_FFT = 256
AP_EVERY = 4
HIGH_VOICE_HZ = 140.0
WORD_GAP = 40  # espeak-ng's -g (a word alone: it changes nothing but is kept as the voice was judged)
SILENCE_S = 0.2  # a quiet stretch this long parts a syllable from a click around it
QUIET_DB = -50.0  # below the loudest frame: silence
VOWEL_DB = 9.0  # a vowel's frames lie within this of the syllable's loudest voiced frame
SMOOTH_FRAMES = 5
HEARD_DB = 45.0  # a syllable is heard where it is within this of its loudest frame
SPEED_WPM = 230
PAD_S = 0.02


@dataclass(frozen=True)
class Spoken:
    """One syllable as WORLD reads it: per frame, its pitch (Hz, 0 unvoiced), spectral envelope
    and aperiodicity; where its vowel starts and ends, and where it is heard from and to (frames)."""

    f0: np.ndarray
    sp: np.ndarray
    ap: np.ndarray
    vowel_start: int
    vowel_end: int
    first: int = 0
    last: int = -1

    @property
    def frames(self) -> int:
        return len(self.f0)


@functools.cache
def espeak_version() -> str:
    """espeak-ng's version ("1.51"), or "not installed"."""
    program = espeak()
    if program is None:
        return "not installed"
    said = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30).stdout.split()
    return next((w for w in said if w[:1].isdigit()), "unknown")


def voice_credit(singer: Singer) -> dict:
    """What sang, for a song's credits: the voice is synthetic, from which engines and voice, and
    the consent it sings with (for a registered voice: whose it is, who registered it, and their words)."""
    world = f"sung by the WORLD vocoder (pyworld {pyworld.__version__}, MIT)"
    if singer.engine == ESPEAK_NG:
        return {"synthetic": True, "engine": f"espeak-ng {espeak_version()} (GPL-3) speaking each syllable, {world}",
                "engine_voice": singer.voice,
                "consent": "a formant-synthesis voice that ships with espeak-ng: no person's recording or voice was used"}
    registered = registered_voices()[singer.name]
    engine, consent = registered.engine, registered.consent
    return {"synthetic": True, "engine": f"{engine.name} {engine.version} speaking each syllable "
                                         f"({engine.credit(singer.voice)}), {world}",
            "engine_voice": singer.voice, "voice_of": consent.voice_of, "registered_by": consent.registered_by,
            "consent": consent.statement}


def phoneme_text(phonemes: tuple[str, ...]) -> str:
    """espeak-ng's phoneme input for a syllable, its first vowel stressed (sung full, not reduced).

    >>> phoneme_text(("D", "@")), phoneme_text(("l", "aI", "t", "s")), phoneme_text(())
    ("[[D'@]]", "[[l'aIts]]", "[['@]]")
    """
    sounds = list(phonemes) or ["@"]
    first = next((i for i, p in enumerate(sounds) if is_vowel(p)), None)
    if first is None:
        sounds.append("@")
        first = len(sounds) - 1
    sounds[first] = "'" + sounds[first]
    return "[[" + "".join(sounds) + "]]"


def speak(syllables: list[tuple[str, ...]], singer: Singer, known: dict | None = None,
          pool: Executor | None = None) -> dict[tuple[str, ...], Spoken]:
    """Each distinct syllable (its phonemes) spoken in the singer's voice and analysed, a syllable
    at a time (on `pool`'s threads where given: espeak-ng runs as a program of its own, and WORLD
    lets go of the GIL). Without espeak-ng, a neutral vowel stands in for every syllable of its
    voices. `known` ({(engine, voice, phonemes): Spoken}, shared by the parts of one song) is
    looked in first and given what is new."""
    known = {} if known is None else known
    distinct = list(dict.fromkeys(syllables))
    say = _sayer(singer)
    if say is None:
        return dict.fromkeys(distinct, _vowel_only())
    voice = (singer.engine, singer.voice)
    new = [s for s in distinct if (*voice, s) not in known]
    if new:
        def said(syllable: tuple[str, ...]) -> Spoken:
            return analyse(max(_cut(say(syllable)) or [np.zeros(256)], key=len))
        known.update(zip([(*voice, s) for s in new], pool.map(said, new) if pool else map(said, new)))
    return {s: known[(*voice, s)] for s in distinct}


def _sayer(singer: Singer) -> Callable[[tuple[str, ...]], np.ndarray] | None:
    """What speaks one syllable on its own for `singer`, as audio at SPEECH_RATE (None: espeak-ng
    is missing). espeak-ng says each syllable as a whole word: spoken in one batch, cut at the
    pauses, the syllables cost a tenth of the time but come out of a running utterance, and their
    vowels start later on the beat (folk's onsets within 30 ms fell from 95 % to 87 % in
    evaluation.vocals)."""
    if singer.engine == ESPEAK_NG:
        program = espeak()
        return None if program is None else lambda syllable: _run(program, phoneme_text(syllable), singer.voice)
    registered = registered_voices().get(singer.name)
    if registered is None:
        raise RuntimeError(f"voice {singer.name!r} is no longer registered")
    engine = registered.engine

    def said(syllable: tuple[str, ...]) -> np.ndarray:
        return engine_audio(*engine.say(syllable, singer.voice), engine.name)
    return said


def engine_audio(audio: object, rate: object, engine: str) -> np.ndarray:
    """A voice engine's syllable as mono float64 at SPEECH_RATE (a clear error for anything else).

    >>> engine_audio(np.ones(16000, dtype=np.float32) * 0.5, 16000, "toy").shape
    (22050,)
    """
    audio = np.asarray(audio, dtype=np.float64)
    if audio.ndim != 1 or not isinstance(rate, int) or not 8000 <= rate <= 192000 or not np.isfinite(audio).all():
        raise RuntimeError(f"voice engine {engine!r} must return mono audio (finite numbers) and its sample rate "
                           f"(8000-192000 Hz), not shape {audio.shape} at {rate!r:.20}")
    return resample(audio, rate, SPEECH_RATE)


def _run(program: str, text: str, voice: str) -> np.ndarray:
    done = subprocess.run([program, "--stdout", "-v", voice, "-s", str(SPEED_WPM), "-g", str(WORD_GAP), text],
                          capture_output=True, check=True, timeout=120)
    audio, rate = soundfile.read(io.BytesIO(done.stdout), dtype="float64")
    if rate != SPEECH_RATE:
        raise RuntimeError(f"espeak-ng spoke at {rate} Hz, not {SPEECH_RATE}")
    return audio


def _cut(audio: np.ndarray) -> list[np.ndarray]:
    """The sounding stretches of `audio`, apart where it is quiet for SILENCE_S or more."""
    hop = int(SPEECH_RATE * FRAME_MS / 1000)
    usable = len(audio) // hop * hop
    if usable == 0:
        return []
    level = np.sqrt((audio[:usable].reshape(-1, hop) ** 2).mean(axis=1)) + 1e-12
    loud = np.flatnonzero(20 * np.log10(level / level.max()) > QUIET_DB)
    if loud.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(loud) * FRAME_MS / 1000 >= SILENCE_S)
    starts = np.concatenate([[loud[0]], loud[breaks + 1]])
    ends = np.concatenate([loud[breaks], [loud[-1]]]) + 1
    pad = int(PAD_S * SPEECH_RATE)
    return [audio[max(0, a * hop - pad): b * hop + pad] for a, b in zip(starts, ends)]


def analyse(audio: np.ndarray) -> Spoken:
    """WORLD's reading of one syllable, and its vowel."""
    audio = np.ascontiguousarray(audio, dtype=np.float64)
    # dio at speed 4 (its input decimated) finds the same voiced frames as at full rate, ten
    # times faster; stonemask then refines the pitch on the full signal
    f0, times = pyworld.dio(audio, SPEECH_RATE, f0_floor=60.0, f0_ceil=600.0, frame_period=FRAME_MS, speed=4)
    if not _vowel_voiced(audio, f0):  # DIO missed the vowel's voice (it can, on a short piece): Harvest
        f0, times = pyworld.harvest(audio, SPEECH_RATE, f0_floor=60.0, f0_ceil=600.0, frame_period=FRAME_MS)
    f0 = pyworld.stonemask(audio, f0, times, SPEECH_RATE)
    # The envelope is read with CheapTrick's own FFT size for a low voice, then every fourth bin
    # is kept: the singer synthesises with a 256-point FFT (86 Hz apart, an 11.6 ms pulse: enough
    # for a voice above 86 Hz), three times faster than CheapTrick's 1024, and a smooth envelope
    # loses little by it
    # (a voice above HIGH_VOICE_HZ is read at 512 points from the start, half the work, within
    # 0.04 dB of the 1024-point reading on a song's syllables)
    voiced = f0[f0 > 0]
    size = 512 if voiced.size and np.median(voiced) > HIGH_VOICE_HZ else 1024
    sp = pyworld.cheaptrick(audio, f0, times, SPEECH_RATE, f0_floor=3.0 * SPEECH_RATE / size, fft_size=size)
    sp = np.ascontiguousarray(sp[:, ::size // SYNTH_FFT])
    ap = _aperiodicity(audio, f0, times)
    start, end = vowel_span(f0, sp)
    energy = 10 * np.log10(sp.sum(axis=1) + 1e-20)
    heard = np.flatnonzero(energy > energy.max() - HEARD_DB)
    return Spoken(f0, sp, ap, start, end, int(min(heard[0], start)), int(max(heard[-1] + 1, end)))


def _vowel_voiced(audio: np.ndarray, f0: np.ndarray) -> bool:
    """Whether most of a syllable's loud frames (within VOWEL_DB of its loudest) are voiced: its
    vowel must be. A whisper-free syllable whose loud frames read unvoiced was misread.

    >>> _vowel_voiced(np.ones(2200), np.full(20, 120.0)), _vowel_voiced(np.ones(2200), np.zeros(20))
    (True, False)
    """
    hop = int(SPEECH_RATE * FRAME_MS / 1000)
    frames = min(len(f0), len(audio) // hop)
    level = 10 * np.log10((audio[:frames * hop].reshape(frames, hop) ** 2).mean(axis=1) + 1e-20)
    loud = level >= level.max() - VOWEL_DB
    return bool(np.mean(f0[:frames][loud] > 0) >= 0.5)


def _aperiodicity(audio: np.ndarray, f0: np.ndarray, times: np.ndarray) -> np.ndarray:
    """D4C's aperiodicity, read on every AP_EVERY-th frame and blended between: D4C is the costliest
    step of the analysis, and a voice's breathiness changes slowly (in voiced frames the blend is
    within 0.05 of reading every frame, on a song's syllables)."""
    coarse = pyworld.d4c(audio, np.ascontiguousarray(f0[::AP_EVERY]), np.ascontiguousarray(times[::AP_EVERY]),
                         SPEECH_RATE, fft_size=SYNTH_FFT)
    at = np.arange(len(f0)) / AP_EVERY
    low = np.minimum(at.astype(int), len(coarse) - 1)
    high = np.minimum(low + 1, len(coarse) - 1)
    w = (at - low)[:, None]
    return coarse[low] * (1 - w) + coarse[high] * w


def vowel_span(f0: np.ndarray, sp: np.ndarray) -> tuple[int, int]:
    """(first, end) frame of the vowel: the run of voiced frames around the loudest voiced one
    that stay within VOWEL_DB of it (the whole syllable where nothing is voiced).

    >>> f0 = np.array([0, 0, 120, 120, 120, 120, 0.0])
    >>> sp = np.array([1e-4, 1e-4, 0.01, 1.0, 0.9, 0.01, 1e-4])[:, None]
    >>> vowel_span(f0, sp)
    (3, 5)
    """
    power = sp.sum(axis=1)
    energy = 10 * np.log10(power + 1e-20)
    voiced = np.flatnonzero(f0 > 0)
    if voiced.size == 0:
        return 0, len(f0)
    # the peak is sought smoothed over 25 ms, so a stop's burst of one frame never passes for the vowel
    smooth = np.convolve(power, np.ones(SMOOTH_FRAMES) / SMOOTH_FRAMES, mode="same")
    peak = int(voiced[np.argmax(smooth[voiced])])
    strong = (f0 > 0) & (energy >= energy[peak] - VOWEL_DB)
    start, end = peak, peak + 1
    while start > 0 and strong[start - 1]:
        start -= 1
    while end < len(f0) and strong[end]:
        end += 1
    return start, end


@functools.cache
def _vowel_only() -> Spoken:
    """A neutral vowel made without espeak-ng: a 120 Hz pulse train through a schwa's formants."""
    rate, seconds = SPEECH_RATE, 0.4
    t = np.arange(int(rate * seconds)) / rate
    pulses = np.sign(np.sin(2 * np.pi * 120 * t)) * np.hanning(t.size)
    out = np.zeros_like(pulses)
    for formant, width in ((500, 80), (1500, 100), (2500, 120)):
        r = np.exp(-np.pi * width / rate)
        out += lfilter([1 - r], [1, -2 * r * np.cos(2 * np.pi * formant / rate), r * r], pulses)
    return analyse(out / np.abs(out).max() * 0.5)
