"""The sung parts: the lead's sung notes handed to a voice, and backing vocals in the choruses.

The vocal part takes every note of the lead that carries a syllable or a melisma (set by
compose.lyrics); the lead instrument keeps what is not sung (an intro's tune, a solo). The line is
moved by octaves into the voice type's range (a line keeps its shape; a lyric line still out of
reach moves on its own), and a singer breathes where one line runs straight into the next: the
line's last note gives up a sixteenth or so. In every section whose melody returns (the
choruses) a second voice sings the words in harmony (chord tones a third to a sixth above the
lead), backing vocals hold the chords' third and fifth on "ooh", low in the voice's range,
voice-led, and in the genres that do it the lead is doubled (two more takes, left and right, at
render) and ad-libs answer its lines (compose.adlibs).

>>> from maestro_ai.core.key import Key
>>> from maestro_ai.core.meter import TimeSignature
>>> from maestro_ai.core.score import Chord, Lyric, Note, Part, Score, Section
>>> from maestro_ai.prompt.singers import load_singer
>>> lead = Part("melody", 80, [Note(84, 0, 1), Note(86, 1, 1), Note(88, 2, 2), Note(79, 4, 4)])
>>> words = [Lyric("la", 0, "single"), Lyric("la", 1, "single"), Lyric("", 2, "melisma")]
>>> score = Score(100.0, Key(0, "major"), TimeSignature(4, 4), [Section("verse", 0, 2, .5)],
...               [Chord("C", 0, (0, 4, 7), 0, 8)], [lead], lyrics=words)
>>> sung = sing(score, load_singer("female-high"), "pop")
>>> [(p.name, [n.pitch for n in p.notes]) for p in sung.parts]
[('melody', [79]), ('vocals', [72, 74, 76])]
"""
from __future__ import annotations

from dataclasses import replace

from maestro_ai.compose.adlibs import adlib_notes
from maestro_ai.compose.form import spans_where
from maestro_ai.compose.ranges import fold, octave_shift
from maestro_ai.compose.rap import RAP_CENTRE
from maestro_ai.core.score import ADLIB_PART, DOUBLE_PART, HARMONY_PART, RAP_PART, VOCAL_PART, VOICE_PROGRAM, Chord, Note, Part, Score
from maestro_ai.prompt.singers import Singer
from maestro_ai.theory.voicing import voice_chord

BACKING_PART = "backing"
SUNG_PARTS = (VOCAL_PART, HARMONY_PART, DOUBLE_PART, ADLIB_PART, BACKING_PART, RAP_PART)
CHOIR_PROGRAM = 52  # General MIDI's "Choir Aahs", for song.mid's listeners
RAP_ABOVE_LOW = 4  # a rapper talks low in the voice's range
BREATH_BEATS = 0.25  # what a line's last note gives up when the next line follows at once
BACKING_VELOCITY = 70
BACKING_GAP = 0.125  # beats between two held backing chords (the singers re-attack)
HARMONY_LOW, HARMONY_HIGH = 3, 9  # a harmony lies a third to a sixth from the lead
HARMONY_SOFTER = 12  # velocity under the lead


def sing(score: Score, singer: Singer, genre: str, lead_name: str = "melody", doubles: bool = False,
         adlibs: tuple[str, ...] = ()) -> Score:
    """`score` with a vocal part sung by `singer` (and backing vocals in its choruses: with
    `doubles` the lead doubled there, with `adlibs` those words thrown in between its lines);
    unchanged where nothing of the lead carries words."""
    lead = next((p for p in score.parts if p.name == lead_name), None)
    starts = {lyric.start for lyric in score.lyrics}
    if lead is None or not starts:
        return score
    sung = [n for n in lead.notes if n.start in starts]
    kept = [n for n in lead.notes if n.start not in starts]
    line_of = {lyric.start: lyric.line for lyric in score.lyrics}
    parts = [replace(p, notes=kept) if p is lead else p for p in score.parts]
    # rap is spoken: its written pitches move to the low part of the voice, as they are
    parts = [replace(p, notes=[n.moved(singer.low + RAP_ABOVE_LOW - RAP_CENTRE) for n in p.notes],
                     instrument=singer.name) if p.name == RAP_PART else p for p in parts]
    if sung:
        notes = breathe(in_range(sung, line_of, singer), line_of)
        parts.append(Part(VOCAL_PART, VOICE_PROGRAM, notes, instrument=singer.name))
        harmony = harmony_notes(notes, score, singer, genre)
        if harmony:
            parts.append(Part(HARMONY_PART, VOICE_PROGRAM, harmony, instrument=singer.name))
        choruses = chorus_spans(score, genre)
        doubled = [n for n in notes if any(a <= n.start < b for a, b in choruses)] if doubles else []
        if doubled:
            parts.append(Part(DOUBLE_PART, VOICE_PROGRAM, doubled, instrument=singer.name))
        thrown_in, words = adlib_notes(notes, score, singer, choruses, adlibs)
        if thrown_in:
            parts.append(Part(ADLIB_PART, VOICE_PROGRAM, thrown_in, instrument=singer.name))
            score = replace(score, adlibs=words)
    backing = backing_notes(score, singer, genre)
    if backing:
        parts.append(Part(BACKING_PART, CHOIR_PROGRAM, backing, instrument=singer.name))
    return replace(score, parts=[p for p in parts if p.notes or p.name != lead_name])


