"""Harmony: chord progressions per section, and chords for a melody.

Chords for a melody come from the harmonizer the caller passes in (the pipeline passes the
learned composer's); without one, a rule of chord tones weighted by duration and metric weight.

>>> from maestro_ai.core.key import Key
>>> from maestro_ai.core.score import Section
>>> chords = plan_harmony([Section("verse", 0, 4, 0.5)], ("Imaj7 vi7 ii7 V7",) * 2, Key(0, "major"),
...                       beats_per_bar=4, chord_bars=1, extension=1)
>>> [c.symbol for c in chords]
['Cmaj7', 'Am7', 'Dm7', 'Cmaj7']
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from maestro_ai.core.engines import Harmonizer
from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.score import Chord, Note, Section
from maestro_ai.theory.chords import chord_symbol
from maestro_ai.theory.diatonic import diatonic_candidates, realize


def extension_level(genre_extension: int, complexity: float) -> int:
    """0 triads, 1 sevenths, 2 ninths: the genre's habit, pushed by the complexity control."""
    return int(np.clip(genre_extension + (complexity > 0.78) - (complexity < 0.3), 0, 2))


def _fill(progression: list[tuple[str, int, tuple[int, ...]]], start_beat: float, bars: int,
          bar_beats: float, chord_bars: int, bass: list[int | None] | None = None) -> list[Chord]:
    chords, bar, i = [], 0, 0
    while bar < bars:
        length = min(chord_bars, bars - bar)
        symbol, root, intervals = progression[i % len(progression)]
        b = bass[i % len(bass)] if bass else None
        chords.append(Chord(symbol, root, intervals, start_beat + bar * bar_beats, length * bar_beats, b))
        bar += length
        i += 1
    return chords


def is_rotation(a: str, b: str) -> bool:
    """Whether progression `b` is progression `a` started elsewhere (the same loop).

    >>> is_rotation("I V vi IV", "vi IV I V"), is_rotation("I V vi IV", "I vi IV V")
    (True, False)
    """
    x, y = a.split(), b.split()
    return len(x) == len(y) and any(x[i:] + x[:i] == y for i in range(len(x)))


def plan_harmony(sections: list[Section], progressions: tuple[str, ...], key: Key, *,
                 beats_per_bar: float, chord_bars: int, extension: int,
                 rng: np.random.Generator | None = None, opening: list[Chord] | None = None,
                 roles: Callable[[str], str] | None = None, turnaround: str = "none") -> list[Chord]:
    """Chords for the whole form. Verse, chorus and bridge get different progressions (the
    chorus's never the verse's loop started elsewhere); `roles` says which of the three a section
    kind plays (data/forms.toml `chords`; "aaba" plays the verse's with the bridge's in the third
    quarter of a section of 16 bars or more). The chorus takes the progression that brings the most
    chords the verse does not have, the bridge the most that neither has; a `turnaround` leads
    each change of progression into the next section. An `opening` progression (the user's
    chords) drives the verse-role sections; the song ends on the tonic chord."""
    order = list(progressions)
    if rng is not None:
        order = [order[i] for i in rng.permutation(len(order))]
    verse = order[0]
    others = [p for p in order[1:] if not is_rotation(verse, p)] or order[1:] or [verse]
    fresh = lambda p, heard: len(set(p.split()) - heard)  # noqa: E731  # chords the song has not played yet
    chorus = max(others, key=lambda p: fresh(p, set(verse.split())))  # the first of the freshest
    rest = [p for p in others if p != chorus] or [order[2 % len(order)]]
    bridge = max(rest, key=lambda p: fresh(p, set(verse.split()) | set(chorus.split())))
    by_role = {"verse": verse, "chorus": chorus, "bridge": bridge}
    legacy = {"intro": "verse", "outro": "verse", "breakdown": "bridge"}
    roles = roles or (lambda name: legacy.get(name, name if name in by_role else "verse"))
    chords: list[Chord] = []
    for section in sections:
        start = section.start_bar * beats_per_bar
        role = roles(section.name)
        if opening and (role in ("verse", "aaba") or section.name == "breakdown"):
            prog = [(c.symbol, c.root, c.intervals) for c in opening]
            chords += _fill(prog, start, section.bars, beats_per_bar, 1, [c.bass for c in opening])
        elif role == "aaba" and section.bars >= 16:  # A A B A: the bridge's progression in the third quarter
            quarter = section.bars // 4
            for n, part in enumerate(("verse", "verse", "bridge", "verse")):
                bars = quarter if n < 3 else section.bars - 3 * quarter
                chords += _fill(realize(by_role[part], key, extension), start + n * quarter * beats_per_bar, bars,
                                beats_per_bar, chord_bars)
        else:
            prog = realize(by_role["verse" if role == "aaba" else role], key, extension)
            chords += _fill(prog, start, section.bars, beats_per_bar, chord_bars)
    if turnaround != "none" and not opening:
        chords = _turnarounds(chords, sections, roles, beats_per_bar, key, turnaround)
    if chords and not opening:
        last = chords[-1]
        home = "i" if key.minor_like else "I"
        if extension:
            home += "7" if key.minor_like else "maj7"
        symbol, root, intervals = realize(home, key, extension)[0]
        chords[-1] = Chord(symbol, root, intervals, last.start, last.duration)
    return chords


