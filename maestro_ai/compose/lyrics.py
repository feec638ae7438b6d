"""Words set to a melody: each lyric line on a phrase of the line (the notes between two breaths),
one syllable per note, the melody adapted where the words need it.

A line with more syllables than the phrase has notes splits the phrase's longest notes (a singer
fits the extra syllable in on the same pitch); a line with fewer sings a melisma or comes in late
(the notes before it are played, not sung), and which notes start a syllable is chosen so that stressed syllables
land on the beat and unstressed ones off it as far as the line allows (a small dynamic programme
over the notes). A phrase takes lines while they leave it some room (ROOM), for that choice.

>>> from maestro_ai.core.score import Note
>>> from maestro_ai.prompt.syllables import Syllable, Word
>>> line = [Word("to", (Syllable("to", (), False),)),
...         Word("night", (Syllable("night", (), True),))]
>>> notes, sung = set_line([Note(64, 0.5, 0.5), Note(67, 1.0, 1.0), Note(65, 2.0, 1.0)], line)
>>> [(s.text, s.start, s.syllabic) for s in sung], len(notes)
([('to', 0.5, 'single'), ('night', 1.0, 'single'), ('', 2.0, 'melisma')], 3)
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from maestro_ai.compose.form import texture
from maestro_ai.compose.rap import flow_line
from maestro_ai.core.score import RAP_PART, VOICE_PROGRAM, Lyric, Note, Part, Score, Section
from maestro_ai.prompt.lyrics import LyricSheet
from maestro_ai.prompt.syllables import Word, syllabic, syllabify

BREATH_BEATS = 1.0  # a rest this long ends a phrase
OFF_BEAT_STRESS = 2.0  # what a stressed syllable off the beat costs
ON_BEAT_WEAK = 0.5  # what an unstressed syllable on the beat costs (less: it is common and fine)
MELISMA_START = 0.25  # a syllable held over more notes costs a little for each one
LATE_ENTRY = 0.6  # each note of a phrase left unsung before its line comes in
ROOM = 0.95  # a phrase takes lines while their syllables fill at most this share of its notes


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
    for j in range(total - count + 1):  # the line may come in late: the notes before it rest
        best[0][j] = cost(0, j) + LATE_ENTRY * j
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


def set_line(notes: list[Note], words: list[Word], line: int | list[int] = 0) -> tuple[list[Note], list[Lyric]]:
    """One phrase's notes (split where the words need more) and a `Lyric` for every note from the
    first syllable on; `line` is the lyric line of all the words, or of each word."""
    lines = line if isinstance(line, list) else [line] * len(words)
    syllables = [(syllable, syllabic(i, len(word.syllables)), lines[w]) for w, word in enumerate(words)
                 for i, syllable in enumerate(word.syllables)]
    if not notes or not syllables:
        return notes, []
    notes = _fitted(sorted(notes, key=lambda n: n.start), len(syllables))
    starts = _starts(notes, [s.stressed for s, _, _ in syllables])
    sung = []  # a late entry: the notes before it keep playing, unsung (no one's melody loses a note)
    for k, (syllable, place, in_line) in enumerate(syllables):
        until = starts[k + 1] if k + 1 < len(starts) else len(notes)
        sung.append(Lyric(syllable.text, notes[starts[k]].start, place, syllable.stressed, in_line, syllable.phonemes))
        sung += [Lyric("", notes[j].start, "melisma", line=in_line) for j in range(starts[k] + 1, until)]
    return notes, sung



def stressed_on_beat(sung: list[Lyric]) -> float | None:
    """The share of stressed syllables that start on a beat (None without any)."""
    stressed = [s for s in sung if s.stressed]
    return sum(abs(s.start - round(s.start)) < 1e-6 for s in stressed) / len(stressed) if stressed else None


def set_lyrics(score: Score, sheet: LyricSheet, genre: str, part: str = "melody", rap: bool = False) -> Score:
    """`score` with its lead singing `sheet`: every section whose kind has the lead sings (an
    instrumental intro or solo does not); a section whose melody returns (a chorus, a hook) sings
    the hook lines, a bridge-like section (one playing the bridge's chords) the bridge, any other
    the next verse. Each phrase takes the section's next lines (`_lines_for`), so words and notes
    stay close to one syllable a note. With `rap`, the verses are rapped instead: a line a bar,
    in a part of their own (RAP_PART), the lead's tune resting under them."""
    lead = next((p for p in score.parts if p.name == part), None)
    if lead is None or not lead.notes:
        return score
    every = list(dict.fromkeys([*sheet.hooks, *[line for verse in sheet.verses for line in verse], *sheet.bridge]))
    words = dict(zip(every, syllabify(every)))
    bar = score.beats_per_bar
    kept, sung, sung_lines, verse, rapped = [], [], [], 0, []
    for section, start, notes in _by_section(score, lead):
        kind = texture(genre, section.name)
        if kind.melody != "on" or not notes:
            kept += notes
            continue
        if kind.returns:
            stanza = sheet.hooks
        elif kind.chords == "bridge" and sheet.bridge:
            stanza = sheet.bridge
        elif rap:
            lines = [line for k in range(verse, verse + len(sheet.verses)) for line in sheet.verses[k % len(sheet.verses)]]
            verse += 1
            for b in range(section.bars):
                line = lines[b % len(lines)]
                flowed, lyrics = flow_line(words[line], start + b * bar, bar, len(sung_lines), pickup=b % 2 == 1)
                sung_lines.append(line)
                rapped += flowed
                sung += lyrics
            continue
        else:
            stanza, verse = sheet.verses[verse % len(sheet.verses)], verse + 1
        turn = 0
        for phrase in phrases(notes):
            take = _lines_for(len(phrase), stanza, turn, words)
            turn += len(take)
            ids = list(range(len(sung_lines), len(sung_lines) + len(take)))
            sung_lines += take
            line_words = [w for line in take for w in words[line]]
            fitted, lyrics = set_line(phrase, line_words, [i for i, line in zip(ids, take) for _ in words[line]])
            kept += fitted
            sung += lyrics
    parts = _with_lead(score, lead, kept)
    if rapped:
        parts.append(Part(RAP_PART, VOICE_PROGRAM, sorted(rapped, key=lambda n: n.start)))
    return replace(score, parts=parts, lyrics=sorted(sung, key=lambda s: s.start), lyric_lines=sung_lines,
                   guide_lyrics=sheet.guide)


def set_vocables(score: Score, vocables: tuple[tuple[str, ...], str], genre: str, part: str = "melody") -> Score:
    """`score` with its lead singing vocables in place of words: in every section whose kind has the
    lead, each phrase's notes sing the syllables of `vocables` in turn, one a note, and its last note
    the closing one ("na na na na oh"). The melody keeps every note as written.

    >>> from maestro_ai.core.key import Key
    >>> from maestro_ai.core.meter import TimeSignature
    >>> from maestro_ai.core.score import Section
    >>> lead = Part("melody", 0, [Note(67, 0, 1), Note(69, 1, 1), Note(67, 2, 2), Note(64, 8, 2)])
    >>> score = Score(100.0, Key(0, "major"), TimeSignature(4, 4), [Section("verse", 0, 4, 0.5)], [], [lead])
    >>> sung = set_vocables(score, (("na",), "oh"), "pop")
    >>> sung.lyric_lines, [s.text for s in sung.lyrics], sung.vocables
    (['na na oh', 'oh'], ['na', 'na', 'oh', 'oh'], True)
    """
    lead = next((p for p in score.parts if p.name == part), None)
    if lead is None or not lead.notes:
        return score
    sing, close = vocables
    texts = {}  # a phrase of n notes sings the same line wherever it comes: syllabified once
    kept, sung, lines = [], [], []
    for section, _, notes in _by_section(score, lead):
        if texture(genre, section.name).melody != "on" or not notes:
            kept += notes
            continue
        for phrase in phrases(notes):
            text = " ".join([sing[i % len(sing)] for i in range(len(phrase) - 1)] + [close])
            if text not in texts:
                texts[text] = syllabify([text])[0]
            fitted, lyrics = set_line(phrase, texts[text], len(lines))
            lines.append(text)
            kept += fitted
            sung += lyrics
    return replace(score, parts=_with_lead(score, lead, kept), lyrics=sorted(sung, key=lambda s: s.start), lyric_lines=lines,
                   guide_lyrics=False, vocables=True)


def _by_section(score: Score, lead: Part) -> Iterator[tuple[Section, float, list[Note]]]:
    """(section, its first beat, the lead's notes that start in it) for every section."""
    bar = score.beats_per_bar
    for section in score.sections:
        start, end = section.start_bar * bar, section.end_bar * bar
        yield section, start, [n for n in lead.notes if start <= n.start < end]


def _with_lead(score: Score, lead: Part, notes: list[Note]) -> list[Part]:
    """The score's parts with the lead's notes replaced by `notes` (in order)."""
    return [replace(p, notes=sorted(notes, key=lambda n: (n.start, n.pitch))) if p is lead else p for p in score.parts]


def _lines_for(notes: int, stanza: tuple[str, ...], turn: int, words: dict[str, list[Word]]) -> list[str]:
    """The stanza's lines from `turn` on (round again at its end) that a phrase of `notes` notes
    sings: at least one, more while their syllables fill at most ROOM of the notes."""
    take = [stanza[turn % len(stanza)]]
    while len(take) < len(stanza):
        more = take + [stanza[(turn + len(take)) % len(stanza)]]
        if sum(len(w.syllables) for line in more for w in words[line]) > ROOM * notes:
            break
        take = more
    return take


def line_spans(score: Score) -> list[tuple[str, float, float]]:
    """(text, first beat, last beat) of every line the song sings, in order: from its first
    syllable to the end of its last note."""
    ends = {n.start: n.end for p in score.parts if p.name in score.lyric_parts for n in p.notes}
    spans: dict[int, list[float]] = {}
    for lyric in score.lyrics:
        span = spans.setdefault(lyric.line, [lyric.start, lyric.start])
        span[1] = max(span[1], ends.get(lyric.start, lyric.start))
    return [(score.lyric_lines[i], a, b) for i, (a, b) in sorted(spans.items())]
