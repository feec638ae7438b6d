"""How Maestro arranges a song: form, drops, melody, swing, harmony, variety, endings, speed.

    python -m evaluation.arrangement [--seconds 120] [--seeds 1,2,3] [--genres house,jazz]
                                     [--variety-seeds 1,2,3,4,5] [--long-seconds 180]
    # writes docs/arrangement-evaluation.md (+ .json)

Every song is generated through the public API (`maestro_ai.MusicGenerator`, studio quality, the
mood of `evaluation.sound.MOODS`) and read back only with independent tools: mido for song.mid,
plain json for track.json (sections, bar_seconds, chords, instrumentation, title, timings), and
soundfile + pyebur128 (BS.1770) for mix.wav. Onset positions are rounded to the nearest 16th note
after the melody's swung off-beats are moved back by the preset's swing (a swung or humanized
offbeat lands on its grid slot), and a note belongs to the bar its rounded onset falls in. Each
figure is a small function over plain data below; targets are in `TARGETS`.
A per-song target passes when at least `PASS_SHARE` of the songs it applies to meet it.

1. form: each section's length in bars; the share that are a multiple of 4 (and of 2).
2. drops: sections of >= 4 bars with no kick (GM 35/36 on the drum track), and the loudness gap:
   the integrated loudness of each consecutive 8-bar window of the mix from bar 0 (whole windows
   inside the composed bars only), loudest minus quietest, LU.
3. per-section loudness (mean LUFS by section name); bars with no drum onset, bars with no bass onset.
4. melody (the track named "melody"): (a) empty bars: the share of bars from the bar of its first
   onset to the bar of its last with no onset; (b) repeated bars: of the bars with an onset, the
   share whose (16th position, pitch) content equals an earlier bar's; (c) chorus return: each
   later chorus (or hook) against the first, matching (16th from section start, pitch) pairs over
   the larger count, over the bars both have; a song's figure is its minimum (reported too for
   every section name that comes twice or more); (d) notes per bar by section name. A key change
   declared in track.json (form.key_change) is undone first: a chorus lifted a step is the same hook.
5. swing: the median position in the beat (0-1) of every onset (drums too) that falls in [0.42, 0.68].
6. harmony: (a) median pitch span of 3+-note onset groups (30 ticks) of the strings part; (b) the
   share of the harmony part's onset groups that are power chords (pitch classes {r, r+7} of the
   lowest note, which is below C4; also reported in any register); (c) distinct chord symbols per song, and whether the chorus
   plays another progression than the verse (each reduced to its loop; a rotation is the same).
7. variety across seeds: distinct forms, titles and instrument sets per genre.
8. endings: whether >= 3 distinct drum notes sound in the last composed bar; seconds of audio
   after the last note-off.
9. compose speed: plan + compose seconds from track.json's timings.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import mido
import numpy as np
import pyebur128
import soundfile
from pyebur128 import MeasurementMode, R128State
from scipy.signal import welch

from evaluation.common import DOCS
from evaluation.sound import MOODS
from maestro_ai.prompt.presets import all_genres, load_genre

KICKS = (35, 36)  # GM acoustic and electric bass drum
CHORUS_NAMES = ("chorus", "hook")
DROP_GENRES = ("house", "techno", "trap")
LONG_GENRES = ("pop", "jazz")  # also run at --long-seconds: chord variety and compose speed
DROP_MIN_SECONDS = 120.0  # the drop targets hold for songs of two minutes or more
MIN_SECTION_BARS = 4
WINDOW_BARS = 8
GROUP_TICKS = 30  # notes starting this close together (at 480 PPQ) sound as one chord
SWING_WINDOW = (0.42, 0.68)
SWUNG_GENRE = 0.3  # genres whose preset swing is at least this are held to the swing target
SILENT_LUFS = -70.0  # BS.1770's absolute gate: silence and near-silence read as this
PASS_SHARE = 0.9
TARGETS = {
    "sections_multiple_of_4": 0.9,  # share of all sections (chosen here: the brief names no figure)
    "kick_free_sections": 1, "loudness_gap_lu": 6.0,
    "melody_empty_bars": 0.15, "melody_repeated_bars": (0.3, 0.7), "chorus_return": 0.8,
    "swing": 0.55, "strings_span": 12, "power_chords": 0.8, "distinct_chords": 8,
    "distinct_forms": 3, "distinct_titles": 3, "distinct_instrument_sets": 2, "compose_seconds": 0.5,
}

Onset = tuple[float, int]  # (beat from the start, MIDI pitch); a beat is a quarter note


# ---------------------------------------------------------------------------------------------
# Reading the files


HIGH_BAND = (2000.0, 8000.0)  # Hz: a synth's edge, which a closed filter takes away


def read_midi(path: Path | str) -> dict:
    """song.mid as plain data: ticks per beat, quarter notes per bar, the tempo map as (beat, seconds
    per beat), and per track (by its track_name) whether it is on channel 10 and its notes as
    (start beat, end beat, pitch)."""
    midi = mido.MidiFile(path)
    tpb = midi.ticks_per_beat
    beats_per_bar, tempos, tracks = 4.0, [], {}
    for index, track in enumerate(midi.tracks):
        name, now, held, notes, drums = f"track {index}", 0, {}, [], False
        for msg in track:
            now += msg.time
            if msg.type == "track_name":
                name = msg.name
            elif msg.type == "set_tempo":
                tempos.append((now / tpb, msg.tempo / 1e6))
            elif msg.type == "time_signature" and now == 0:
                beats_per_bar = msg.numerator * 4 / msg.denominator
            elif msg.type == "note_on" and msg.velocity > 0:
                drums |= msg.channel == 9
                held.setdefault((msg.channel, msg.note), []).append(now)
            elif msg.type in ("note_on", "note_off") and held.get((msg.channel, msg.note)):
                start = held[(msg.channel, msg.note)].pop(0)
                notes.append((start / tpb, now / tpb, msg.note))
        notes += [(start / tpb, now / tpb, key[1]) for key, starts in held.items() for start in starts]
        if notes:
            tracks[name] = {"drums": drums, "notes": sorted(notes)}
    tempos = sorted(tempos) or [(0.0, 0.5)]
    return {"ticks_per_beat": tpb, "beats_per_bar": beats_per_bar, "tempos": tempos, "tracks": tracks}


def beat_seconds(beat: float, tempos: Sequence[tuple[float, float]]) -> float:
    """Seconds at a beat, through a tempo map of (beat, seconds per beat) from beat 0.

    >>> beat_seconds(6, [(0, 0.5), (4, 0.25)])
    2.5
    """
    seconds, (at, per) = 0.0, (0.0, tempos[0][1])
    for change, next_per in tempos:
        if change >= beat:
            break
        seconds += (change - at) * per
        at, per = change, next_per
    return seconds + (beat - at) * per


def onsets(notes: Iterable[tuple[float, float, int]]) -> list[Onset]:
    """(start, pitch) of (start, end, pitch) notes."""
    return [(start, pitch) for start, _, pitch in notes]


# ---------------------------------------------------------------------------------------------
# The grid


def unswung(beat: float, swing: float, unit: float) -> float:
    """An onset moved back from where the preset's swing plays an off-beat `unit` note (swing 1
    is a 2:1 triplet feel) to the straight grid, so that the same bar played twice with human
    timing rounds to the same 16ths; onsets elsewhere stay.

    >>> round(unswung(0.61, 0.67, 0.5), 3), unswung(0.75, 0.67, 0.5), unswung(0.5, 0.0, 0.25)
    (0.498, 0.75, 0.5)
    """
    delay = swing * unit / 3.0
    if delay <= 0:
        return beat
    return beat - delay if abs(beat % (2 * unit) - (unit + delay)) <= delay / 2 else beat


def sixteenth(beat: float) -> int:
    """The 16th note a beat position rounds to (half up).

    >>> sixteenth(1.59), sixteenth(0.125), sixteenth(-0.01)
    (6, 1, 0)
    """
    return int(np.floor(beat * 4 + 0.5))


def bar16(beats_per_bar: float) -> int:
    """16ths in a bar: 16 in 4/4, 12 in 6/8."""
    return int(round(beats_per_bar * 4))


def bar_of(beat: float, beats_per_bar: float) -> int:
    """The bar an onset belongs to, after rounding to the 16th (a kick 5 ticks early is the next bar's).

    >>> bar_of(3.99, 4), bar_of(3.8, 4)
    (1, 0)
    """
    return sixteenth(beat) // bar16(beats_per_bar)


def bar_contents(notes: Iterable[Onset], beats_per_bar: float, bars: int = 0) -> list[tuple]:
    """Each bar's content: the sorted (16th from the bar's start, pitch) of its onsets; at least
    `bars` bars, more if notes come later.

    >>> bar_contents([(0.02, 60), (4.49, 62), (5.0, 64)], 4, 3)
    [((0, 60),), ((2, 62), (4, 64)), ()]
    """
    per_bar, grid = {}, bar16(beats_per_bar)
    for beat, pitch in notes:
        bar, position = divmod(sixteenth(beat), grid)
        per_bar.setdefault(bar, []).append((position, pitch))
    count = max([bars, *(b + 1 for b in per_bar)])
    return [tuple(sorted(per_bar.get(b, []))) for b in range(count)]


# ---------------------------------------------------------------------------------------------
# 1. Form


def form(sections: Sequence[dict]) -> str:
    """A song's form as 'name:bars ...'.

    >>> form([{"name": "intro", "start_bar": 0, "end_bar": 4}, {"name": "verse", "start_bar": 4, "end_bar": 12}])
    'intro:4 verse:8'
    """
    return " ".join(f"{s['name']}:{s['end_bar'] - s['start_bar']}" for s in sections)


def multiple_share(sections: Sequence[dict], n: int) -> float | None:
    """The share of sections whose length in bars is a multiple of n.

    >>> multiple_share([{"start_bar": 0, "end_bar": 4}, {"start_bar": 4, "end_bar": 10}], 4)
    0.5
    """
    if not sections:
        return None
    return sum((s["end_bar"] - s["start_bar"]) % n == 0 for s in sections) / len(sections)


# ---------------------------------------------------------------------------------------------
# 2-3. Drops, loudness, empty bars


def kick_free_sections(sections: Sequence[dict], kick_bars: Iterable[int], min_bars: int = MIN_SECTION_BARS) -> int:
    """Sections of at least `min_bars` bars in whose bars no kick starts.

    >>> secs = [{"start_bar": 0, "end_bar": 4}, {"start_bar": 4, "end_bar": 8}, {"start_bar": 8, "end_bar": 10}]
    >>> kick_free_sections(secs, [4, 5])  # the last is kick-free but only two bars long
    1
    """
    kicked = set(kick_bars)
    return sum(s["end_bar"] - s["start_bar"] >= min_bars and not kicked & set(range(s["start_bar"], s["end_bar"]))
               for s in sections)


def bars_without(onset_bars: Iterable[int], bars: int) -> int:
    """How many of bars 0..bars-1 have no onset.

    >>> bars_without([0, 0, 2, 7], 4)
    2
    """
    return len(set(range(bars)) - set(onset_bars))


def lufs(audio: np.ndarray, rate: int) -> float:
    """Integrated loudness (pyebur128, BS.1770) of (frames, channels) audio, floored at SILENT_LUFS
    (silence, or anything shorter than one 400 ms block).

    >>> t = np.arange(44100 * 2) / 44100
    >>> round(lufs(np.stack([0.1 * np.sin(2 * np.pi * 997 * t)] * 2, axis=1), 44100), 1), lufs(np.zeros((44100, 2)), 44100)
    (-20.0, -70.0)
    """
    audio = np.ascontiguousarray(audio.reshape(len(audio), -1), dtype=np.float32)
    if len(audio) == 0:
        return SILENT_LUFS
    state = R128State(audio.shape[1], rate, MeasurementMode.MODE_I)
    state.add_frames(audio.ravel(), len(audio))
    value = float(pyebur128.get_loudness_global(state))
    return max(value, SILENT_LUFS) if np.isfinite(value) else SILENT_LUFS


def span_lufs(audio: np.ndarray, rate: int, start_s: float, end_s: float) -> float:
    """Integrated loudness of audio[start_s:end_s]."""
    return lufs(audio[int(round(start_s * rate)):int(round(end_s * rate))], rate)


def window_lufs(audio: np.ndarray, rate: int, bar_seconds: float, bars: int, window: int = WINDOW_BARS) -> list[float]:
    """The loudness of each consecutive `window`-bar window from bar 0 that lies wholly inside the
    composed bars (and the audio)."""
    whole = min(bars, int(len(audio) / rate / bar_seconds + 1e-6))
    return [span_lufs(audio, rate, k * window * bar_seconds, (k + 1) * window * bar_seconds)
            for k in range(whole // window)]


def loudness_gap(levels: Sequence[float]) -> float | None:
    """Loudest minus quietest, LU (None for fewer than two windows).

    >>> loudness_gap([-12.0, -20.5, -14.0]), loudness_gap([-12.0])
    (8.5, None)
    """
    return max(levels) - min(levels) if len(levels) >= 2 else None


def section_lufs(audio: np.ndarray, rate: int, bar_seconds: float, sections: Sequence[dict]) -> dict[str, float]:
    """Mean loudness (LUFS) of each section name's sections."""
    levels: dict[str, list[float]] = {}
    for s in sections:
        levels.setdefault(s["name"], []).append(span_lufs(audio, rate, s["start_bar"] * bar_seconds, s["end_bar"] * bar_seconds))
    return {name: float(np.mean(v)) for name, v in levels.items()}


