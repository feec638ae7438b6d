"""The learned composer inside Maestro: a melody engine and a harmonizer backed by the model.

`LearnedMelodyEngine` writes a song's melody section by section over the planned chords: a verse
quotes the user's seed melody and the model continues it; a section that returns with the same
chords returns with its melody (songs repeat), and each later section is written with what came
before in the model's context. `learned_harmonize` proposes a chord per bar for a melody by asking
the model how likely the melody is over each diatonic chord.

>>> from maestro_ai.core.engines import MelodyRequest
>>> from maestro_ai.core.key import Key
>>> from maestro_ai.core.score import Chord, Section
>>> req = MelodyRequest(Key(0, "major"), [Chord("C", 0, (0, 4, 7), 0, 16)], [Section("verse", 0, 4, 0.5)], 4.0)
>>> notes = LearnedMelodyEngine().compose(req, np.random.default_rng(1))
>>> len(notes) > 4 and all(60 <= n.pitch <= 84 for n in notes)
True
"""
from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np

from maestro_ai.core.engines import MelodyRequest
from maestro_ai.core.key import Key
from maestro_ai.core.score import Chord, Note
from maestro_ai.models.decode import Request, Sampling, Session, generate, model_mode
from maestro_ai.models.runtime import Composer
from maestro_ai.models.tokens import DURATIONS, HIGHEST, LOWEST, fill

# How much the harmonizer trusts the model's expectation of the next chord against how well each
# chord explains the bar's melody (1 would be the plain joint probability; the prior then
# outvotes a clear arpeggio of another chord).
PRIOR_WEIGHT = 0.5
AVOID_PENALTY = 3.0  # nats against keeping the old chord's root when reharmonizing


def chord_quality(intervals: tuple[int, ...]) -> str:
    """The model's chord word for any chord: dim, min, 7 (dominant) or maj.

    >>> chord_quality((0, 3, 7, 10)), chord_quality((0, 4, 7, 11, 14)), chord_quality((0, 4, 7, 10))
    ('min', 'maj', '7')
    """
    steps = {i % 12 for i in intervals}
    if 3 in steps and 6 in steps and 7 not in steps:
        return "dim"
    if 3 in steps and 4 not in steps:
        return "min"
    return "7" if 4 in steps and 10 in steps else "maj"


def time_signature_text(beats_per_bar: float, time_signature: tuple[int, int] | None) -> str:
    if time_signature:
        return f"{time_signature[0]}/{time_signature[1]}"
    quarters = beats_per_bar
    return f"{int(quarters)}/4" if float(quarters).is_integer() else f"{int(round(quarters * 2))}/8"


def bar_chords(chords: list[Chord], first_bar: int, bars: int, bar_beats: float) -> list[list[tuple[int, int, str]]]:
    """Per bar, the chords sounding in it as (16th position, root, quality); the chord held over
    from an earlier bar is restated at the downbeat."""
    out = []
    for bar in range(first_bar, first_bar + bars):
        lo, hi = bar * bar_beats, (bar + 1) * bar_beats
        here = []
        for c in chords:
            if c.start < hi - 1e-9 and c.end > lo + 1e-9:
                pos = max(0, int(round((c.start - lo) * 4)))
                here.append((pos, c.root, chord_quality(c.intervals)))
        here.sort()
        if here and here[0][0] > 0:
            held = next((c for c in reversed(chords) if c.start <= lo + 1e-9), None)
            if held is not None:
                here.insert(0, (0, held.root, chord_quality(held.intervals)))
        out.append(here)
    return out


def _into_range(pitch: int) -> int:
    """A pitch moved by octaves into the model's range (MIDI 48-95)."""
    while pitch < LOWEST:
        pitch += 12
    while pitch >= HIGHEST:
        pitch -= 12
    return pitch


def energy_level(density: float, energy: float) -> int:
    """The model's ENERGY token (0-2) for a style's melodic density and a section's energy."""
    score = 0.6 * density + 0.4 * energy
    return 0 if score < 0.4 else 1 if score < 0.62 else 2


