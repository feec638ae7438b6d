"""The singer: a vocal part (notes, and the phonemes of the syllable each starts) sung by a voice.

Each syllable is spoken by espeak-ng and read by WORLD (render.speech); the singer then puts its
vowel on the note's onset and holds it to the note's end (over every note of a melisma), with the
consonants before the vowel sung ahead of the beat and those after it at the end, as singers do.
The spectral frames are stretched by blending neighbours (never repeating one), a held vowel keeps
its loudness, each new syllable sung legato is marked by a short dip, the pitch follows the written
notes with short glides between them and a natural vibrato on held notes (render.intonation), and
WORLD sings the result. A phrase (syllables with no rest between them) is sung in one piece; one
that returns the same (a chorus) is sung once and copied. A breath comes before a phrase after a
rest. Rap keeps the speech's own pitch contour around its notes.

Backing vocals (a part without phonemes) sing every note on "ooh", each voice of the chords apart.

>>> from maestro_ai.core.key import Key
>>> from maestro_ai.core.meter import TimeSignature
>>> from maestro_ai.core.performance import Performance, PlayedNote, PlayedPart
>>> from maestro_ai.prompt.singers import load_singer
>>> part = PlayedPart("vocals", 54, False, 0, "female-high", [PlayedNote(480, 960, 69, 100), PlayedNote(960, 1920, 72, 100)],
...                   phonemes=[(480, ("l", "aI")), (960, ("t", "s"))])
>>> perf = Performance(120.0, TimeSignature(4, 4), Key(9, "minor"), [part], 1920)
>>> audio = sing_part(part, perf, load_singer("female-high"), 44100 * 3, 44100)
>>> audio.shape, bool(np.abs(audio[:, 22050:44100]).max() > 0.01), float(np.abs(audio[:, :5000]).max())
((2, 132300), True, 0.0)
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from math import gcd

import numpy as np
import pyworld
from scipy.signal import butter, resample_poly, sosfilt

from maestro_ai.core.performance import Performance, PlayedPart
from maestro_ai.prompt.singers import Singer
from maestro_ai.prompt.syllables import is_vowel
from maestro_ai.render.choir import ooh_line
from maestro_ai.render.intonation import VIBRATO_CENTS, pitch_curve
from maestro_ai.render.speech import FRAME_MS, SPEECH_RATE, Spoken, speak
from maestro_ai.render.vocal_chain import de_essed

FRAME_S = FRAME_MS / 1000
MAX_ONSET_S = 0.08  # unvoiced consonants before a vowel take at most this (sung ahead of the beat)
MAX_VOICED_ONSET_S = 0.035  # voiced ones at most this
MAX_CODA_S = 0.12
PHRASE_GAP_S = 0.25  # a rest this long parts two phrases (each sung in one piece)
VIBRATO_DB = 0.8  # the loudness moves with the pitch
ARTICULATION_DB, ARTICULATION_S = 9.0, 0.03  # how a singer marks a new syllable sung legato
SUSTAIN_DB = 9.0  # how far a held vowel's fading frames are lifted back to its loudest
BREATH_S, BREATH_DB, BREATH_AFTER_S = 0.24, -30.0, 0.6  # a breath before a phrase that follows a rest this long
OOH = ("u:",)
LEVEL = 0.25  # the voice's peak before the mix sets its level
DOUBLE_TIMING_S, DOUBLE_CENTS = 0.012, 6.0  # how far a double's take strays (s. d.), as singers' doubles do


@dataclass(frozen=True)
class Syllable:
    """One sung syllable: its phonemes and its notes as (start s, end s, MIDI pitch, velocity)."""

    phonemes: tuple[str, ...]
    notes: tuple[tuple[float, float, int, int], ...]

    @property
    def start(self) -> float:
        return self.notes[0][0]

    @property
    def end(self) -> float:
        return self.notes[-1][1]


def sing_part(part: PlayedPart, perf: Performance, singer: Singer, frames: int, sample_rate: int,
              spoken: bool = False, known: dict | None = None, take: int = 0) -> np.ndarray:
    """The part sung (2, frames): the lead's syllables, or (no phonemes) "ooh" on every note, each
    voice of its chords sung apart (render.choir). `spoken` (rap): each syllable keeps the
    speech's own rise and fall of pitch, moved so the voice's usual pitch lands on the note.
    `known`: the song's syllables already spoken and analysed (render.speech.speak). `take` > 0:
    another take of the same part, as a singer doubling their own line sings it (each syllable
    a little early or late, each phrase a few cents off: `retaken`)."""
    if not part.phonemes:
        vowel = speak([OOH], singer, known)[OOH]
        vowel = warped(vowel, singer.warp) if singer.warp != 1.0 else vowel
        # sung at the speech rate (an "ooh" has nothing above 8 kHz), then brought to the song's
        low_frames = int(np.ceil(frames * SPEECH_RATE / sample_rate))
        low = sum((ooh_line(voice, vowel, SPEECH_RATE, low_frames) for voice in chord_voices(part, perf)),
                  np.zeros(low_frames, dtype=np.float32))
        ratio = gcd(sample_rate, SPEECH_RATE)
        out = np.zeros(frames, dtype=np.float32)
        up = resample_poly(low, sample_rate // ratio, SPEECH_RATE // ratio).astype(np.float32)[:frames]
        out[:len(up)] = up
        return _levelled(out)
    phrases = phrases_of(syllables_of(part, perf))
    said = speak([s.phonemes for p in phrases for s in p], singer, known)
    if singer.warp != 1.0:
        said = {k: warped(v, singer.warp) for k, v in said.items()}
    talking = usual_pitch(said.values()) if spoken else None
    out = np.zeros(frames, dtype=np.float32)
    sung: dict[tuple, np.ndarray] = {}
    ratio = gcd(sample_rate, SPEECH_RATE)
    breath = Breath(sample_rate)
    ends = [-np.inf] + [p[-1].end for p in phrases[:-1]]
    for phrase, previous_end in zip(phrases, ends):
        origin = phrase[0].start - onset_seconds(phrase[0], said[phrase[0].phonemes])
        key = _relative(phrase, origin)
        audio = sung.get(key)
        if audio is None:
            sung_phrase, cents = retaken(phrase, key, take) if take else (phrase, 0.0)
            voice = pyworld.synthesize(*sung_frames(sung_phrase, said, origin, talking, cents), SPEECH_RATE, FRAME_MS)
            voice = de_essed(voice.astype(np.float32)[None, :], SPEECH_RATE)[0]
            audio = sung[key] = resample_poly(voice, sample_rate // ratio, SPEECH_RATE // ratio).astype(np.float32)
        at = int(round(origin * sample_rate))
        _add(out, audio, at)
        if origin - previous_end >= BREATH_AFTER_S:
            _add(out, breath.before(min(BREATH_S, origin - previous_end - 0.1)), at - int(0.02 * sample_rate), end=True)
    return _levelled(out)


def double_takes(part: PlayedPart, perf: Performance, singer: Singer, frames: int, sample_rate: int,
                 known: dict | None = None) -> np.ndarray:
    """Two more takes of a sung line (2, frames), the first on the left and the second on the
    right, as a lead is doubled under a chorus."""
    return np.stack([sing_part(part, perf, singer, frames, sample_rate, known=known, take=take)[0] for take in (1, 2)])


def retaken(phrase: list[Syllable], key: tuple, take: int) -> tuple[list[Syllable], float]:
    """The phrase as another take sings it, and how many cents off: each syllable DOUBLE_TIMING_S
    early or late at random (its onset moves, its end stays) and the phrase DOUBLE_CENTS off,
    drawn from the take and the phrase itself (a chorus that returns is doubled the same way,
    as a producer copies a good double)."""
    rng = np.random.default_rng([take, zlib.crc32(repr(key).encode())])
    out = []
    for k, syllable in enumerate(phrase):
        (start, end, pitch, velocity), *rest = syllable.notes
        shift = float(np.clip(rng.normal(0.0, DOUBLE_TIMING_S), -2 * DOUBLE_TIMING_S, 2 * DOUBLE_TIMING_S))
        if k:  # never before the syllable ahead of it has begun
            shift = max(shift, 0.5 * (phrase[k - 1].start - start))
        else:  # the phrase's first consonants start where the take's audio does
            shift = abs(shift)
        moved = min(start + shift, end - FRAME_S * 2)
        out.append(replace(syllable, notes=((moved, end, pitch, velocity), *rest)))
    return out, float(rng.normal(0.0, DOUBLE_CENTS))


def _levelled(mono: np.ndarray) -> np.ndarray:
    """The voice at LEVEL peak, as two channels (the mix sets its level and place)."""
    peak = float(np.abs(mono).max())
    if peak > 0:
        mono *= np.float32(LEVEL / peak)
    return np.stack([mono, mono])


def syllables_of(part: PlayedPart, perf: Performance) -> list[Syllable]:
    """The part's syllables: a note with phonemes starts one, a note without continues the last
    (a melisma)."""
    starts = dict(part.phonemes)
    out: list[list] = []
    for n in sorted(part.notes, key=lambda n: n.start):
        note = (perf.seconds(n.start), perf.seconds(n.end), n.pitch, n.velocity)
        if n.start in starts or not out:
            out.append([starts.get(n.start, ()), [note]])
        else:
            out[-1][1].append(note)
    return [Syllable(tuple(phonemes), tuple(notes)) for phonemes, notes in out]


def chord_voices(part: PlayedPart, perf: Performance) -> list[list[tuple[float, float, int, int]]]:
    """The notes of a chordal part as separate voices, lowest first: the i-th note (by pitch) of
    each chord goes to voice i."""
    chords: dict[int, list] = {}
    for n in part.notes:
        chords.setdefault(n.start, []).append(n)
    voices: list[list] = []
    for start in sorted(chords):
        for i, n in enumerate(sorted(chords[start], key=lambda n: n.pitch)):
            while len(voices) <= i:
                voices.append([])
            voices[i].append((perf.seconds(n.start), perf.seconds(n.end), n.pitch, n.velocity))
    return voices


def phrases_of(syllables: list[Syllable]) -> list[list[Syllable]]:
    """The syllables cut at every rest of PHRASE_GAP_S or more."""
    out: list[list[Syllable]] = []
    for s in syllables:
        if out and s.start - out[-1][-1].end < PHRASE_GAP_S:
            out[-1].append(s)
        else:
            out.append([s])
    return out


def onset_seconds(syllable: Syllable, said: Spoken) -> float:
    """How long the consonants before the vowel take (none for a syllable that opens on its vowel):
    a hiss or a stop's burst may run ahead of the beat, a voiced consonant ("w", "l", "b") is
    kept short, so the syllable is heard where its note is."""
    if not syllable.phonemes or is_vowel(syllable.phonemes[0]):
        return 0.0
    lead = said.f0[said.first:said.vowel_start]
    voiced = int(np.count_nonzero(lead > 0))
    return min((len(lead) - voiced) * FRAME_S, MAX_ONSET_S) + min(voiced * FRAME_S, MAX_VOICED_ONSET_S)


def coda_seconds(syllable: Syllable, said: Spoken, last: bool) -> float:
    """How long the sounds after the vowel take: the closing consonants, or at a phrase's end the
    voice dying away; a vowel sung on into the next syllable has none."""
    if not last and (not syllable.phonemes or is_vowel(syllable.phonemes[-1])):
        return 0.0
    return min((said.last - said.vowel_end) * FRAME_S, MAX_CODA_S)


def _relative(phrase: list[Syllable], origin: float) -> tuple:
    return tuple((s.phonemes, tuple((round(a - origin, 4), round(b - origin, 4), p, v) for a, b, p, v in s.notes))
                 for s in phrase)


def usual_pitch(syllables) -> float:
    """The median pitch (Hz) of the voiced frames of spoken syllables: the voice's speaking pitch."""
    voiced = np.concatenate([s.f0[s.f0 > 0] for s in syllables] or [np.zeros(0)])
    return float(np.median(voiced)) if voiced.size else 120.0