def chorus_spans(score: Score, genre: str) -> list[tuple[float, float]]:
    """(first beat, end beat) of every section whose melody returns (the choruses)."""
    return spans_where(score.sections, genre, score.beats_per_bar, lambda kind: kind.returns)


def in_range(notes: list[Note], line_of: dict[float, int], singer: Singer) -> list[Note]:
    """The notes moved by whole octaves to the singer's range; a lyric line still out of it
    moves by octaves of its own, and a note still out after that is folded in."""
    low, high = singer.low, singer.high
    shift = octave_shift([n.pitch for n in notes], low, high)
    moved = [n.moved(shift) for n in notes]
    lines: dict[int, list[int]] = {}
    for i, n in enumerate(moved):
        lines.setdefault(line_of.get(n.start, -1), []).append(i)
    for members in lines.values():
        pitches = [moved[i].pitch for i in members]
        if any(not low <= p <= high for p in pitches):
            extra = octave_shift(pitches, low, high)
            for i in members:
                moved[i] = moved[i].moved(extra)
    return [replace(n, pitch=fold(n.pitch, low, high)) for n in moved]


def breathe(notes: list[Note], line_of: dict[float, int]) -> list[Note]:
    """Each lyric line's last note shortened where the next line starts straight after it, so
    the singer has a breath (a note keeps at least half its length).

    >>> breathe([Note(60, 0, 1), Note(62, 1, 1)], {0: 0, 1: 1})[0].duration
    0.75
    """
    notes = sorted(notes, key=lambda n: n.start)
    out = list(notes)
    for i, (a, b) in enumerate(zip(notes, notes[1:])):
        if line_of.get(a.start) != line_of.get(b.start) and b.start - a.end < BREATH_BEATS:
            out[i] = replace(a, duration=max(a.duration / 2, min(a.duration, b.start - a.start - BREATH_BEATS)))
    return out


def harmony_notes(lead: list[Note], score: Score, singer: Singer, genre: str) -> list[Note]:
    """A second voice over the lead through the sections whose melody returns (the choruses): on
    each note, the nearest tone of the chord sounding there that lies a third to a sixth above
    it (below, where that would leave the voice's range); it sings the lead's words.

    >>> from maestro_ai.core.key import Key
    >>> from maestro_ai.core.meter import TimeSignature
    >>> from maestro_ai.core.score import Section
    >>> from maestro_ai.prompt.singers import load_singer
    >>> score = Score(100.0, Key(0, "major"), TimeSignature(4, 4), [Section("chorus", 0, 1, .8)],
    ...               [Chord("C", 0, (0, 4, 7), 0, 4)], [])
    >>> [n.pitch for n in harmony_notes([Note(64, 0, 1), Note(62, 1, 1), Note(72, 2, 2)], score, load_singer("female-high"), "pop")]
    [67, 67, 76]
    """
    spans = chorus_spans(score, genre)
    out = []
    for note in lead:
        if not any(a <= note.start < b for a, b in spans):
            continue
        chord = next((c for c in score.chords if c.start <= note.start < c.end), None)
        if chord is None:
            continue
        tones = set(chord.pitch_classes)
        above = [note.pitch + i for i in range(HARMONY_LOW, HARMONY_HIGH + 1) if (note.pitch + i) % 12 in tones]
        below = [note.pitch - i for i in range(HARMONY_LOW, HARMONY_HIGH + 1) if (note.pitch - i) % 12 in tones]
        pitch = next((p for p in above if p <= singer.high), next((p for p in below if p >= singer.low), None))
        if pitch is not None:
            out.append(replace(note, pitch=pitch, velocity=max(1, note.velocity - HARMONY_SOFTER)))
    return out


def backing_notes(score: Score, singer: Singer, genre: str) -> list[Note]:
    """The third and fifth of every chord of the sections whose melody returns, held on "ooh" in
    the lower part of the singer's range, each chord's two notes voice-led from the last."""
    spans = chorus_spans(score, genre)
    low, high = singer.low + 2, singer.low + 14
    out: list[Note] = []
    previous: list[int] | None = None
    for chord in score.chords:
        if not any(a <= chord.start < b for a, b in spans) or chord.duration <= BACKING_GAP:
            continue
        pitches = voice_chord(_third_and_fifth(chord), previous, low, high)
        previous = pitches
        out += [Note(p, chord.start, chord.duration - BACKING_GAP, BACKING_VELOCITY) for p in pitches]
    return out


def _third_and_fifth(chord: Chord) -> tuple[int, ...]:
    """The pitch classes the backing sings: the chord's third and fifth (its root and top tone
    where it has fewer than three)."""
    tones = [(chord.root + i) % 12 for i in chord.intervals]
    return tuple(tones[1:3]) if len(tones) >= 3 else tuple(tones[:2])