# ---------------------------------------------------------------------------------------------
# 4. Melody


def empty_bar_share(contents: Sequence[tuple]) -> float | None:
    """Of the bars from the first bar with an onset to the last, the share with none.

    >>> empty_bar_share([(), ((0, 60),), (), (), ((4, 62),), ()])
    0.5
    """
    used = [i for i, bar in enumerate(contents) if bar]
    if not used:
        return None
    span = contents[used[0]:used[-1] + 1]
    return sum(not bar for bar in span) / len(span)


def repeated_bar_share(contents: Sequence[tuple]) -> float | None:
    """Of the bars with an onset, the share whose content equals an earlier bar's exactly.

    >>> a, b = ((0, 60), (8, 62)), ((0, 64),)
    >>> repeated_bar_share([a, b, (), a, a, ((0, 65),)])  # the 2nd and 3rd a repeat
    0.4
    """
    seen, repeats, count = set(), 0, 0
    for bar in contents:
        if bar:
            count += 1
            repeats += bar in seen
            seen.add(bar)
    return repeats / count if count else None


def section_notes(notes: Iterable[Onset], start_bar: int, end_bar: int, beats_per_bar: float) -> list[tuple[int, int]]:
    """(16th from the section's start, pitch) of the onsets in bars start_bar..end_bar-1.

    >>> section_notes([(15.9, 60), (16.5, 62), (24.0, 64)], 4, 6, 4)
    [(0, 60), (2, 62)]
    """
    grid = bar16(beats_per_bar)
    first, last = start_bar * grid, end_bar * grid
    return sorted((sixteenth(b) - first, p) for b, p in notes if first <= sixteenth(b) < last)