def _turnarounds(chords: list[Chord], sections: list[Section], roles: Callable[[str], str], bar_beats: float,
                 key: Key, style: str) -> list[Chord]:
    """The chords with the last bar before each change of progression leading into the next
    section's first chord: its dominant seventh, or ii7 then V7 half a bar each.

    >>> from maestro_ai.core.key import Key
    >>> chords = [Chord("F", 5, (0, 4, 7), 0, 4), Chord("Am", 9, (0, 3, 7), 4, 4)]
    >>> parts = [Section("verse", 0, 1, .5), Section("chorus", 1, 1, .8)]
    >>> [c.symbol for c in _turnarounds(chords, parts, str, 4.0, Key(0, "major"), "ii-V")]
    ['Bm7', 'E7', 'Am']
    """
    out = list(chords)
    for before, after in zip(sections, sections[1:]):
        if roles(before.name) == roles(after.name) and style != "ii-V":  # jazz turns around into every chorus
            continue
        bar = (after.start_bar - 1) * bar_beats
        target = next((c for c in out if c.start == after.start_bar * bar_beats), None)
        last = next((c for c in out if c.start <= bar < c.end), None)
        if target is None or last is None:
            continue
        dominant = (target.root + 7) % 12
        lead = [(dominant, (0, 4, 7, 10), bar, bar_beats)]
        if style == "ii-V":
            half = bar_beats / 2
            lead = [((target.root + 2) % 12, (0, 3, 7, 10), bar, half), (dominant, (0, 4, 7, 10), bar + half, half)]
        index = out.index(last)
        kept = [Chord(last.symbol, last.root, last.intervals, last.start, bar - last.start, last.bass)] if last.start < bar else []
        out[index:index + 1] = kept + [Chord(chord_symbol(r, i, key.flats), r, i, start, length)
                                       for r, i, start, length in lead]
    return out


def harmonize(melody: list[Note], bars: int, beats_per_bar: float, key: Key, level: int,
              rng: np.random.Generator, avoid: list[Chord] | None = None, harmonizer: Harmonizer | None = None,
              time_signature: TimeSignature | None = None) -> list[Chord]:
    """Propose one diatonic chord per bar that fits the melody, preferring to differ from `avoid`
    (reharmonization). With a `harmonizer`, it chooses (the learned composer weighs how likely
    the melody is over each chord, given the bars before); without, the rule of chord tones
    weighted by duration and metric weight."""
    candidates = diatonic_candidates(key, level)
    if harmonizer is not None:
        picks = harmonizer(melody, bars, beats_per_bar, key, [(r, i) for _, r, i in candidates], rng,
                           avoid=avoid, time_signature=time_signature)
        return [Chord(chord_symbol(root, intervals, key.flats), root, intervals, bar * beats_per_bar, beats_per_bar)
                for bar, (root, intervals) in enumerate(picks)]
    chords, previous = [], None
    for bar in range(bars):
        lo, hi = bar * beats_per_bar, (bar + 1) * beats_per_bar
        weights = np.zeros(12)
        for n in melody:
            overlap = min(n.end, hi) - max(n.start, lo)
            if overlap > 0:
                strong = 1.5 if (n.start - lo) % 2 == 0 else 1.0
                weights[n.pitch % 12] += overlap * strong
        best, best_score = None, -1e9
        for degree, root, intervals in candidates:
            pcs = {(root + i) % 12 for i in intervals[:3]}
            fit = sum(weights[pc] for pc in pcs) - 0.6 * sum(w for pc, w in enumerate(weights) if pc not in pcs and w)
            fit += {0: 0.6, 3: 0.3, 4: 0.4, 5: 0.2 if key.minor_like else 0.3}.get(degree, 0.0)
            if bar == 0 and degree == 0:
                fit += 0.5
            if previous is not None and root == previous:
                fit -= 0.4
            if avoid:
                old = next((c for c in avoid if c.start <= lo < c.end), None)
                if old is not None and old.root == root:
                    fit -= 1.0
            fit += float(rng.uniform(0, 0.2))
            if fit > best_score:
                best, best_score = (root, intervals), fit
        root, intervals = best
        chords.append(Chord(chord_symbol(root, intervals, key.flats), root, intervals, lo, beats_per_bar))
        previous = root
    return chords
