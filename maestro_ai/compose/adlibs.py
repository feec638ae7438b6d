"""Ad-libs: the short interjections a singer throws in between the lines of a chorus ("yeah",
"oh", "let's go"), from the genre's own list (genres.toml `adlibs`).

Every second line of a chorus (a section whose melody returns: its answering lines) gets one in
the rest after it, where the rest is long enough: it starts on the next half beat, a syllable to
an eighth, its last syllable held and falling to the chord tone below (a singer's "yeah-eh"),
high in the voice over the chord sounding there. The ad-libs have words of their own
(Score.adlibs), so song.mid and song.musicxml carry them under their notes.

>>> from maestro_ai.core.key import Key
>>> from maestro_ai.core.meter import TimeSignature
>>> from maestro_ai.core.score import Chord, Lyric, Note, Score, Section
>>> from maestro_ai.prompt.singers import load_singer
>>> score = Score(100.0, Key(0, "major"), TimeSignature(4, 4), [Section("chorus", 0, 2, .8)],
...               [Chord("C", 0, (0, 4, 7), 0, 8)], [], lyrics=[Lyric("la", 0, "single", line=0), Lyric("la", 4, "single", line=1)])
>>> lead = [Note(64, 0, 2), Note(64, 4, 1)]
>>> notes, words = adlib_notes(lead, score, load_singer("female-high"), [(0.0, 8.0)], ("oh",))
>>> [(n.pitch, n.start, n.duration) for n in notes], [(w.text, w.start) for w in words]
([(76, 5.5, 0.5), (72, 6.0, 1.0)], [('oh', 5.5)])
"""
from __future__ import annotations

import math

from maestro_ai.core.score import Lyric, Note, Score
from maestro_ai.prompt.singers import Singer
from maestro_ai.prompt.syllables import Syllable, syllabic, syllabify

STEP = 0.5  # beats: an ad-lib's syllables come an eighth apart
AFTER = 0.25  # beats of rest at least before an ad-lib starts
BEFORE = 0.5  # beats of rest left after it, before the lead sings again
HELD = 1.5  # the longest its last syllable is held (beats)
BELOW_TOP = 4  # semitones under the top of the voice its first note aims at
SOFTER = 10  # velocity under the lead's


def adlib_notes(lead: list[Note], score: Score, singer: Singer, choruses: list[tuple[float, float]],
                bank: tuple[str, ...]) -> tuple[list[Note], list[Lyric]]:
    """The ad-libs' notes and words: one after every second line of each chorus (`choruses`:
    first and end beat of each), in the rest it leaves (none where the rest is too short), the
    bank's words in turn."""
    if not bank or not score.lyrics:
        return [], []
    phrases = [[(s, syllabic(i, len(w.syllables))) for w in line for i, s in enumerate(w.syllables)]
               for line in syllabify(list(bank))]
    line_of = {lyric.start: lyric.line for lyric in score.lyrics}
    ends_of: dict[int, float] = {}
    for note in lead:
        if note.start in line_of:
            line = line_of[note.start]
            ends_of[line] = max(ends_of.get(line, 0.0), note.end)
    starts = sorted(n.start for n in lead)
    velocity = max(1, max((n.velocity for n in lead), default=90) - SOFTER)
    notes: list[Note] = []
    sung: list[Lyric] = []
    turn = 0
    for a, b in choruses:
        lines = sorted(line for line, end in ends_of.items() if a < end <= b)
        for line in lines[1::2]:
            end = ends_of[line]
            after = next((s for s in starts if s >= end), b)
            placed = _placed(phrases[turn % len(phrases)], end, min(after, b), score, singer, velocity)
            if placed:
                turn += 1
                notes += placed[0]
                sung += placed[1]
    return notes, sung


def _placed(syllables: list[tuple[Syllable, str]], end: float, after: float, score: Score, singer: Singer,
            velocity: int) -> tuple[list[Note], list[Lyric]] | None:
    """The ad-lib's notes and words in the rest from `end` to `after`, or None where it does not fit."""
    start = math.ceil((end + AFTER) / STEP) * STEP
    last_start = start + STEP * (len(syllables) - 1)
    held = min(HELD, after - BEFORE - last_start)
    if held < STEP:
        return None
    chord = next((c for c in score.chords if c.start <= start < c.end), None)
    if chord is None:
        return None
    classes = set(chord.pitch_classes)
    tones = [p for p in range(singer.low, singer.high + 1) if p % 12 in classes]
    top = min(tones, key=lambda p: abs(p - (singer.high - BELOW_TOP)))
    below = max((p for p in tones if p < top), default=top)
    notes, words = [], []
    for i, (syllable, place) in enumerate(syllables):
        at = start + STEP * i
        last = i == len(syllables) - 1
        notes.append(Note(top, at, STEP if last else STEP * 0.9, velocity))
        words.append(Lyric(syllable.text, at, place, syllable.stressed, -1, syllable.phonemes))
    if held > STEP:  # the last syllable falls to the chord tone below (a melisma)
        notes.append(Note(below, last_start + STEP, held - STEP, velocity))
    return notes, words