def return_overlap(first: Sequence[tuple[int, int]], first_bars: int, later: Sequence[tuple[int, int]], later_bars: int,
                   grid: int = 16) -> float | None:
    """Matching (16th, pitch) pairs of two sections over the larger count, over the bars both have
    (None when neither has a note there).

    >>> a = [(0, 60), (4, 62), (8, 64), (16, 65)]
    >>> return_overlap(a, 2, [(0, 60), (4, 62), (8, 67)], 1)  # bar 2 of a is not compared
    0.6666666666666666
    """
    limit = min(first_bars, later_bars) * grid
    a = Counter(n for n in first if n[0] < limit)
    b = Counter(n for n in later if n[0] < limit)
    larger = max(sum(a.values()), sum(b.values()))
    return sum((a & b).values()) / larger if larger else None


def chorus_return(notes: Sequence[Onset], sections: Sequence[dict], beats_per_bar: float,
                  names: Sequence[str] = CHORUS_NAMES) -> float | None:
    """The lowest `return_overlap` of a later chorus with the first (None with fewer than two)."""
    choruses = [s for s in sections if s["name"] in names]
    if len(choruses) < 2:
        return None
    grid = bar16(beats_per_bar)

    def content(s: dict) -> list[tuple[int, int]]:
        return section_notes(notes, s["start_bar"], s["end_bar"], beats_per_bar)

    def length(s: dict) -> int:
        return s["end_bar"] - s["start_bar"]

    first = choruses[0]
    overlaps = [return_overlap(content(first), length(first), content(s), length(s), grid) for s in choruses[1:]]
    overlaps = [o for o in overlaps if o is not None]
    return min(overlaps) if overlaps else None


def in_home_key(notes: Iterable[Onset], key_change: dict | None, beats_per_bar: float) -> list[Onset]:
    """The onsets with a declared key change (track.json form.key_change) undone, so that a chorus
    lifted a step is compared with the first as the same tune; a change that was declared but not
    played shows up as a chorus that no longer returns.

    >>> in_home_key([(0.0, 60), (8.0, 62)], {"bar": 2, "semitones": 2}, 4)
    [(0.0, 60), (8.0, 60)]
    """
    if not key_change:
        return list(notes)
    at = key_change["bar"] * beats_per_bar
    return [(b, p - key_change["semitones"] if b >= at - 1e-6 else p) for b, p in notes]


def section_returns(notes: Sequence[Onset], sections: Sequence[dict], beats_per_bar: float) -> dict[str, float]:
    """`chorus_return` for every section name that comes two or more times (a head, a drop, a verse).

    >>> secs = [{"name": n, "start_bar": i, "end_bar": i + 1} for i, n in enumerate(["head", "solo", "head", "solo"])]
    >>> section_returns([(0.0, 60), (8.0, 60), (4.0, 62), (12.0, 64)], secs, 4)
    {'head': 1.0, 'solo': 0.0}
    """
    names = [name for name, count in Counter(s["name"] for s in sections).items() if count >= 2]
    found = {name: chorus_return(notes, sections, beats_per_bar, (name,)) for name in names}
    return {name: value for name, value in found.items() if value is not None}


