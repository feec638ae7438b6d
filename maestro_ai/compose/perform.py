"""Perform a score: swing, humanized timing and velocity, and clean note overlaps.

>>> from maestro_ai.core.key import Key
>>> from maestro_ai.core.meter import TimeSignature
>>> from maestro_ai.core.score import Note, Part, Score, Section
>>> score = Score(90, Key(0, "major"), TimeSignature(4, 4), [Section("verse", 0, 1, 0.5)], [],
...               [Part("melody", 0, [Note(60, 0.5, 0.5, 80)])])
>>> perform(score, swing=1.0, swing_unit=0.5, rng=np.random.default_rng(0), humanize=False).parts[0].notes[0].start
320
"""
from __future__ import annotations

import numpy as np

from maestro_ai.core.performance import PPQ, Performance, PlayedNote, PlayedPart
from maestro_ai.core.score import Lyric, Note, Score

# The voices are not shifted: a singer's timing comes from the consonants sung ahead of each vowel
# (render.singer), and a chorus sung again the same is sung once and copied, as producers do.
TIMING_MS = {"drums": 4.0, "melody": 7.0, "bass": 5.0, "vocals": 0.0, "harmonies": 0.0, "double": 0.0, "adlibs": 0.0,
             "backing": 0.0}  # a double's takes stray on their own (render.singer.retaken)
# How far velocities wander (+/-); sustained pads and the voices are played evenly.
VELOCITY_SPREAD = {"drums": 5, "melody": 5, "bass": 3, "harmony": 3, "counter": 3, "pad": 0, "vocals": 0, "harmonies": 0,
                   "double": 0, "adlibs": 0, "backing": 0}
DEFAULT_TIMING_MS = 5.0
VELOCITY_STEP = 4


def swung(beat: float, swing: float, unit: float) -> float:
    """Delay off-beat `unit` notes: swing 1.0 turns straight pairs into a 2:1 triplet feel."""
    pos = beat % (2 * unit)
    if abs(pos - unit) < 1e-6:
        return beat + swing * unit / 3.0
    return beat


def perform(score: Score, swing: float, swing_unit: float, rng: np.random.Generator,
            humanize: bool = True) -> Performance:
    """Turn every part into played notes in ticks."""
    tick_ms = 60000.0 / (score.tempo * PPQ)
    parts: list[PlayedPart] = []
    channel = 0
    for part in score.parts:
        if part.is_drum:
            ch = 9
        else:
            ch = channel if channel != 9 else 10
            channel = ch + 1
        sigma = TIMING_MS.get(part.name, DEFAULT_TIMING_MS) / tick_ms if humanize else 0.0
        spread = VELOCITY_SPREAD.get(part.name, 4) if humanize else 0
        played: list[PlayedNote] = []
        for note in part.notes:
            start = swung(note.start, swing, swing_unit)
            end = swung(note.end, swing, swing_unit) if not part.is_drum else start + note.duration
            jitter = float(rng.normal(0.0, sigma)) if sigma else 0.0
            if part.is_drum and note.start % 1 == 0:
                jitter *= 0.5  # downbeats stay tighter
            s = max(0, int(round(start * PPQ + jitter)))
            e = s + max(10, int(round((end - start) * PPQ)))  # the same length wherever it is played
            vel = note.velocity + (int(rng.integers(-spread, spread + 1)) if spread else 0)
            vel = VELOCITY_STEP * round(vel / VELOCITY_STEP)  # 0.5 dB steps: inaudible, and notes repeat exactly
            played.append(PlayedNote(s, e, note.pitch, int(np.clip(vel, 1, 127))))
        played_part = PlayedPart(part.name, part.program, part.is_drum, ch, part.instrument, _untangle(played))
        words = score.words_for(part.name)
        if words:
            played_part.lyrics, played_part.phonemes = _lyric_events(words, part.notes, played)
        parts.append(played_part)
    length = int(round(score.length_beats * PPQ))
    return Performance(score.tempo, score.time_signature, score.key, parts, length)


def _lyric_events(words: list[Lyric], notes: list[Note], played: list[PlayedNote]) \
        -> tuple[list[tuple[int, str]], list[tuple[int, tuple[str, ...]]]]:
    """(tick, text) of each sung syllable, at the played start of the note it is sung on (karaoke
    style, a syllable that continues its word ends in "-"), and (tick, phonemes) of the same."""
    tick_of: dict[float, int] = {}
    for note, play in zip(notes, played):  # `played` is in the order of the written notes
        tick_of.setdefault(note.start, play.start)
    sung = [lyric for lyric in words if lyric.text and lyric.start in tick_of]
    return ([(tick_of[s.start], s.text + ("-" if s.syllabic in ("begin", "middle") else "")) for s in sung],
            [(tick_of[s.start], s.phonemes) for s in sung])


def _untangle(notes: list[PlayedNote]) -> list[PlayedNote]:
    """Cut a note short where the same pitch starts again, so note-offs never cross note-ons."""
    notes = sorted(notes, key=lambda n: (n.start, n.pitch))
    last_by_pitch: dict[int, int] = {}
    out: list[PlayedNote] = []
    for n in notes:
        if n.pitch in last_by_pitch:
            i = last_by_pitch[n.pitch]
            prev = out[i]
            if prev.end > n.start:
                if n.start - prev.start < 5:  # the same note twice at once: keep the louder
                    if n.velocity > prev.velocity:
                        out[i] = PlayedNote(prev.start, max(prev.end, n.end), n.pitch, n.velocity)
                    continue
                out[i] = PlayedNote(prev.start, n.start - 1, prev.pitch, prev.velocity)
        last_by_pitch[n.pitch] = len(out)
        out.append(n)
    return out