class LearnedMelodyEngine:
    """Melodies from the trained composer (see maestro_ai/models/MODEL_CARD.md)."""

    name = "maestro-composer"

    def __init__(self, model: Composer | None = None, sampling: Sampling | None = None) -> None:
        self.model = model or Composer.load()
        self.sampling = sampling or Sampling()
        self.version = self.model.version

    def compose(self, request: MelodyRequest, rng: np.random.Generator) -> list[Note]:
        meter = time_signature_text(request.beats_per_bar, request.time_signature)
        bar_beats = request.beats_per_bar
        low, high = request.register
        bar16 = int(round(bar_beats * 4))
        seed16 = [(int(round(n.start * 4)), _into_range(n.pitch), max(1, int(round(n.duration * 4))))
                  for n in (request.seed or [])]
        template = Request(request.key.tonic, request.key.mode, meter, [], low=low, high=high, sampling=self.sampling)
        session: Session | None = None
        written: dict[tuple, list] = {}  # (role, chords per bar, last) -> notes in 16ths from the section start
        notes: list[Note] = []
        melodic = list(request.sections)  # the song hands over only the sections its lead plays in
        for section in melodic:
            role = "verse" if section.name == "outro" else section.name
            chords = bar_chords(request.chords, section.start_bar, section.bars, bar_beats)
            level = energy_level(request.density + {"chorus": 0.15, "bridge": -0.1}.get(role, 0.0), section.energy)
            last = section is melodic[-1]
            key = (role, tuple(tuple(map(tuple, bar)) for bar in chords), last)
            lines = _returning(written, key, bar16)
            if lines is None:
                ask = replace(template, chords=chords, energy=level,
                              phrase_ends={b for b in range(section.bars) if b % 4 == 3 or section.start_bar + b + 1
                                           in request.rests} | {section.bars - 1},
                              seed=[n for n in seed16 if n[0] < section.bars * bar16] if role == "verse" else [])
                session = session or Session(self.model, ask)
                session.request = ask
                lines = generate(self.model, ask, rng, session=session, final_tonic=last)
                written[key] = lines
            start = section.start_bar * bar_beats
            for n in lines:
                onset = n.start / 4
                accent = 10 if n.start % int(bar_beats * 4) == 0 else 0
                velocity = int(np.clip(62 + 40 * section.energy + accent + rng.normal(0, 4), 30, 120))
                notes.append(Note(n.pitch, start + onset, n.duration / 4, velocity))
        return notes


def _returning(written: dict[tuple, list], key: tuple, bar16: int) -> list | None:
    """The melody of an earlier section of the same role whose chords began the same way (a
    shorter last chorus takes the first chorus's opening bars), or None."""
    role, chords, last = key
    for (other_role, other_chords, other_last), lines in written.items():
        if other_role == role and other_last == last and other_chords[:len(chords)] == chords:
            return [n for n in lines if n.start < len(chords) * bar16]
    return None


def learned_harmonize(melody: list[Note], bars: int, beats_per_bar: float, key: Key,
                      candidates: list[tuple[int, tuple[int, ...]]], rng: np.random.Generator,
                      avoid: list[Chord] | None = None, time_signature: tuple[int, int] | None = None,
                      model: Composer | None = None, temperature: float = 0.5) -> list[tuple[int, tuple[int, ...]]]:
    """One chord per bar for `melody`, chosen among `candidates` (root, intervals): each is scored by
    the model's log-probability of the bar's melody over it plus PRIOR_WEIGHT times that of the
    chord itself, given everything before; the choice is sampled at `temperature` (0 = the best),
    and a chord whose root `avoid` had in the same bar loses AVOID_PENALTY nats."""
    model = model or Composer.load()
    vocab = model.vocab
    meter = time_signature_text(beats_per_bar, time_signature)
    session = Session(model, Request(key.tonic, model_mode(key.mode), meter, []))
    bar16 = session.bar16
    chosen = []
    for bar in range(bars):
        lo = bar * beats_per_bar
        body = _bar_tokens(vocab, melody, lo, beats_per_bar, bar16)
        session.push([vocab["BAR"]])
        session.reserve(len(body) + 2)
        chords = [vocab.chord(root, chord_quality(intervals)) for root, intervals in candidates]
        scores = PRIOR_WEIGHT * _log_softmax(session.logits)[chords].astype(float)
        if body:
            branch = np.array([[c] + body[:-1] for c in chords])
            clock = copy.copy(session.tracker)
            feats = [clock.advance(vocab, t) for t in branch[0]]
            logp = model.branches(session.state, branch, [f[0] for f in feats], [f[1] for f in feats])
            scores += logp[:, np.arange(len(body)), body].sum(axis=1)
        if avoid:
            old = next((c for c in avoid if c.start <= lo + 1e-9 < c.end), None)
            if old is not None:
                scores -= np.array([AVOID_PENALTY if root == old.root else 0.0 for root, _ in candidates])
        if temperature > 0:
            p = np.exp((scores - scores.max()) / temperature)
            pick = int(rng.choice(len(candidates), p=p / p.sum()))
        else:
            pick = int(np.argmax(scores))
        root, intervals = candidates[pick]
        session.push([vocab.chord(root, chord_quality(intervals))] + body)
        chosen.append((root, intervals))
    return chosen


def _bar_tokens(vocab, melody: list[Note], lo: float, bar_beats: float, bar16: int) -> list[int]:
    """A bar of an existing melody as note and rest tokens (notes cut at the bar line)."""
    tokens, position = [], 0
    for n in sorted(melody, key=lambda n: n.start):
        pos = int(round((n.start - lo) * 4))
        if pos < position or pos >= bar16:
            continue
        if not 48 <= n.pitch < 96:
            continue
        tokens += [vocab[f"REST_{d}"] for d in fill(pos - position)]
        length = max(d for d in DURATIONS if d <= max(1, min(int(round(n.duration * 4)), bar16 - pos)))
        tokens.append(vocab.note(n.pitch, length))
        position = pos + length
    return tokens


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max()
    return shifted - np.log(np.exp(shifted).sum())