def notes_per_bar(onset_bars: Iterable[int], sections: Sequence[dict]) -> dict[str, float]:
    """Onsets per bar of each section name (all its sections together).

    >>> secs = [{"name": "verse", "start_bar": 0, "end_bar": 2}, {"name": "chorus", "start_bar": 2, "end_bar": 4}]
    >>> notes_per_bar([0, 0, 1, 3], secs)
    {'verse': 1.5, 'chorus': 0.5}
    """
    counts = Counter(onset_bars)
    notes: dict[str, int] = {}
    bars: dict[str, int] = {}
    for s in sections:
        notes[s["name"]] = notes.get(s["name"], 0) + sum(counts[b] for b in range(s["start_bar"], s["end_bar"]))
        bars[s["name"]] = bars.get(s["name"], 0) + s["end_bar"] - s["start_bar"]
    return {name: notes[name] / bars[name] for name in notes if bars[name]}


# ---------------------------------------------------------------------------------------------
# 5. Swing


def swing_position(beats: Iterable[float], window: tuple[float, float] = SWING_WINDOW) -> float | None:
    """The median position in the beat of the onsets that fall in `window` (None if none do).

    >>> swing_position([0.0, 0.5, 1.66, 2.62, 3.25])  # 0.5, 0.66 and 0.62
    0.62
    """
    inside = [round(b % 1.0, 6) for b in beats if window[0] <= b % 1.0 <= window[1]]
    return float(np.median(inside)) if inside else None


# ---------------------------------------------------------------------------------------------
# 6. Harmony


def onset_groups(notes: Iterable[Onset], tolerance: float) -> list[list[int]]:
    """Pitches that start together: each group holds the notes within `tolerance` beats of its first.

    >>> onset_groups([(0.0, 48), (0.02, 55), (1.0, 50), (1.01, 57), (1.02, 62)], 0.0625)
    [[48, 55], [50, 57, 62]]
    """
    groups: list[list[int]] = []
    start = None
    for beat, pitch in sorted(notes):
        if start is None or beat - start > tolerance:
            groups.append([])
            start = beat
        groups[-1].append(pitch)
    return [sorted(g) for g in groups]


def median_span(groups: Sequence[Sequence[int]], min_notes: int = 3) -> float | None:
    """The median pitch span (highest - lowest) of the groups of at least `min_notes` notes.

    >>> median_span([[48, 52, 55], [48, 60, 64, 67], [60, 64]])
    13.0
    """
    spans = [max(g) - min(g) for g in groups if len(g) >= min_notes]
    return float(np.median(spans)) if spans else None


def is_power_chord(pitches: Sequence[int], below: int = 60) -> bool:
    """Root and fifth only (any octaves), the root the lowest note and below `below`.

    >>> is_power_chord([40, 47, 52]), is_power_chord([40, 47, 56]), is_power_chord([64, 71]), is_power_chord([40])
    (True, False, False, False)
    """
    root = min(pitches)
    return root < below and {p % 12 for p in pitches} == {root % 12, (root + 7) % 12}


def power_chord_share(groups: Sequence[Sequence[int]], below: int = 60) -> float | None:
    """The share of onset groups (single notes included) that are power chords rooted below `below`.

    >>> power_chord_share([[40, 47], [40, 47, 52], [64], [43, 47, 50], [61, 68, 73]])
    0.4
    >>> power_chord_share([[40, 47], [61, 68, 73]], below=128)  # the shape in any register
    1.0
    """
    return sum(is_power_chord(g, below) for g in groups) / len(groups) if groups else None


def chord_symbols(chords: Sequence[dict]) -> list[str]:
    """Every chord symbol of track.json's chords, in order."""
    return [c["symbol"] for section in chords for c in section["chords"]]


def section_chords(chords: Sequence[dict], names: Sequence[str]) -> list[str] | None:
    """The chord symbols of the first section whose name is in `names` (None if there is none)."""
    for section in chords:
        if section["section"] in names:
            return [c["symbol"] for c in section["chords"]]
    return None


def loop(sequence: Sequence[str]) -> list[str]:
    """The shortest pattern whose repetition spells the sequence (the last pass may stop early).

    >>> loop("C G Am F C G Am F".split()), loop("C G C G C".split()), loop("C G Am".split())
    (['C', 'G', 'Am', 'F'], ['C', 'G'], ['C', 'G', 'Am'])
    """
    for n in range(1, len(sequence) + 1):
        if all(sequence[i] == sequence[i % n] for i in range(len(sequence))):
            return list(sequence[:n])
    return []


