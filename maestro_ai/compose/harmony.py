"""Harmony: chord progressions per section, chord extensions, and harmonizing a melody.

>>> from maestro_ai.core.score import Section
>>> chords = plan_harmony([Section("verse", 0, 4, 0.5)], ("Imaj7 vi7 ii7 V7",) * 2, 0, "major",
...                       beats_per_bar=4, chord_bars=1, extension=1)
>>> [c.symbol for c in chords]
['Cmaj7', 'Am7', 'Dm7', 'Cmaj7']
"""
from __future__ import annotations

import numpy as np

from maestro_ai.core.score import Chord, Note, Section
from maestro_ai.theory.chords import QUALITIES, chord_symbol, roman_to_chord
from maestro_ai.theory.scales import MINOR_LIKE, scale_pitch_classes, uses_flats

TRIADS = {QUALITIES[q]: q for q in ("", "m", "dim", "aug", "sus2", "sus4", "5")}


def extension_level(genre_extension: int, complexity: float) -> int:
    """0 triads, 1 sevenths, 2 ninths: the genre's habit, pushed by the complexity control."""
    return int(np.clip(genre_extension + (complexity > 0.78) - (complexity < 0.3), 0, 2))


def extend_chord(root: int, intervals: tuple[int, ...], tonic: int, mode: str, level: int) -> tuple[int, ...]:
    """Re-voice a chord at an extension level, using the key's own 7ths and 9ths."""
    scale = set(scale_pitch_classes(tonic, mode))
    core = tuple(i for i in intervals if i < 10 or i in (10, 11) and level >= 1)
    if core in ((0, 7),) or (0, 4, 8) == core[:3]:
        return core  # power chords and augmented triads stay as they are
    if level == 0:
        return tuple(i for i in core if i < 10) if len(core) > 3 or core not in TRIADS else core
    if not any(i in (9, 10, 11) for i in core):
        if core == (0, 3, 6):
            seventh = 10
        else:
            seventh = 11 if (root + 11) % 12 in scale and 5 not in core else 10
        core = core + (seventh,)
    if level >= 2 and (root + 2) % 12 in scale and 3 not in core[:1]:
        core = core + (14,)
    full = tuple(sorted(core))
    return full if chord_symbol(root, full).endswith(("9", "7", "6", "maj7", "b5", "sus4")) else tuple(sorted(core[:4]))


def realize(numerals: str, tonic: int, mode: str, level: int) -> list[tuple[str, int, tuple[int, ...]]]:
    """Roman numerals -> (symbol, root, intervals) in a key, at an extension level."""
    flats = uses_flats(tonic, mode)
    out = []
    for numeral in numerals.split():
        _, root, intervals = roman_to_chord(numeral, tonic, mode)
        intervals = extend_chord(root, intervals, tonic, mode, level)
        out.append((chord_symbol(root, intervals, flats), root, intervals))
    return out


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


def plan_harmony(sections: list[Section], progressions: tuple[str, ...], tonic: int, mode: str, *,
                 beats_per_bar: float, chord_bars: int, extension: int,
                 rng: np.random.Generator | None = None, opening: list[Chord] | None = None) -> list[Chord]:
    """Chords for the whole form. Verse, chorus and bridge get different progressions; an
    `opening` progression (the user's chords) drives the intro, verses and outro; the song ends
    on the tonic chord."""
    order = list(progressions)
    if rng is not None:
        order = [order[i] for i in rng.permutation(len(order))]
    by_role = {"verse": order[0], "chorus": order[1 % len(order)], "bridge": order[2 % len(order)]}
    by_role.update(intro=by_role["verse"], outro=by_role["verse"], breakdown=by_role["bridge"])
    chords: list[Chord] = []
    for section in sections:
        start = section.start_bar * beats_per_bar
        if opening and section.name in ("intro", "verse", "outro", "breakdown"):
            prog = [(c.symbol, c.root, c.intervals) for c in opening]
            chords += _fill(prog, start, section.bars, beats_per_bar, 1, [c.bass for c in opening])
        else:
            prog = realize(by_role[section.name], tonic, mode, extension)
            chords += _fill(prog, start, section.bars, beats_per_bar, chord_bars)
    if chords and not opening:
        last = chords[-1]
        home = "i" if mode in MINOR_LIKE else "I"
        if extension:
            home += "7" if mode in MINOR_LIKE else "maj7"
        symbol, root, intervals = realize(home, tonic, mode, extension)[0]
        chords[-1] = Chord(symbol, root, intervals, last.start, last.duration)
    return chords


def diatonic_candidates(tonic: int, mode: str, level: int) -> list[tuple[int, int, tuple[int, ...]]]:
    """(scale degree, root, intervals) of each diatonic chord at an extension level."""
    scale = scale_pitch_classes(tonic, mode)
    candidates = []
    for degree, root in enumerate(scale):
        third = (scale[(degree + 2) % 7] - root) % 12
        fifth = (scale[(degree + 4) % 7] - root) % 12
        candidates.append((degree, root, extend_chord(root, (0, third, fifth), tonic, mode, level)))
    return candidates


def harmonize(melody: list[Note], bars: int, beats_per_bar: float, tonic: int, mode: str, level: int,
              rng: np.random.Generator, avoid: list[Chord] | None = None, learned: bool = True,
              time_signature: tuple[int, int] | None = None) -> list[Chord]:
    """Propose one diatonic chord per bar that fits the melody, preferring to differ from `avoid`
    (reharmonization). By default the learned composer chooses (how likely the melody is over each
    chord, given the bars before); `learned=False` uses the rule of chord tones weighted by
    duration and metric weight."""
    candidates = diatonic_candidates(tonic, mode, level)
    flats = uses_flats(tonic, mode)
    if learned:
        from maestro_ai.models.engine import learned_harmonize

        picks = learned_harmonize(melody, bars, beats_per_bar, tonic, mode, [(r, i) for _, r, i in candidates], rng,
                                  avoid=avoid, time_signature=time_signature)
        return [Chord(chord_symbol(root, intervals, flats), root, intervals, bar * beats_per_bar, beats_per_bar)
                for bar, (root, intervals) in enumerate(picks)]
    minor_key = mode in MINOR_LIKE
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
            fit += {0: 0.6, 3: 0.3, 4: 0.4, 5: 0.2 if minor_key else 0.3}.get(degree, 0.0)
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
        chords.append(Chord(chord_symbol(root, intervals, flats), root, intervals, lo, beats_per_bar))
        previous = root
    return chords
