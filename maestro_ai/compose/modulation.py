"""The last chorus a step up: the pop key change, where the band lifts the final chorus by a
semitone or a whole tone and stays there to the end.

Which forms lift, and by how much, is data (forms.toml `key_lift`, one value per form); the lift
lands on the last section of a kind whose melody returns (a chorus, a hook) that comes at least
twice, so the hook is heard once more, higher. It is applied to the finished score: every pitched
note from that bar on moves up, a note held across the change stops at it, and the chord symbols
follow. The drums stay.

>>> from maestro_ai.core.score import Section
>>> form = [Section("verse", 0, 8, .5), Section("chorus", 8, 8, .8), Section("bridge", 16, 8, .6),
...         Section("chorus", 24, 8, .9), Section("outro", 32, 4, .3)]
>>> key_change(form, "pop", 1)
(24, 2)
>>> key_change(form, "pop", 2) is None, key_change(form[:3], "pop", 1) is None, key_change(form, "rock", 0) is None
(True, True, True)
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from maestro_ai.compose.form import genre_forms, texture
from maestro_ai.core.key import Key
from maestro_ai.core.score import Chord, Note, Score, Section
from maestro_ai.theory.chords import moved_chord


def key_change(sections: list[Section], genre: str, form: int | None) -> tuple[int, int] | None:
    """(first bar, semitones) of the song's key change, or None: the form's `key_lift` on the last
    section of a returning kind heard at least twice."""
    lifts = genre_forms(genre).key_lifts
    if form is None or not lifts or not lifts[form % len(lifts)]:
        return None
    returning = [s for s in sections if texture(genre, s.name).returns]
    heard = Counter(s.name for s in returning)
    again = [s for s in returning if heard[s.name] >= 2]
    return (again[-1].start_bar, lifts[form % len(lifts)]) if again else None


def lifted_key(key: Key, semitones: int) -> Key:
    """The key a change by `semitones` lands in.

    >>> str(lifted_key(Key(0, "major"), 2)), str(lifted_key(Key(9, "minor"), 1))
    ('D major', 'Bb minor')
    """
    return Key((key.tonic + semitones) % 12, key.mode)


def lift_key(score: Score, genre: str, form: int | None) -> Score:
    """`score` with its key change played (unchanged when the form has none)."""
    change = key_change(score.sections, genre, form)
    if change is None:
        return score
    bar, semitones = change
    at = bar * score.beats_per_bar
    parts = [p if p.is_drum else replace(p, notes=[_lifted(n, at, semitones) for n in p.notes]) for p in score.parts]
    key = lifted_key(score.key, semitones)
    chords = [_lifted_chord(c, at, semitones, key) for c in score.chords]
    return replace(score, parts=parts, chords=chords)


def _lifted(note: Note, at: float, semitones: int) -> Note:
    if note.start >= at:
        return note.moved(semitones)
    if note.end > at:  # held over the change: it stops where the new key begins
        return Note(note.pitch, note.start, at - note.start, note.velocity)
    return note


def _lifted_chord(chord: Chord, at: float, semitones: int, key: Key) -> Chord:
    if chord.start >= at:
        return moved_chord(chord, semitones, key)
    if chord.end > at:
        return replace(chord, duration=at - chord.start)
    return chord