def same_progression(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two sections play one progression: equal loops, or one loop a rotation of the other.

    >>> same_progression("C G Am F".split(), "Am F C G Am F C G".split()), same_progression("C G".split(), "F G".split())
    (True, False)
    """
    x, y = loop(a), loop(b)
    return len(x) == len(y) and any(x[i:] + x[:i] == y for i in range(max(len(x), 1)))


# ---------------------------------------------------------------------------------------------
# 7-9. Variety, endings


def distinct(values: Iterable) -> int:
    """How many different values.

    >>> distinct(["a", "b", "a"])
    2
    """
    return len(set(values))


def full_kit(drum_notes: Iterable[Onset], bar: int, beats_per_bar: float, needed: int = 3) -> bool:
    """Whether at least `needed` distinct drum notes start in `bar`.

    >>> full_kit([(12.0, 36), (12.0, 49), (13.0, 38), (16.0, 42)], 3, 4), full_kit([(12.0, 36), (12.5, 36)], 3, 4)
    (True, False)
    """
    return len({p for b, p in drum_notes if bar_of(b, beats_per_bar) == bar}) >= needed


def instrument_id(part: dict) -> str:
    """The id of the instrument that played a part (its display name at draft quality)."""
    return part.get("id") or part["instrument"]


# ---------------------------------------------------------------------------------------------
# One song


def band_db(audio: np.ndarray, rate: int, start_s: float, end_s: float, band: tuple[float, float] = HIGH_BAND) -> float:
    """Level (dB, relative) of `band` Hz in audio[start_s:end_s] (mono sum), from a Welch spectrum.

    >>> t = np.arange(44100) / 44100
    >>> tone = np.stack([np.sin(2 * np.pi * 3000 * t)] * 2, axis=1)
    >>> round(band_db(tone, 44100, 0, 1) - band_db(0.1 * tone, 44100, 0, 1), 1)
    20.0
    """
    mono = audio[int(start_s * rate):int(end_s * rate)].mean(axis=1)
    f, p = welch(mono, rate, nperseg=4096)
    return round(float(10 * np.log10(p[(f >= band[0]) & (f < band[1])].sum() + 1e-20)), 1)


def filtered_highs(audio: np.ndarray, rate: int, sections: Sequence[dict]) -> float | None:
    """How much quieter the highs (HIGH_BAND) are in the sections played with the synths' filter
    closed than in the drops, dB (None without both)."""
    def spans(test):
        return [(s["start_seconds"], s["end_seconds"]) for s in sections if test(s)]
    closed = spans(lambda s: s.get("plays", {}).get("filter") == "closed")
    drops = spans(lambda s: s["name"] == "drop")
    if not closed or not drops:
        return None
    return round(np.mean([band_db(audio, rate, *d) for d in drops]) - np.mean([band_db(audio, rate, *c) for c in closed]), 1)


def riser_swell(folder: Path, sections: Sequence[dict]) -> float | None:
    """The riser stem's rise across each build: RMS of its last second over its first, dB, the
    smallest over the builds (None without a riser stem)."""
    path = folder / "stems" / "riser.wav"
    if not path.exists():
        return None
    audio, rate = soundfile.read(path, dtype="float32", always_2d=True)
    rises = []
    for s in sections:
        if s.get("plays", {}).get("riser") == "on":
            first = audio[int(s["start_seconds"] * rate):int((s["start_seconds"] + 1) * rate)]
            last = audio[int((s["end_seconds"] - 1) * rate):int(s["end_seconds"] * rate)]
            rises.append(20 * np.log10(np.sqrt(np.mean(last ** 2)) / max(np.sqrt(np.mean(first ** 2)), 1e-9)))
    return round(float(min(rises)), 1) if rises else None


def song_facts(folder: Path) -> dict:
    """Every figure of one generated song, from its track folder."""
    meta = json.loads((folder / "track.json").read_text())
    midi = read_midi(folder / "song.mid")
    audio, rate = soundfile.read(folder / "mix.wav", dtype="float32", always_2d=True)
    per_bar, bars, sections = midi["beats_per_bar"], meta["bars"], meta["sections"]
    tracks = midi["tracks"]
    drum_notes = [n for t in tracks.values() if t["drums"] for n in onsets(t["notes"])]
    preset = load_genre(meta["genre"])
    melody = [(unswung(b, preset.swing, preset.swing_unit), p) for b, p in onsets(tracks.get("melody", {}).get("notes", []))]
    home = in_home_key(melody, meta.get("form", {}).get("key_change"), per_bar)
    bass = onsets(tracks.get("bass", {}).get("notes", []))
    every = [n for t in tracks.values() for n in onsets(t["notes"])]
    band = meta["instrumentation"]
    windows = window_lufs(audio, rate, meta["bar_seconds"], bars)
    contents = bar_contents(melody, per_bar, bars)
    strings = [p for p, v in band.items() if "strings" in instrument_id(v).lower()]
    tolerance = GROUP_TICKS / midi["ticks_per_beat"]
    harmony = onset_groups(onsets(tracks.get("harmony", {}).get("notes", [])), tolerance)
    verse, chorus = section_chords(meta["chords"], ("verse",)), section_chords(meta["chords"], CHORUS_NAMES)
    last_off = max((end for t in tracks.values() for _, end, _ in t["notes"]), default=0.0)
    timings = meta.get("timings_seconds", {})
    return {
        "title": meta["title"], "seconds": meta["duration_seconds"], "bars": bars, "tempo": meta["tempo"],
        "form": form(sections), "multiple_of_4": multiple_share(sections, 4), "multiple_of_2": multiple_share(sections, 2),
        "sections": len(sections),
        "kick_free_sections": kick_free_sections(sections, [bar_of(b, per_bar) for b, p in drum_notes if p in KICKS]),
        "window_lufs": [round(v, 2) for v in windows], "loudness_gap_lu": _round(loudness_gap(windows), 2),
        "section_lufs": {k: round(v, 2) for k, v in section_lufs(audio, rate, meta["bar_seconds"], sections).items()},
        "bars_without_drums": bars_without([bar_of(b, per_bar) for b, _ in drum_notes], bars),
        "bars_without_bass": bars_without([bar_of(b, per_bar) for b, _ in bass], bars),
        "melody_notes": len(melody), "melody_empty_bars": _round(empty_bar_share(contents), 3),
        "melody_repeated_bars": _round(repeated_bar_share(contents), 3),
        "key_change": meta.get("form", {}).get("key_change"),
        "soloists": [s["plays"]["soloist"] for s in sections if "soloist" in s.get("plays", {})],
        "filtered_highs_db": filtered_highs(audio, rate, sections), "riser_swell_db": riser_swell(folder, sections),
        "chorus_return": _round(chorus_return(home, sections, per_bar), 3),
        "section_returns": {k: round(v, 2) for k, v in section_returns(home, sections, per_bar).items()},
        "melody_notes_per_bar": {k: round(v, 2) for k, v in notes_per_bar([bar_of(b, per_bar) for b, _ in melody], sections).items()},
        "swing": _round(swing_position(b for b, _ in every), 3),
        "strings_span": _round(median_span(onset_groups(
            [n for p in strings for n in onsets(tracks.get(p, {}).get("notes", []))], tolerance)), 1) if strings else None,
        "power_chords": _round(power_chord_share(harmony), 3),
        "power_shapes": _round(power_chord_share(harmony, below=128), 3),
        "distinct_chords": distinct(chord_symbols(meta["chords"])),
        "chorus_differs": None if verse is None or chorus is None else not same_progression(verse, chorus),
        "instruments": [instrument_id(band[p]) for p in band],
        "full_kit_last_bar": full_kit(drum_notes, bars - 1, per_bar) if drum_notes else False,
        "tail_s": round(len(audio) / rate - beat_seconds(last_off, midi["tempos"]), 2),
        "compose_s": round(timings.get("plan", 0.0) + timings.get("compose", 0.0), 4),
    }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# ---------------------------------------------------------------------------------------------
# A reference: melodies people wrote


def skyline(notes: Iterable[Onset]) -> list[Onset]:
    """The top line: the highest pitch starting at each 16th.

    >>> skyline([(0.0, 60), (0.01, 67), (1.0, 64)])
    [(0.0, 67), (1.0, 64)]
    """
    top: dict[int, Onset] = {}
    for beat, pitch in notes:
        slot = sixteenth(beat)
        if slot not in top or pitch > top[slot][1]:
            top[slot] = (slot / 4, pitch)
    return [top[s] for s in sorted(top)]


def _score_bars(part) -> list[tuple]:
    """A music21 part's top line, bar by bar (repeats played out, tied continuations not onsets)."""
    try:
        part = part.expandRepeats()
    except Exception:  # an inconsistent repeat: measure it as written
        pass
    bars = []
    for measure in part.getElementsByClass("Measure"):
        shift = measure.paddingLeft  # a pickup bar's notes start late in the bar
        notes = []
        for n in measure.recurse().notes:
            if n.duration.isGrace or (n.tie is not None and n.tie.type in ("stop", "continue")):
                continue
            pitch = max(p.midi for p in n.pitches)
            notes.append((float(n.getOffsetInHierarchy(measure) + shift), pitch))
        bars.append(tuple(sorted((sixteenth(b), p) for b, p in skyline(notes))))
    return bars


def reference_melodies(folk_tunes: int = 12) -> list[dict]:
    """Empty and repeated bar shares of human melodies that ship with music21: two songs from its
    lead sheets, Joplin's Maple Leaf Rag (the right hand), the first `folk_tunes` airs of Aird's
    collection (ABC), and a human-sequenced MIDI file of Mozart's K. 525 (the top line of all parts)."""
    import music21
    from music21 import converter, corpus

    root = Path(music21.__file__).parent
    pieces = []
    for path, what in (("leadSheet/berlinAlexandersRagtime.mxl", "Berlin, Alexander's Ragtime Band (song, lead sheet)"),
                       ("leadSheet/fosterBrownHair.mxl", "Foster, Jeanie with the Light Brown Hair (song, lead sheet)"),
                       ("joplin/maple_leaf_rag.mxl", "Joplin, Maple Leaf Rag (piano, right hand)")):
        pieces.append((what, f"music21/corpus/{path}", _score_bars(corpus.parse(path).parts[0])))
    text = (root / "corpus" / "airdsAirs" / "book1.abc").read_text(encoding="latin-1")
    head, *tunes = text.split("\nX:")
    for tune in tunes[:folk_tunes]:
        score = converter.parse("X:" + tune, format="abc")
        title = score.metadata.title if score.metadata else "?"
        pieces.append((f"Aird, {title} (air, ABC)", "music21/corpus/airdsAirs/book1.abc", _score_bars(score.parts[0])))
    mozart = root / "omr" / "k525MIDIMvt1.mid"
    midi = read_midi(mozart)
    top = skyline(n for t in midi["tracks"].values() for n in onsets(t["notes"]))
    pieces.append(("Mozart, Eine kleine Nachtmusik K. 525 i (MIDI, top line)", "music21/omr/k525MIDIMvt1.mid",
                   bar_contents(top, midi["beats_per_bar"])))
    return [{"piece": what, "file": file, "bars": len(bars), "empty_bars": _round(empty_bar_share(bars), 3),
             "repeated_bars": _round(repeated_bar_share(bars), 3)} for what, file, bars in pieces]


# ---------------------------------------------------------------------------------------------
# The run


def generate(genre: str, seed: int, seconds: float, folder: Path) -> dict:
    """One song through the public API, measured; its files are removed afterwards."""
    import maestro_ai

    mood = MOODS.get(genre, "happy")
    started = time.perf_counter()
    gen = maestro_ai.MusicGenerator(genre=genre, mood=mood, seed=seed, output_dir=folder, formats=("wav",))
    track = gen.generate({}, duration_seconds=seconds)
    facts = song_facts(track.folder)
    shutil.rmtree(track.folder)
    wall = round(time.perf_counter() - started, 1)
    print(f"{genre} seed {seed} {seconds:g} s: {wall} s", file=sys.stderr, flush=True)
    return {"genre": genre, "mood": mood, "seed": seed, "wall_s": wall, **facts}


def evaluate(genres: Sequence[str], seeds: Sequence[int], seconds: float, variety_seeds: Sequence[int],
             long_seconds: float, references: bool = True) -> dict:
    """Generate and measure every song; the rows, the per-genre variety, the targets."""
    rows, long_rows = [], []
    with tempfile.TemporaryDirectory(prefix="maestro-arrangement-") as tmp:
        for genre in genres:
            for seed in sorted(set(seeds) | set(variety_seeds)):
                rows.append({**generate(genre, seed, seconds, Path(tmp)), "measured": seed in seeds})
            if long_seconds and genre in LONG_GENRES:
                long_rows += [generate(genre, seed, long_seconds, Path(tmp)) for seed in seeds]
    variety = {genre: variety_of([r for r in rows if r["genre"] == genre and r["seed"] in variety_seeds]) for genre in genres}
    measured = [r for r in rows if r["measured"]]
    result = {"seconds": seconds, "seeds": list(seeds), "variety_seeds": list(variety_seeds), "long_seconds": long_seconds,
              "genres": list(genres), "rows": rows, "long_rows": long_rows, "variety": variety,
              "section_lufs": section_loudness(measured),
              "references": reference_melodies() if references else []}
    result["targets"] = targets(measured, long_rows, variety)
    return result


def variety_of(rows: Sequence[dict]) -> dict:
    """Distinct forms, titles and instrument sets among one genre's songs."""
    return {"songs": len(rows), "forms": distinct(r["form"] for r in rows), "titles": distinct(r["title"] for r in rows),
            "instrument_sets": distinct(tuple(r["instruments"]) for r in rows)}


def section_loudness(rows: Sequence[dict]) -> dict[str, dict[str, float]]:
    """Per genre, the mean over its songs of each section name's loudness."""
    out: dict[str, dict[str, list[float]]] = {}
    for r in rows:
        for name, level in r["section_lufs"].items():
            out.setdefault(r["genre"], {}).setdefault(name, []).append(level)
    return {g: {name: round(float(np.mean(v)), 1) for name, v in names.items()} for g, names in out.items()}


def per_song(rows: Sequence[dict], key: str, meets) -> dict:
    """How many songs meet a target, of those with a figure; the median figure; passed (PASS_SHARE)."""
    values = [r[key] for r in rows if r.get(key) is not None]
    if not values:
        return {"songs": 0, "meeting": 0, "median": None, "passed": None}
    meeting = sum(bool(meets(v)) for v in values)
    return {"songs": len(values), "meeting": meeting, "median": round(float(np.median(values)), 3),
            "passed": meeting >= PASS_SHARE * len(values)}


def targets(rows: Sequence[dict], long_rows: Sequence[dict], variety: dict) -> list[dict]:
    """Every target with its figure and whether it passed."""
    t = TARGETS
    drops = [r for r in rows if r["genre"] in DROP_GENRES and r["seconds"] >= DROP_MIN_SECONDS]
    swung = [r for r in rows if load_genre(r["genre"]).swing >= SWUNG_GENRE]
    low, high = t["melody_repeated_bars"]
    counted = [r for r in rows if r["sections"]]
    share4 = sum(r["multiple_of_4"] * r["sections"] for r in counted) / sum(r["sections"] for r in counted) if counted else None
    out = [
        {"target": f"sections a multiple of 4 bars >= {t['sections_multiple_of_4']:.0%} (all songs)", "songs": len(rows),
         "measured": None if share4 is None else f"{share4:.0%} of {sum(r['sections'] for r in counted)} sections",
         "passed": None if share4 is None else share4 >= t["sections_multiple_of_4"]},
        _per("kick-free section of >= 4 bars (house, techno, trap, >= 2 min)",
             per_song(drops, "kick_free_sections", lambda v: v >= t["kick_free_sections"])),
        _per(f"8-bar loudness gap >= {t['loudness_gap_lu']:g} LU (house, techno, trap, >= 2 min)",
             per_song(drops, "loudness_gap_lu", lambda v: v >= t["loudness_gap_lu"])),
        _per(f"melody: empty bars >= {t['melody_empty_bars']}", per_song(rows, "melody_empty_bars", lambda v: v >= t["melody_empty_bars"])),
        _per(f"melody: repeated bars {low}-{high}", per_song(rows, "melody_repeated_bars", lambda v: low <= v <= high)),
        _per(f"chorus return >= {t['chorus_return']} (songs with 2+ choruses or hooks)",
             per_song(rows, "chorus_return", lambda v: v >= t["chorus_return"])),
        _per(f"swing median >= {t['swing']} (genres with preset swing >= {SWUNG_GENRE})",
             per_song(swung, "swing", lambda v: v >= t["swing"])),
        _per(f"cinematic strings: median chord span >= {t['strings_span']} semitones",
             per_song([r for r in rows if r["genre"] == "cinematic"], "strings_span", lambda v: v >= t["strings_span"])),
        _per(f"rock harmony: power chords >= {t['power_chords']:.0%} of onset groups",
             per_song([r for r in rows if r["genre"] == "rock"], "power_chords", lambda v: v >= t["power_chords"])),
        _per(f"distinct chord symbols >= {t['distinct_chords']} (pop, jazz, long songs)",
             per_song(long_rows, "distinct_chords", lambda v: v >= t["distinct_chords"])),
        _per(f"plan + compose < {t['compose_seconds']} s (pop, jazz, long songs)",
             per_song(long_rows, "compose_s", lambda v: v < t["compose_seconds"])),
    ]
    for key, label in (("forms", "distinct forms"), ("titles", "distinct titles"), ("instrument_sets", "distinct instrument sets")):
        need = t[f"distinct_{key}"]
        meeting = sum(v[key] >= need for v in variety.values())
        out.append({"target": f"{label} >= {need} per genre across the variety seeds", "songs": len(variety),
                    "measured": f"{meeting}/{len(variety)} genres", "passed": meeting == len(variety) if variety else None})
    differs = [r["chorus_differs"] for r in rows if r["chorus_differs"] is not None]
    out.append({"target": "chorus plays another progression than the verse (report only)", "songs": len(differs),
                "measured": f"{sum(differs)}/{len(differs)} songs" if differs else None, "passed": None})
    return out


def _per(label: str, figure: dict) -> dict:
    measured = None if figure["median"] is None else f"{figure['meeting']}/{figure['songs']} songs (median {figure['median']})"
    return {"target": label, "songs": figure["songs"], "measured": measured, "passed": figure["passed"]}


# ---------------------------------------------------------------------------------------------
# The report


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_cell(v)}" for k, v in value.items()) or "-"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _table(header: Sequence[str], rows: Iterable[Sequence]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(_cell(v) for v in row) + " |"
                                                                          for row in rows]


