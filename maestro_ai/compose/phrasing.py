"""Phrasing the lead: breaths between phrases, and hooks that come back the same each time.

Whatever engine wrote the melody, the song shapes it the same way: in every melodic section of
eight bars or more the second half of each eight-bar phrase opens as the first did (a call and
its answer), the fourth bar of each four (of each eight in a hook) is a breath (the phrase before
it ends and the lead rests while the band answers), and each kind of section that `returns` (a chorus, a hook, a head)
plays the melody of its first appearance wherever the chords under it are the same.

>>> from maestro_ai.core.score import Chord, Note, Section
>>> sections = [Section("chorus", 0, 8, .8), Section("chorus", 8, 8, .8)]
>>> sorted(breaths(sections, {"chorus": 8}.get))
[3, 11]
>>> chords = [Chord("C", 0, (0, 4, 7), 4.0 * b, 4.0) for b in range(16)]
>>> first = [Note(60 + b, 4.0 * b, 1.0) for b in range(8)]
>>> out = returned(first + [Note(50, 40.0, 1.0)], sections, chords, 4.0, {"chorus"})
>>> [n.pitch for n in out if n.start >= 32]
[60, 61, 62, 63, 64, 65, 66, 67]
"""
from __future__ import annotations

from collections.abc import Callable

from maestro_ai.core.score import Chord, Note, Section

PHRASE_BARS = 8
BREATH_AT = 3  # the bar of each phrase the lead leaves empty (call: bars 0-2, answer: bar 3)
LINE_BARS = 4  # a line of melody; the lines after a section's first open like an earlier one
HELD_BEATS = 2.0  # how far the note before a breath may ring into it


def breaths(sections: list[Section], every: Callable[[str], int]) -> set[int]:
    """Bars where the lead breathes: the fourth bar of every `every(kind)` bars (4: a line of
    three bars and a breath; 8: a long line; 0: never) in each section, the last ringing over the
    section's end."""
    bars = set()
    for s in sections:
        if n := every(s.name):
            bars |= {s.start_bar + b for b in range(s.bars) if b % n == BREATH_AT}
    return bars


def breathe(melody: list[Note], rests: set[int], bar_beats: float) -> list[Note]:
    """The melody with no onset in the `rests` bars; the note before a rest rings into it for up
    to HELD_BEATS beats."""
    kept = sorted((n for n in melody if int(n.start // bar_beats) not in rests), key=lambda n: n.start)
    out = []
    for i, n in enumerate(kept):
        nxt = kept[i + 1].start if i + 1 < len(kept) else float("inf")
        bar_end = (int(n.start // bar_beats) + 1) * bar_beats
        if int(n.start // bar_beats) + 1 in rests and nxt >= bar_end:
            end = min(bar_end + HELD_BEATS, nxt)
            if end > n.end:
                n = Note(n.pitch, n.start, end - n.start, n.velocity)
        out.append(n)
    return out


def echoed(melody: list[Note], sections: list[Section], chords: list[Chord], bar_beats: float,
           echoes: Callable[[str], tuple[int, ...]]) -> list[Note]:
    """The melody with each four-bar line after a section's first opening as an earlier one did:
    the bars `echoes(kind)` names (of 0-3) repeat those of the nearest earlier line over the same
    chords (a second verse line: its first two bars; a hook's or a head's line: all but its last),
    and a line's second bar repeats its first over a chord held for both.

    >>> from maestro_ai.core.score import Chord, Note, Section
    >>> loop = [Chord(s, r, (0, 4, 7), 4.0 * b, 4.0) for b, (s, r) in enumerate([("C", 0), ("G", 7)] * 4)]
    >>> tune = [Note(60 + b, 4.0 * b, 1.0) for b in range(8)]
    >>> [n.pitch for n in echoed(tune, [Section("verse", 0, 8, .5)], loop, 4.0, lambda kind: (0, 1))]
    [60, 61, 62, 63, 60, 61, 66, 67]
    >>> [n.pitch for n in echoed(tune, [Section("chorus", 0, 8, .8)], loop, 4.0, lambda kind: (0, 1, 2))]
    [60, 61, 62, 63, 60, 61, 62, 67]
    >>> held = [Chord(s, r, (0, 4, 7), 8.0 * b, 8.0) for b, (s, r) in enumerate([("C", 0), ("G", 7)] * 2)]
    >>> [n.pitch for n in echoed(tune, [Section("verse", 0, 8, .5)], held, 4.0, lambda kind: (0, 1))]
    [60, 60, 62, 63, 60, 60, 66, 67]
    """
    out = list(melody)
    for s in sections:
        bars = echoes(s.name)
        if s.bars < PHRASE_BARS or not bars:
            continue
        symbols = _bar_symbols(chords, s, bar_beats)
        for target in range(1, s.bars):
            if target % LINE_BARS not in bars:
                continue
            source = next((b for b in range(target - LINE_BARS, -1, -LINE_BARS)
                           if symbols[b] == symbols[target]), None)
            if source is None and target % LINE_BARS == 1 and symbols[target - 1] == symbols[target]:
                source = target - 1  # a chord held for two bars: the motif again over it
            if source is None:
                continue
            lo = (s.start_bar + source) * bar_beats
            shift = (target - source) * bar_beats
            copied = [Note(n.pitch, n.start + shift, n.duration, n.velocity) for n in out if lo <= n.start < lo + bar_beats]
            out = [n for n in out if not lo + shift <= n.start < lo + shift + bar_beats] + copied
    return sorted(out, key=lambda n: (n.start, n.pitch))


def _bar_symbols(chords: list[Chord], section: Section, bar_beats: float) -> list[tuple[str, ...]]:
    """The chord symbols sounding in each bar of a section, relative to its start."""
    out = []
    for b in range(section.bars):
        lo, hi = (section.start_bar + b) * bar_beats, (section.start_bar + b + 1) * bar_beats
        out.append(tuple(c.symbol for c in chords if c.start < hi - 1e-9 and c.end > lo + 1e-9))
    return out


def returned(melody: list[Note], sections: list[Section], chords: list[Chord], bar_beats: float,
             returning: set[str], keep_last_bar: bool = False) -> list[Note]:
    """The melody with each returning kind's later sections replaced, bar by bar where the chords
    match, by its first section's melody; with `keep_last_bar`, the song's last melodic bar keeps
    its own notes (the engine's final cadence)."""
    first: dict[str, Section] = {}
    final_bar = max((int(n.start // bar_beats) for n in melody), default=-1)
    out = list(melody)
    for s in sections:
        if s.name not in returning:
            continue
        if s.name not in first:
            first[s.name] = s
            continue
        source = first[s.name]
        theirs, ours = _bar_symbols(chords, source, bar_beats), _bar_symbols(chords, s, bar_beats)
        for b in range(min(s.bars, source.bars)):
            bar = s.start_bar + b
            if theirs[b] != ours[b] or (keep_last_bar and bar == final_bar):
                continue
            lo, hi = bar * bar_beats, (bar + 1) * bar_beats
            shift = (s.start_bar - source.start_bar) * bar_beats
            out = [n for n in out if not lo <= n.start < hi]
            out += [Note(n.pitch, n.start + shift, n.duration, n.velocity) for n in melody
                    if lo - shift <= n.start < hi - shift]
    return sorted(out, key=lambda n: (n.start, n.pitch))
