"""The training corpus: licence-clean melodies from music21's corpus, as bars of notes and chords.

Each piece becomes a `Piece`: its key, metre and, bar by bar, the melody's notes (16th-note grid)
and a chord per half bar or bar, estimated from every voice sounding there (the Bach chorales'
four voices; a folk tune's own line). Only the collections in `COLLECTIONS` are read, and any
file whose text mentions a licence or copyright restriction is skipped and listed (`scan_licences`).

>>> from music21 import converter
>>> tune = converter.parse("X:1\\nM:4/4\\nL:1/8\\nK:G\\nG2B2 d2B2|c2A2 F2D2|G8|]", format="abc")
>>> piece = extract(tune, "example", 0)
>>> piece.tonic, piece.mode, piece.bar16, len(piece.bars)
(7, 'major', 16, 3)
>>> piece.bars[0].notes[:2]
[(0, 67, 4), (4, 71, 4)]
>>> piece.bars[0].chords, piece.bars[2].chords
([(0, 7, 'maj')], [(0, 7, 'maj')])
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from maestro_ai.models.tokens import MAJOR_DIATONIC, MINOR_DIATONIC, QUALITIES

# Collection -> why its music may be trained on. Compositions are all long out of copyright; the
# encodings ship inside music21 by permission of their encoders with no non-commercial term (unlike
# the Essen folk songs, whose own licence is non-commercial only, and which are left out).
COLLECTIONS = {
    "airdsAirs": "James Aird, Selection of Scotch, English, Irish and Foreign Airs (1778-1803), public domain; "
                 "ABC encoding by Jack Campin, distributed with music21 under its corpus licence",
    "oneills1850": "Francis O'Neill, The Music of Ireland (1903), public domain; ABC encoding by Norbert Paap, "
                   "distributed with music21 under its corpus licence",
    "ryansMammoth": "William Bradbury Ryan, Ryan's Mammoth Collection (1883), public domain; ABC encodings "
                    "contributed to the Ryan's Mammoth project, distributed with music21 under its corpus licence",
    "bach": "J. S. Bach, four-part chorales (18th century), public domain; MusicXML encodings distributed "
            "with music21 under its corpus licence",
}
RESTRICTED = re.compile(r"non-?commercial|all rights reserved|copyright|licen[cs]e", re.IGNORECASE)


@dataclass
class Bar:
    """One bar: notes as (position, MIDI pitch, duration) in 16ths from the bar's start, and chords
    as (position, root pitch class, quality)."""

    notes: list[tuple[int, int, int]] = field(default_factory=list)
    chords: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class Piece:
    """A melody with its key, metre and harmony, ready for tokenizing."""

    source: str  # corpus path, and the tune's number inside a multi-tune file
    tonic: int
    mode: str  # "major" or "minor"
    meter: str  # e.g. "6/8"
    bar16: int  # bar length in 16ths
    bars: list[Bar]

    @property
    def note_count(self) -> int:
        return sum(len(b.notes) for b in self.bars)

    def timeline(self, bars: int | None = None) -> list[tuple[int, int, int]]:
        """The melody as (start, pitch, duration) in 16ths from the first bar (the first `bars` bars)."""
        return [(b * self.bar16 + pos, pitch, dur) for b, bar in enumerate(self.bars[:bars]) for pos, pitch, dur in bar.notes]


def corpus_root() -> Path:
    import music21

    return Path(music21.__file__).parent / "corpus"


def collection_files(name: str) -> list[Path]:
    """Every score file of a collection, sorted (so splits are reproducible)."""
    folder = corpus_root() / name
    return sorted(p for p in folder.iterdir() if p.suffix in (".abc", ".mxl", ".xml", ".musicxml"))


def scan_licences(files: list[Path]) -> dict[str, str]:
    """Files whose own text mentions a licence, copyright or non-commercial term -> that line."""
    flagged = {}
    for path in files:
        if path.suffix != ".abc":
            continue  # compressed MusicXML: its rights field is checked after parsing
        for line in path.read_text(encoding="latin-1").splitlines():
            if RESTRICTED.search(line):
                flagged[str(path.relative_to(corpus_root()))] = line.strip()
                break
    return flagged


def _segments(bar16: int) -> list[int]:
    """Where harmony may change inside a bar: the half bar in metres with two strong beats."""
    return [0, bar16 // 2] if bar16 in (16, 12, 24) else [0]


def estimate_chord(weights: np.ndarray, bass: np.ndarray, tonic: int, mode: str, previous: tuple[int, str] | None):
    """The chord (root, quality) that best explains a span's pitch-class weights.

    Chord tones count for, other tones against; the lowest sounding notes (`bass`) favour roots;
    diatonic chords and keeping the previous chord break near-ties.

    >>> w = np.zeros(12); w[[0, 4, 7]] = 1.0
    >>> estimate_chord(w, np.zeros(12), 0, "major", None)
    (0, 'maj')
    """
    total = float(weights.sum())
    diatonic = MAJOR_DIATONIC if mode == "major" else MINOR_DIATONIC
    best, best_score = None, -np.inf
    for root in range(12):
        for quality, intervals in QUALITIES.items():
            member = np.zeros(12, dtype=bool)
            member[[(root + i) % 12 for i in intervals]] = True
            score = weights[member].sum() - 0.7 * weights[~member].sum() + 0.6 * weights[root] + bass[root]
            if quality == "7":
                score -= 0.25 * total if weights[(root + 10) % 12] == 0 else 0.1 * total
            if ((root - tonic) % 12, quality) in diatonic:
                score += 0.15 * total
            if previous == (root, quality):
                score += 0.3 * total
            if score > best_score:
                best, best_score = (root, quality), score
    return best


def _lines(score) -> tuple[object, list]:
    """The melody part (a soprano, else the first part) and every part."""
    parts = list(score.parts) if hasattr(score, "parts") and len(score.parts) else [score]
    named = [p for p in parts if "soprano" in (p.partName or "").lower()]
    return (named[0] if named else parts[0]), parts


def _measure_spans(part, bar_ql: float) -> list[tuple[float, float]]:
    """(start offset in the part, offset of the bar's downbeat) for each measure.

    A short measure is a pickup (right-aligned) when it opens the piece or follows another short
    measure (the end of a repeated strain followed by the next strain's pickup); otherwise it is
    the short last bar of a strain (left-aligned)."""
    spans, previous_short = [], False
    measures = list(part.getElementsByClass("Measure"))
    for i, m in enumerate(measures):
        length = float(m.duration.quarterLength)
        short = length < bar_ql - 1e-6
        pickup = short and (i == 0 or previous_short)
        spans.append((float(m.offset), float(m.offset) - (bar_ql - length if pickup else 0.0)))
        previous_short = short and not pickup
    return spans


def extract(score, source: str, number: int) -> Piece | None:
    """A Piece from one music21 score, or None when it does not fit the grid (metre changes,
    tuplets, chords in the melody line, too short)."""
    from music21 import meter

    melody, parts = _lines(score)
    signatures = {ts.ratioString for ts in melody.recurse().getElementsByClass(meter.TimeSignature)}
    if len(signatures) != 1:
        return None
    ts = next(iter(melody.recurse().getElementsByClass(meter.TimeSignature)))
    bar_ql = float(ts.barDuration.quarterLength)
    bar16 = int(round(bar_ql * 4))
    if abs(bar16 - bar_ql * 4) > 1e-6 or not 4 <= bar16 <= 32:
        return None
    key = score.analyze("key")
    tonic, mode = key.tonic.pitchClass, ("minor" if key.mode == "minor" else "major")
    spans = _measure_spans(melody, bar_ql)
    if not spans:
        return None
    downbeats = [d for _, d in spans]

    def locate(offset: float) -> tuple[int, float]:
        i = max(0, int(np.searchsorted([s for s, _ in spans], offset + 1e-6)) - 1)
        return i, offset - downbeats[i]

    flat = melody.stripTies().flatten()
    bars = [Bar() for _ in spans]
    off_grid = 0
    for n in flat.notes:
        if n.duration.isGrace or n.duration.quarterLength == 0:
            continue
        pitch = max(p.midi for p in n.pitches)
        index, within = locate(float(n.offset))
        pos, dur = within * 4, float(n.duration.quarterLength) * 4
        if abs(pos - round(pos)) > 1e-3 or abs(dur - round(dur)) > 1e-3:
            off_grid += 1
        pos, dur = int(round(pos)), max(1, int(round(dur)))
        if 0 <= pos < bar16:
            bars[index].notes.append((pos, pitch, dur))
    notes = sum(len(b.notes) for b in bars)
    if notes < 8 or off_grid > 0.02 * notes:
        return None
    _estimate_harmony(parts, bars, locate, bar16, tonic, mode)
    return Piece(f"{source}#{number}" if number else source, tonic, mode, ts.ratioString, bar16, bars)


def _estimate_harmony(parts, bars: list[Bar], locate, bar16: int, tonic: int, mode: str) -> None:
    """Fill each bar's chords from every part's notes, per segment (merging repeats)."""
    starts = _segments(bar16)
    weights = np.zeros((len(bars), len(starts), 12))
    lowest = np.full((len(bars), len(starts)), 200)
    low_pc = np.zeros((len(bars), len(starts)), dtype=int)
    for part in parts:
        for n in part.stripTies().flatten().notes:
            if n.duration.isGrace:
                continue
            index, within = locate(float(n.offset))
            pos, dur = int(round(within * 4)), max(1, int(round(float(n.duration.quarterLength) * 4)))
            for seg, seg_start in enumerate(starts):
                seg_end = starts[seg + 1] if seg + 1 < len(starts) else bar16
                overlap = min(pos + dur, seg_end) - max(pos, seg_start)
                if overlap <= 0 or not 0 <= index < len(bars):
                    continue
                strong = 1.5 if pos == seg_start else 1.0
                for p in n.pitches:
                    weights[index, seg, p.pitchClass] += overlap * strong
                    if p.midi < lowest[index, seg]:
                        lowest[index, seg], low_pc[index, seg] = p.midi, p.pitchClass
    previous = None
    for index, bar in enumerate(bars):
        for seg, seg_start in enumerate(starts):
            if weights[index, seg].sum() == 0:
                continue
            bass = np.zeros(12)
            if len(parts) > 1:
                bass[low_pc[index, seg]] = 0.3 * weights[index, seg].sum()
            chord = estimate_chord(weights[index, seg], bass, tonic, mode, previous)
            if chord != previous or seg == 0:
                bar.chords.append((seg_start, *chord))
            previous = chord


def _parse_file(path: Path) -> list[Piece]:
    """Every usable piece in one corpus file (a multi-tune ABC file holds many)."""
    from music21 import converter, stream

    relative = str(path.relative_to(corpus_root()))
    try:
        parsed = converter.parse(str(path))
    except Exception:  # noqa: BLE001 - a file music21 cannot read is skipped, not fatal
        return []
    scores = list(parsed.scores) if isinstance(parsed, stream.Opus) else [parsed]
    pieces = []
    for number, score in enumerate(scores, start=1 if len(scores) > 1 else 0):
        rights = getattr(score.metadata, "copyright", None) if score.metadata else None
        if rights and RESTRICTED.search(str(rights)):
            continue
        try:
            piece = extract(score, relative, number)
        except Exception:  # noqa: BLE001 - malformed tunes are skipped
            piece = None
        if piece is not None:
            pieces.append(piece)
    return pieces


def load_corpus(collections: list[str] | None = None, workers: int | None = None) -> tuple[list[Piece], dict[str, str]]:
    """Parse the licence-clean collections (in parallel); return the pieces, in a fixed order, and
    the files skipped for a licence term."""
    from concurrent.futures import ProcessPoolExecutor

    files = [f for name in (collections or list(COLLECTIONS)) for f in collection_files(name)]
    flagged = scan_licences(files)
    files = [f for f in files if str(f.relative_to(corpus_root())) not in flagged]
    workers = workers or min(2, os.cpu_count() or 1)
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(_parse_file, files, chunksize=4))
    return [piece for pieces in results for piece in pieces], flagged