def report(result: dict) -> str:
    """The markdown report."""
    seeds = ",".join(map(str, result["seeds"]))
    variety = ",".join(map(str, result["variety_seeds"]))
    command = (f"python -m evaluation.arrangement --seconds {result['seconds']:g} --seeds {seeds} "
               f"--variety-seeds {variety} --long-seconds {result['long_seconds']:g} --genres {','.join(result['genres'])}")
    measured = [r for r in result["rows"] if r["measured"]]
    long = (f"Pop and jazz also run at {result['long_seconds']:g} s for chord variety and compose speed."
            if result["long_seconds"] else "Pop and jazz did not run again at a longer length.")
    lines = [
        "# Arrangement evaluation", "",
        f"Songs of every genre listed below, seeds {seeds}, {result['seconds']:g} s, generated through the public API",
        "(`maestro_ai.MusicGenerator`, studio quality, the mood `evaluation.sound` uses) and measured on the written",
        "files only: mido for song.mid, json for track.json, soundfile and pyebur128 (BS.1770) for mix.wav.",
        f"{long} Variety counts seeds {variety}.",
        "The docstring of `evaluation/arrangement.py` defines every figure. A per-song target passes when",
        f"{PASS_SHARE:.0%} of the songs it applies to meet it. Regenerate with", "", f"    {command}", "",
        "## Targets", "",
    ]
    lines += _table(["target", "songs", "measured", "pass"],
                    ([t["target"], t["songs"], t["measured"], "n/a" if t["passed"] is None else ("PASS" if t["passed"] else "FAIL")]
                     for t in result["targets"]))
    lines += ["", "## Form, drops and endings", ""]
    lines += _table(["genre", "seed", "form", "x4", "x2", "kick-free 4+ bars", "8-bar LUFS", "gap LU", "bars w/o drums",
                     "bars w/o bass", "full kit last bar", "tail s", "plan+compose s"],
                    ([r["genre"], r["seed"], r["form"], _round(r["multiple_of_4"], 2), _round(r["multiple_of_2"], 2),
                      r["kick_free_sections"], " ".join(f"{v:.0f}" for v in r["window_lufs"]), r["loudness_gap_lu"],
                      r["bars_without_drums"], r["bars_without_bass"], r["full_kit_last_bar"], r["tail_s"], r["compose_s"]]
                     for r in measured))
    lines += ["", "## Loudness by section (mean LUFS over the seeds)", ""]
    lines += _table(["genre", "sections"], ([g, v] for g, v in result["section_lufs"].items()))
    lines += ["", "## Melody, swing and harmony", "",
              "Empty and repeated bars of the melody, the lowest chorus return, the median swung position, the strings'",
              "median chord span (cinematic), the share of power chords in the harmony part (rock, shown for all; 'any",
              "register': the root-fifth shape wherever it lies), distinct chord symbols, and whether the chorus's",
              "progression differs from the verse's.", ""]
    lines += _table(["genre", "seed", "preset swing", "melody notes", "empty bars", "repeated bars", "chorus return", "swing",
                     "strings span", "power chords", "any register", "chords", "chorus differs"],
                    ([r["genre"], r["seed"], load_genre(r["genre"]).swing, r["melody_notes"], r["melody_empty_bars"],
                      r["melody_repeated_bars"], r["chorus_return"], r["swing"], r["strings_span"], r["power_chords"],
                      r["power_shapes"], r["distinct_chords"], r["chorus_differs"]] for r in measured))
    lines += ["", "## Melody by section", "",
              "Melody notes per bar of each section name, and how each name that comes back repeats its first melody",
              "(the chorus-return figure for every name that comes twice or more).", ""]
    lines += _table(["genre", "seed", "notes per bar", "returns"],
                    ([r["genre"], r["seed"], r["melody_notes_per_bar"], r["section_returns"]] for r in measured))
    if result["long_rows"]:
        lines += ["", f"## Pop and jazz at {result['long_seconds']:g} s", ""]
        lines += _table(["genre", "seed", "form", "distinct chords", "chorus differs", "plan+compose s", "empty bars",
                         "repeated bars", "chorus return"],
                        ([r["genre"], r["seed"], r["form"], r["distinct_chords"], r["chorus_differs"], r["compose_s"],
                          r["melody_empty_bars"], r["melody_repeated_bars"], r["chorus_return"]] for r in result["long_rows"]))
    moves = [r for r in [*measured, *result["long_rows"]]
             if r.get("key_change") or r.get("soloists") or r.get("filtered_highs_db") is not None
             or r.get("riser_swell_db") is not None]
    lines += ["", "## Production moves", "",
              "The key change and the solo choruses' players as track.json declares them, and two measured figures:",
              "how much quieter the mix's 2-8 kHz band is in the filtered breakdowns than in the drops (Welch spectrum),",
              "and how much the riser stem swells across each build (last second over first, the smallest build).", ""]
    lines += _table(["genre", "seed", "seconds", "key change", "soloists", "breakdown highs under the drops, dB",
                     "riser swell, dB"],
                    ([r["genre"], r["seed"], r["seconds"],
                      f"+{r['key_change']['semitones']} at bar {r['key_change']['bar']} to {r['key_change']['to']}"
                      if r.get("key_change") else "", " ".join(r.get("soloists", [])), r.get("filtered_highs_db"),
                      r.get("riser_swell_db")] for r in moves))
    lines += ["", f"## Variety across seeds {variety}", ""]
    lines += _table(["genre", "songs", "forms", "titles", "instrument sets"],
                    ([g, v["songs"], v["forms"], v["titles"], v["instrument_sets"]] for g, v in result["variety"].items()))
    lines += ["", "| genre | seed | title | instruments |", "|---|---|---|---|"]
    lines += [f"| {r['genre']} | {r['seed']} | {r['title']} | {' '.join(r['instruments'])} |" for r in result["rows"]
              if r["seed"] in result["variety_seeds"]]
    lines += ["", "## Reference: melodies people wrote", ""]
    if result["references"]:
        lines += ["The same empty-bar and repeated-bar figures (4a, 4b) on the top line of human-written music that ships",
                  "inside music21 (its corpus and one MIDI file of its OMR tests): no pop record's MIDI is on this machine, so",
                  "these are a 1910s song and an 1854 song from lead sheets, a piano rag, 18th-century airs (ABC) and one",
                  "human-sequenced MIDI file. Repeats are played out; a tied note is one onset.", ""]
        lines += _table(["piece", "file", "bars", "empty bars", "repeated bars"],
                        ([p["piece"], p["file"], p["bars"], p["empty_bars"], p["repeated_bars"]] for p in result["references"]))
    else:
        lines.append("Not measured in this run.")
    return "\n".join(lines) + "\n"


