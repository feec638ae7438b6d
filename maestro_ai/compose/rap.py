"""Rap verses: lyric lines laid on the beat as a flow, one line a bar.

A line's syllables run on the sixteenth-note grid from the bar's downbeat (or a sixteenth before
it, a pickup, when it opens unstressed): in eighth notes where the bar has room, else in
sixteenths, a stressed syllable always held back to an eighth note; a line with more syllables
than that allows is rapped in straight sixteenths. The rest of the bar is the breath before the next line. Pitch is speech's,
not a tune's: each line starts a little high and falls (declination), a stressed syllable a step
above its neighbours. The voice renders rap with its own spoken contour (render.singer).

>>> from maestro_ai.prompt.syllables import Syllable, Word
>>> line = [Word("rainy", (Syllable("rai", (), True), Syllable("ny", (), False))),
...         Word("city", (Syllable("ci", (), True), Syllable("ty", (), False)))]
>>> notes, sung = flow_line(line, 16.0, 4.0, 0, pickup=False)
>>> [(n.start, n.duration) for n in notes], [s.text for s in sung]
([(16.0, 0.5), (16.5, 0.5), (17.0, 0.5), (17.5, 0.5)], ['rai', 'ny', 'ci', 'ty'])
"""
from __future__ import annotations

from maestro_ai.core.score import Lyric, Note
from maestro_ai.prompt.syllables import Word, syllabic

RAP_CENTRE = 60  # the flow's written pitches lie around this; the voice moves them into its range
STRESS_STEP = 2  # a stressed syllable this many semitones above the line
FALL = 3  # a line falls this far from its first syllable to its last
SIXTEENTH = 0.25
RAP_VELOCITY = 96


def flow_line(words: list[Word], start: float, bar_beats: float, line: int, pickup: bool) -> tuple[list[Note], list[Lyric]]:
    """One lyric line rapped in the bar from `start` (a sixteenth early with `pickup`): its notes
    and a Lyric for each."""
    syllables = [(s, syllabic(i, len(w.syllables))) for w in words for i, s in enumerate(w.syllables)]
    if not syllables:
        return [], []
    room = int(bar_beats / SIXTEENTH) - 1  # sixteenths the line may take (the last one breathes)
    stresses = [s.stressed for s, _ in syllables]
    first = -1 if pickup and not stresses[0] else 0
    at = positions(stresses, 2, first)  # relaxed: eighth notes
    if at[-1] >= room:
        at = positions(stresses, 1, first)  # busy: sixteenths, stresses still on the eighths
    if at[-1] >= room:
        at = list(range(first, first + len(syllables)))  # too many words to place stresses: straight sixteenths
    notes, sung = [], []
    for k, ((syllable, place), position) in enumerate(zip(syllables, at)):
        fall = FALL * k / max(1, len(syllables) - 1)
        pitch = round(RAP_CENTRE + 1 - fall + (STRESS_STEP if syllable.stressed else 0))
        following = at[k + 1] if k + 1 < len(at) else position + 2
        beat = start + position * SIXTEENTH
        notes.append(Note(pitch, beat, min(following - position, 2) * SIXTEENTH, RAP_VELOCITY + 8 * syllable.stressed))
        sung.append(Lyric(syllable.text, beat, place, syllable.stressed, line, syllable.phonemes))
    return notes, sung


def positions(stresses: list[bool], step: int, first: int = 0) -> list[int]:
    """The sixteenth (from the downbeat) each syllable starts on, `step` sixteenths apart from
    `first`, a stressed one held back to the next eighth note (an even sixteenth).

    >>> positions([True, False, True, False, False, True], 1)
    [0, 1, 2, 3, 4, 6]
    >>> positions([False, True, False, True], 2, first=-1)
    [-1, 2, 4, 6]
    """
    out: list[int] = []
    for stressed in stresses:
        at = out[-1] + step if out else first
        if stressed and at % 2:
            at += 1
        out.append(at)
    return out

