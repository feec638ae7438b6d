"""Words set to a melody: each lyric line on a phrase of the line (the notes between two breaths),
one syllable per note, the melody adapted where the words need it.

A line with more syllables than the phrase has notes splits the phrase's longest notes (a singer
fits the extra syllable in on the same pitch); a line with fewer sings a melisma, and which notes
start a syllable is chosen so that stressed syllables land on the beat and unstressed ones off it
as far as the line allows (a small dynamic programme over the notes).

>>> from maestro_ai.core.score import Note
>>> from maestro_ai.prompt.syllables import Syllable, Word
>>> line = [Word("to", (Syllable("to", (), False),)),
...         Word("night", (Syllable("night", (), True),))]
>>> notes, sung = set_line([Note(64, 0.5, 0.5), Note(67, 1.0, 1.0), Note(65, 2.0, 1.0)], line)
>>> [(s.text, s.start, s.syllabic) for s in sung], len(notes)
([('to', 0.5, 'single'), ('night', 1.0, 'single'), ('', 2.0, 'melisma')], 3)
"""
from __future__ import annotations

from dataclasses import dataclass

from maestro_ai.core.score import Note
from maestro_ai.prompt.syllables import Word

BREATH_BEATS = 1.0  # a rest this long ends a phrase
OFF_BEAT_STRESS = 2.0  # what a stressed syllable off the beat costs
ON_BEAT_WEAK = 0.5  # what an unstressed syllable on the beat costs (less: it is common and fine)
MELISMA_START = 0.25  # a syllable held over more notes costs a little for each one


@dataclass(frozen=True)
class Sung:
    """One note's lyric: its syllable (empty on a melisma's later notes), the note's start, and the
    syllable's place in its word as MusicXML names it: single, begin, middle, end, or 'melisma'."""

    text: str
    start: float
    syllabic: str
    stressed: bool = False
    line: int = 0


def phrases(notes: list[Note], breath: float = BREATH_BEATS) -> list[list[Note]]:
    """The melody cut at every rest of `breath` beats or more.

    >>> [len(p) for p in phrases([Note(60, 0, 1), Note(62, 1, 1), Note(64, 4, 1)])]
    [2, 1]
    """
    out: list[list[Note]] = []
    for note in sorted(notes, key=lambda n: n.start):
        if out and note.start - max(n.end for n in out[-1]) < breath:
            out[-1].append(note)
        else:
            out.append([note])
    return out


def _on_beat(note: Note) -> bool:
    return abs(note.start - round(note.start)) < 1e-6


def _fitted(notes: list[Note], count: int) -> list[Note]:
    """The notes with the longest split in two (same pitch) until there are `count`."""
    notes = list(notes)
    while len(notes) < count:
        i = max(range(len(notes)), key=lambda k: (notes[k].duration, -k))
        n = notes[i]
        half = n.duration / 2
        notes[i:i + 1] = [Note(n.pitch, n.start, half, n.velocity), Note(n.pitch, n.start + half, half, n.velocity)]
    return notes


def _starts(notes: list[Note], stresses: list[bool]) -> list[int]:
    """Which notes start each syllable (the first note starts the first): the cheapest placement."""
    count, total = len(stresses), len(notes)
    inf = float("inf")

    def cost(k: int, j: int) -> float:
        beat = _on_beat(notes[j])
        return (OFF_BEAT_STRESS if stresses[k] and not beat else 0.0) + (ON_BEAT_WEAK if not stresses[k] and beat else 0.0)

    best = [[inf] * total for _ in range(count)]
    back = [[-1] * total for _ in range(count)]
    best[0][0] = cost(0, 0)
    for k in range(1, count):
        for j in range(k, total - (count - 1 - k)):
            for i in range(k - 1, j):
                value = best[k - 1][i] + MELISMA_START * (j - i - 1) + cost(k, j)
                if value < best[k][j]:
                    best[k][j], back[k][j] = value, i
    last = min(range(count - 1, total), key=lambda j: best[count - 1][j] + MELISMA_START * (total - 1 - j))
    chosen = [last]
    for k in range(count - 1, 0, -1):
        chosen.append(back[k][chosen[-1]])
    return chosen[::-1]


def set_line(notes: list[Note], words: list[Word], line: int = 0) -> tuple[list[Note], list[Sung]]:
    """One phrase's notes (split where the words need more) and a `Sung` for every note."""
    syllables = [(syllable, _syllabic(i, len(word.syllables))) for word in words
                 for i, syllable in enumerate(word.syllables)]
    if not notes or not syllables:
        return notes, []
    notes = _fitted(sorted(notes, key=lambda n: n.start), len(syllables))
    starts = _starts(notes, [s.stressed for s, _ in syllables])
    sung = [Sung("", n.start, "melisma", line=line) for n in notes]
    for (syllable, syllabic), j in zip(syllables, starts):
        sung[j] = Sung(syllable.text, notes[j].start, syllabic, syllable.stressed, line)
    return notes, sung


def _syllabic(index: int, count: int) -> str:
    if count == 1:
        return "single"
    return "begin" if index == 0 else "end" if index == count - 1 else "middle"


def stressed_on_beat(sung: list[Sung]) -> float | None:
    """The share of stressed syllables that start on a beat (None without any)."""
    stressed = [s for s in sung if s.stressed]
    return sum(abs(s.start - round(s.start)) < 1e-6 for s in stressed) / len(stressed) if stressed else None