def write_docs(result: dict, docs: Path) -> None:
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "arrangement-evaluation.json").write_text(json.dumps(result, indent=1) + "\n")
    (docs / "arrangement-evaluation.md").write_text(report(result))


def _numbers(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Measure how Maestro arranges songs in every genre")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--seeds", type=_numbers, default=[1, 2, 3])
    parser.add_argument("--variety-seeds", type=_numbers, default=[1, 2, 3, 4, 5])
    parser.add_argument("--long-seconds", type=float, default=180.0, help="pop and jazz run again at this length (0: not)")
    parser.add_argument("--genres", type=lambda s: [g.strip() for g in s.split(",") if g.strip()], default=list(all_genres()))
    parser.add_argument("--no-references", action="store_true", help="skip the human melodies from music21")
    parser.add_argument("--docs", type=Path, default=DOCS, help="where the report goes (default: the project's docs/)")
    args = parser.parse_args(argv)
    unknown = [g for g in args.genres if g not in all_genres()]
    if unknown:
        parser.error(f"unknown genre {', '.join(unknown)}; valid: {', '.join(all_genres())}")
    result = evaluate(args.genres, args.seeds, args.seconds, args.variety_seeds, args.long_seconds, not args.no_references)
    write_docs(result, args.docs)
    print(json.dumps(result["targets"], indent=1))


if __name__ == "__main__":
    main()