def sung_frames(phrase: list[Syllable], spoken: dict, origin: float, talking: float | None = None,
                cents: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WORLD's frames of a phrase from `origin`: pitch (Hz), spectral envelope, aperiodicity.
    With `talking` (the voice's speaking pitch, Hz) the pitch is the speech's own, scaled so that
    pitch sits on each note; `cents` moves the whole phrase off its notes (a double's take)."""
    count = int(np.ceil((phrase[-1].end - origin) / FRAME_S)) + 2
    times = origin + np.arange(count) * FRAME_S
    sp = np.full((count, spoken[phrase[0].phonemes].sp.shape[1]), 1e-12)
    ap = np.ones_like(sp)
    voiced = np.zeros(count, dtype=bool)
    speech = np.zeros(count)  # the speech's own pitch (Hz, 0 where unvoiced), for `talking`
    for k, syllable in enumerate(phrase):
        said = spoken[syllable.phonemes]
        onset = onset_seconds(syllable, said)
        if k:
            onset = min(onset, 0.5 * (syllable.start - phrase[k - 1].start))
        end = max(syllable.end, syllable.start + 2 * FRAME_S)
        if k + 1 < len(phrase):
            following = phrase[k + 1]
            lead_in = min(onset_seconds(following, spoken[following.phonemes]), 0.5 * (following.start - syllable.start))
            end = min(end, following.start - lead_in)
        tail = min(coda_seconds(syllable, said, k + 1 == len(phrase)), 0.35 * (end - syllable.start))
        vowel_out = end - tail
        opened = said.first if onset else said.vowel_start
        closed = said.last - 1 if tail else said.vowel_end - 1
        knots_t = [syllable.start - onset, syllable.start, vowel_out, end]
        knots_s = [opened, said.vowel_start, max(said.vowel_start, said.vowel_end - 1), max(closed, said.vowel_end - 1)]
        if vowel_out - syllable.start > 2 * (said.vowel_end - said.vowel_start) * FRAME_S:
            # a long note holds the vowel's first half and moves on to its end (a diphthong's
            # second vowel) only near the end, as a singer does
            knots_t.insert(2, syllable.start + 0.75 * (vowel_out - syllable.start))
            knots_s.insert(2, said.vowel_start + 0.5 * (said.vowel_end - said.vowel_start))
        mine = np.flatnonzero((times >= knots_t[0]) & (times < end))
        src = np.interp(times[mine], knots_t, knots_s)
        low = np.floor(src).astype(int)
        high = np.minimum(low + 1, said.frames - 1)
        w = (src - low)[:, None]
        frames_sp = np.exp((1 - w) * np.log(said.sp[low] + 1e-12) + w * np.log(said.sp[high] + 1e-12))
        in_vowel = (times[mine] >= syllable.start) & (times[mine] < vowel_out)
        # a singer sustains: the vowel keeps its loudest frame's power (within SUSTAIN_DB)
        power = frames_sp.sum(axis=1)
        peak = said.sp[said.vowel_start:said.vowel_end].sum(axis=1).max()
        lift = np.where(in_vowel, np.clip(peak / (power + 1e-20), 1.0, 10 ** (SUSTAIN_DB / 10)), 1.0)
        velocity = np.interp(times[mine], [a for a, *_ in syllable.notes], [v for *_, v in syllable.notes])
        sp[mine] = frames_sp * (lift * (velocity / 100.0) ** 2)[:, None]
        ap[mine] = (1 - w) * said.ap[low] + w * said.ap[high]
        voiced[mine] = (said.f0[np.rint(src).astype(int)] > 0) | in_vowel
        speech[mine] = said.f0[np.rint(src).astype(int)]
    for syllable in phrase[1:]:  # each new syllable re-articulated: a short dip before its vowel
        near = np.abs(times - (syllable.start - ARTICULATION_S / 2)) < ARTICULATION_S / 2
        depth = 1 - np.abs(times[near] - (syllable.start - ARTICULATION_S / 2)) / (ARTICULATION_S / 2)
        sp[near] *= (10 ** (-ARTICULATION_DB * depth / 10))[:, None]
    pitch = pitch_curve(times, [n for s in phrase for n in s.notes])
    hz = 440.0 * 2 ** ((pitch + cents / 100 - 69) / 12)
    if talking:
        hz = np.where(speech > 0, speech * hz / talking, hz)
    f0 = np.where(voiced, hz, 0.0)
    sp *= 10 ** (VIBRATO_DB / 10 * np.clip((pitch - np.round(pitch)) * 100 / VIBRATO_CENTS, -1, 1))[:, None]
    return f0, sp, ap


def warped(spoken: Spoken, warp: float) -> Spoken:
    """The syllable with its formants moved by `warp` (a larger or smaller vocal tract)."""
    bins = np.arange(spoken.sp.shape[1], dtype=np.float64)
    source = np.clip(bins / warp, 0, bins[-1])
    low = np.floor(source).astype(int)
    high = np.minimum(low + 1, len(bins) - 1)
    w = source - low
    sp = spoken.sp[:, low] * (1 - w) + spoken.sp[:, high] * w
    return replace(spoken, sp=sp)


class Breath:
    """An in-breath: noise shaped like air through the mouth (800 Hz-6 kHz), swelling and fading."""

    def __init__(self, sample_rate: int) -> None:
        self.rate = sample_rate
        self.band = butter(2, [800, min(6000, sample_rate / 2 - 100)], btype="bandpass", fs=sample_rate, output="sos")
        self.noise = np.random.default_rng(0x0b4ea7).standard_normal(int(BREATH_S * sample_rate) + 1)

    def before(self, seconds: float) -> np.ndarray:
        count = max(1, int(seconds * self.rate))
        shaped = sosfilt(self.band, self.noise[:count]) * np.sin(np.linspace(0, np.pi, count)) ** 2
        peak = np.abs(shaped).max() or 1.0
        return (shaped / peak * LEVEL * 10 ** (BREATH_DB / 20) * 4).astype(np.float32)


def _add(out: np.ndarray, audio: np.ndarray, at: int, end: bool = False) -> None:
    """Add `audio` into `out` starting at frame `at` (ending there, with `end`), clipped to `out`."""
    if end:
        at -= len(audio)
    a, b = max(0, at), min(len(out), at + len(audio))
    if b > a:
        out[a:b] += audio[a - at:b - at]


def phrase_tails(part: PlayedPart, perf: Performance) -> list[tuple[float, float]]:
    """(start, end) seconds of each sung phrase's last syllable, where a delay throw goes."""
    if not part.phonemes:
        return []
    return [(p[-1].start, p[-1].end) for p in phrases_of(syllables_of(part, perf))]
