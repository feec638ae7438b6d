"""Rap verses: lyric lines laid on the beat as a flow, one line a bar.

A line's syllables run on the sixteenth-note grid. Where the bar has room, the flow is stress-timed:
each stressed syllable on the next beat, the unstressed ones between, those that open the line
just before its first beat (a sixteenth before the downbeat, a pickup, in alternate bars). Else
in eighth notes, else in sixteenths, a stressed syllable held back to an eighth note; a line with
more syllables than that allows is rapped in straight sixteenths. The rest of the bar is the breath before the next line. Pitch is speech's,
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
    # the stresses of words of two or more syllables are the ones a flow must put on the beat;
    # a stressed word of one syllable may give way
    long_word = [len(w.syllables) > 1 for w in words for _ in w.syllables]
    timed = on_the_beats(stresses, first, room)
    if timed is None:
        timed = on_the_beats([s and long for s, long in zip(stresses, long_word)], first, room)
    at = timed if timed is not None else best_positions(stresses, first, room)
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


def on_the_beats(stresses: list[bool], first: int, room: int) -> list[int] | None:
    """A stress-timed flow: each stressed syllable on a beat, the next beat or (with more than
    three syllables between) the one after; the unstressed ones between in eighths where they
    fit, else in sixteenths just before the next stress; those that open the line just ahead of
    its first stress, and those that close it in eighths (sixteenths where the bar is short).
    None when the line does not fit so within `room` sixteenths from `first`.

    >>> on_the_beats([False, True, False, True, False, True, False, True], -1, 15)
    [-1, 0, 2, 4, 6, 8, 10, 12]
    >>> on_the_beats([True, False, False, True, False, False, False, True], 0, 15)
    [0, 2, 3, 4, 5, 6, 7, 8]
    >>> on_the_beats([False, True, False, False, False, False, True, False, False], 0, 15)
    [2, 4, 6, 8, 10, 11, 12, 13, 14]
    """
    stressed = [i for i, s in enumerate(stresses) if s]
    if not stressed or stressed[0] > 3:
        return None
    lead = stressed[0]
    beat = 0 if first + lead <= 0 else -(-(first + lead) // 4) * 4
    at = [beat - 2] if lead == 1 and beat - 2 >= first else [beat - lead + k for k in range(lead)]
    for k, i in enumerate(stressed):
        at.append(beat)
        after = (stressed[k + 1] if k + 1 < len(stressed) else len(stresses)) - i - 1
        last = k + 1 == len(stressed)
        if after > 7 and not last:
            return None
        gap = room - beat if last else 4 if after <= 3 else 8
        at += [beat + p for p in _between(after, gap)]
        beat += gap
    return at if at[-1] < room and all(b > a for a, b in zip(at, at[1:])) else None


def _between(count: int, gap: int) -> list[int]:
    """Sixteenths after a stress for `count` syllables before the next, `gap` sixteenths on: in
    eighths while the rest still fit in sixteenths before it.

    >>> _between(1, 4), _between(2, 4), _between(3, 4), _between(4, 8)
    ([2], [2, 3], [1, 2, 3], [2, 4, 6, 7])
    """
    out, at = [], 0
    for j in range(count):
        at = min(at + 2, gap - (count - j))
        out.append(at)
    return out


def best_positions(stresses: list[bool], first: int, room: int) -> list[int]:
    """A flow that is not stress-timed, within `room` sixteenths: relaxed (eighths, stresses held
    back to an eighth note), else busy (sixteenths, the same), else straight sixteenths.

    >>> best_positions([False, True, False, True, False, True], 0, 15)
    [0, 2, 4, 6, 8, 10]
    """
    for step in (2, 1):
        at = positions(stresses, step, first)
        if at[-1] < room:
            return at
    return list(range(first, first + len(stresses)))  # too many words to place stresses: straight sixteenths
