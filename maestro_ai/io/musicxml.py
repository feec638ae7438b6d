"""Write a score as MusicXML 4.0 (partwise), quantized to 16th notes for notation.

Each part becomes one staff. Within a part, notes that start together form a chord and sound until
the next onset (a readable reduction of overlapping notes); notes crossing a barline are tied.
Drums are written on a percussion staff with unpitched notes.

>>> from maestro_ai.core.key import Key
>>> from maestro_ai.core.meter import TimeSignature
>>> from maestro_ai.core.score import Note, Part, Score, Section
>>> score = Score(90, Key(9, "minor"), TimeSignature(4, 4), [Section("verse", 0, 1, 0.5)], [],
...               [Part("melody", 0, [Note(69, 0, 1.5), Note(72, 1.5, 2.5)])])
>>> b"<fifths>0</fifths>" in musicxml_bytes(score, "Demo")
True
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from maestro_ai.core.key import Key
from maestro_ai.core.score import Lyric, Note, Part, Score
from maestro_ai.io.atomic import atomic_path

DIVISIONS = 4  # per quarter note: 16th-note resolution
NOTE_TYPES = [(16, "whole", 0), (12, "half", 1), (8, "half", 0), (6, "quarter", 1), (4, "quarter", 0),
              (3, "eighth", 1), (2, "eighth", 0), (1, "16th", 0)]
STEPS_SHARP = [("C", 0), ("C", 1), ("D", 0), ("D", 1), ("E", 0), ("F", 0), ("F", 1), ("G", 0), ("G", 1),
               ("A", 0), ("A", 1), ("B", 0)]
STEPS_FLAT = [("C", 0), ("D", -1), ("D", 0), ("E", -1), ("E", 0), ("F", 0), ("G", -1), ("G", 0), ("A", -1),
              ("A", 0), ("B", -1), ("B", 0)]
# Where each GM drum sits on a five-line percussion staff.
DRUM_DISPLAY = {36: ("F", 4), 38: ("C", 5), 39: ("C", 5), 37: ("C", 5), 42: ("G", 5), 44: ("D", 4),
                46: ("G", 5), 51: ("F", 5), 49: ("A", 5), 70: ("E", 5), 45: ("A", 4), 47: ("D", 5), 50: ("E", 5)}
_PARENT_MAJOR = {"major": 0, "minor": 3, "dorian": -2, "phrygian": -4, "lydian": -5, "mixolydian": -7}


def _fifths(key: Key) -> int:
    major = (key.tonic + _PARENT_MAJOR[key.mode]) % 12
    fifths = (major * 7) % 12
    if fifths > 6 or (fifths == 6 and key.flats):
        fifths -= 12
    return fifths


def _pieces(units: int) -> list[tuple[int, str, int]]:
    """Split a duration (in 16ths) into note values that tie together."""
    out = []
    for size, name, dots in NOTE_TYPES:
        while units >= size:
            out.append((size, name, dots))
            units -= size
    return out


def _events(part: Part, bar_units: int, total_units: int) -> list[tuple[int, int, list[int]]]:
    """(start, length, pitches) in 16ths, monophonic-chordal, gaps as empty pitch lists."""
    by_onset: dict[int, list[Note]] = {}
    for n in part.notes:
        by_onset.setdefault(int(round(n.start * DIVISIONS)), []).append(n)
    onsets = sorted(o for o in by_onset if 0 <= o < total_units)
    events, cursor = [], 0
    for i, onset in enumerate(onsets):
        if onset > cursor:
            events.append((cursor, onset - cursor, []))
        nxt = onsets[i + 1] if i + 1 < len(onsets) else total_units
        longest = max(int(round(n.end * DIVISIONS)) for n in by_onset[onset])
        end = max(onset + 1, min(longest, nxt))
        events.append((onset, end - onset, sorted({n.pitch for n in by_onset[onset]})))
        cursor = end
    if cursor < total_units:
        events.append((cursor, total_units - cursor, []))
    return events


def _lyric_xml(lyric: Lyric | None) -> str:
    """A sung syllable under its note (MusicXML's lyric: its place in the word, its text)."""
    if lyric is None or not lyric.text:
        return ""
    return f"<lyric number=\"1\"><syllabic>{lyric.syllabic}</syllabic><text>{escape(lyric.text)}</text></lyric>"


def _note_xml(pitches: list[int], size: int, name: str, dots: int, tie_start: bool, tie_stop: bool,
              drum: bool, flats: bool, lyric: Lyric | None = None) -> str:
    if not pitches:
        return f"<note><rest/><duration>{size}</duration><type>{name}</type>{'<dot/>' * dots}</note>"
    xml = []
    for i, pitch in enumerate(pitches):
        chord = "<chord/>" if i else ""
        if drum:
            step, octave = DRUM_DISPLAY.get(pitch, ("C", 5))
            sound = f"<unpitched><display-step>{step}</display-step><display-octave>{octave}</display-octave></unpitched>"
        else:
            step, alter = (STEPS_FLAT if flats else STEPS_SHARP)[pitch % 12]
            alter_xml = f"<alter>{alter}</alter>" if alter else ""
            sound = f"<pitch><step>{step}</step>{alter_xml}<octave>{pitch // 12 - 1}</octave></pitch>"
        ties = ("<tie type=\"stop\"/>" if tie_stop else "") + ("<tie type=\"start\"/>" if tie_start else "")
        notations = ""
        if tie_start or tie_stop:
            notations = "<notations>" + ("<tied type=\"stop\"/>" if tie_stop else "") + \
                        ("<tied type=\"start\"/>" if tie_start else "") + "</notations>"
        head = "<notehead>x</notehead>" if drum and pitch in (42, 44, 46, 49, 51) else ""
        words = _lyric_xml(lyric) if i == 0 else ""
        xml.append(f"<note>{chord}{sound}<duration>{size}</duration>{ties}<type>{name}</type>"
                   f"{'<dot/>' * dots}{head}{notations}{words}</note>")
    return "".join(xml)


def musicxml_bytes(score: Score, title: str) -> bytes:
    """The MusicXML document of a score."""
    num, den = score.time_signature
    bar_units = int(round(score.beats_per_bar * DIVISIONS))
    bars = max(1, score.bars)
    total = bars * bar_units
    flats = score.key.flats
    mode = "minor" if score.key.minor_like else "major"
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" '
           '"http://www.musicxml.org/dtds/partwise.dtd">',
           '<score-partwise version="4.0">',
           f"<work><work-title>{escape(title)}</work-title></work>",
           "<identification><encoding><software>Maestro</software></encoding></identification>",
           "<part-list>"]
    for i, part in enumerate(score.parts, 1):
        label = escape(f"{part.name.title()} ({part.instrument})" if part.instrument else part.name.title())
        midi = (f"<midi-instrument id=\"P{i}-I1\"><midi-channel>{10 if part.is_drum else min(16, i)}</midi-channel>"
                f"<midi-program>{part.program + 1}</midi-program></midi-instrument>")
        out.append(f"<score-part id=\"P{i}\"><part-name>{label}</part-name>"
                   f"<score-instrument id=\"P{i}-I1\"><instrument-name>{label}</instrument-name></score-instrument>"
                   f"{midi}</score-part>")
    out.append("</part-list>")
    for i, part in enumerate(score.parts, 1):
        out.append(f"<part id=\"P{i}\">")
        events = _events(part, bar_units, total)
        low = sum(n.pitch for n in part.notes) / len(part.notes) < 55 if part.notes else False
        clef = ("<clef><sign>percussion</sign><line>2</line></clef>" if part.is_drum
                else "<clef><sign>F</sign><line>4</line></clef>" if low
                else "<clef><sign>G</sign><line>2</line></clef>")
        measures: list[list[str]] = [[] for _ in range(bars)]
        sung = {int(round(lyric.start * DIVISIONS)): lyric for lyric in score.words_for(part.name)}
        for start, length, pitches in events:
            pos, remaining = start, length
            while remaining > 0:
                bar = pos // bar_units
                room = (bar + 1) * bar_units - pos
                chunk = min(room, remaining)
                pieces = _pieces(chunk)
                for j, (size, name, dots) in enumerate(pieces):
                    last_piece = j == len(pieces) - 1 and chunk == remaining
                    tie_start = bool(pitches) and not last_piece
                    tie_stop = bool(pitches) and pos > start
                    lyric = sung.get(start) if pos == start and pitches else None
                    measures[bar].append(_note_xml(pitches, size, name, dots, tie_start, tie_stop, part.is_drum, flats,
                                                   lyric))
                    pos += size
                remaining -= chunk
        for m, content in enumerate(measures, 1):
            attrs = ""
            if m == 1:
                attrs = (f"<attributes><divisions>{DIVISIONS}</divisions>"
                         f"<key><fifths>{_fifths(score.key)}</fifths><mode>{mode}</mode></key>"
                         f"<time><beats>{num}</beats><beat-type>{den}</beat-type></time>{clef}</attributes>"
                         f"<direction placement=\"above\"><direction-type><metronome><beat-unit>quarter</beat-unit>"
                         f"<per-minute>{score.tempo:g}</per-minute></metronome></direction-type>"
                         f"<sound tempo=\"{score.tempo:g}\"/></direction>")
            out.append(f"<measure number=\"{m}\">{attrs}{''.join(content)}</measure>")
        out.append("</part>")
    out.append("</score-partwise>")
    return "\n".join(out).encode("utf-8")


def write_musicxml(score: Score, title: str, path: Path) -> Path:
    """Write song.musicxml atomically."""
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(musicxml_bytes(score, title))
    return Path(path)
