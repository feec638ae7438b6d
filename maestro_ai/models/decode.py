"""Constrained sampling from the composer: melodies over chords, continuations of a seed.

The decoder keeps the clock (bar, 16th) and writes the parts of the stream it already knows: BAR
at each bar and the given chord symbols where the harmony changes. The model chooses only notes and
rests, and only among those the constraints allow: pitches in the key or mode (or in the sounding
chord), inside the instrument's range, no note across the bar line; chord tones are favoured on
strong beats, and phrase ends close on a chord tone (the last bar on the tonic). Sampling uses
temperature, top-k and top-p (nucleus).

>>> from maestro_ai.models.runtime import Composer
>>> bars = [[(0, 2, "min")], [(0, 10, "maj")], [(0, 5, "maj")], [(0, 0, "maj")]]
>>> melody = generate(Composer.load(), Request(2, "minor", "4/4", bars), np.random.default_rng(3))
>>> all(n.start % 16 + n.duration <= 16 for n in melody) and melody[-1].pitch % 12 == 2
True
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from maestro_ai.core.key import Key
from maestro_ai.models.runtime import Composer, State
from maestro_ai.models.tokens import DURATIONS, MAJOR_DIATONIC, MINOR_DIATONIC, QUALITIES, Tracker, fill, meter_bar16

MINOR_MODES = {"minor", "aeolian", "dorian", "phrygian", "locrian", "harmonic-minor", "melodic-minor"}


@dataclass
class Sampling:
    temperature: float = 0.9
    top_k: int = 32
    top_p: float = 0.95


@dataclass
class Request:
    """What to write: key, metre, and per bar the chords as (16th position, root pc, quality), or
    None for the model's own choice (filled in as it is made).

    `energy` is one level (0-2) per bar; `phrase_ends` the bars that close a phrase (default every
    fourth and the last); `seed` notes (start, pitch, duration in 16ths from bar 0) are kept verbatim
    and the model continues after them."""

    tonic: int
    mode: str
    meter: str
    chords: list[list[tuple[int, int, str]] | None]
    energy: list[int] | int = 1
    low: int = 60
    high: int = 84
    phrase_ends: set[int] | None = None
    seed: list[tuple[int, int, int]] = field(default_factory=list)
    chord_bias: float = 1.0  # logits added to chord tones on strong beats (x1.5 on the downbeat)
    sampling: Sampling = field(default_factory=Sampling)

    @property
    def bars(self) -> int:
        return len(self.chords)

    def energy_at(self, bar: int) -> int:
        return self.energy[bar] if isinstance(self.energy, list) else int(self.energy)


@dataclass
class MelodyNote:
    """A note in 16ths from the start of bar 0."""

    start: int
    pitch: int
    duration: int


def model_mode(mode: str) -> str:
    return "minor" if mode in MINOR_MODES else "major"


def chord_pitch_classes(root: int, quality: str) -> set[int]:
    return {(root + i) % 12 for i in QUALITIES[quality]}


def beat_length(meter: str) -> int:
    """A beat in 16ths: dotted quarters in compound metres (6/8, 9/8, 12/8), else the denominator."""
    num, den = (int(x) for x in meter.split("/"))
    if den == 8 and num % 3 == 0 and num > 3:
        return 6
    return 16 // den


class Session:
    """A stream under construction: the model state, the tokens so far and the clock.

    When the context fills up, the state is rebuilt from the header and the most recent bars."""

    def __init__(self, model: Composer, request: Request) -> None:
        self.model, self.request, self.vocab = model, request, model.vocab
        self.bar16 = meter_bar16(request.meter)
        self.tracker = Tracker(self.bar16)
        self.body: list[tuple[int, int, int]] = []  # (token, position feature, phrase feature)
        self.bar_index: list[int] = []  # index into body of each BAR
        self.state: State = model.start()
        self.energy = request.energy_at(0)
        self._prime()

    def _header(self) -> list[int]:
        r = self.request
        return self.vocab.header(r.tonic, model_mode(r.mode), r.meter, self.energy)

    def _prime(self, keep_bars: int | None = None) -> None:
        """Restart the model state from the header and the last `keep_bars` bars of the stream."""
        self.state = self.model.start()
        header = self._header()
        recent = self.body[self.bar_index[-keep_bars]:] if keep_bars and self.bar_index else []
        tokens = header + [t for t, _, _ in recent]
        positions = [0] * len(header) + [p for _, p, _ in recent]
        phrases = [0] * len(header) + [b for _, _, b in recent]
        self.logits = self.model.feed(self.state, tokens, positions, phrases)

    def set_energy(self, energy: int) -> None:
        if energy != self.energy:
            self.energy = energy
            self._prime(keep_bars=min(4, len(self.bar_index)))

    def reserve(self, count: int) -> None:
        """Make room for `count` more tokens: when the context would overflow, keep the header and
        as many recent bars as fill half of it."""
        if self.state.length + count >= self.model.context:
            room = self.model.context // 2
            keep = len(self.bar_index)
            while keep > 1 and len(self.body) - self.bar_index[-keep] + 5 > room:
                keep -= 1
            self._prime(keep_bars=keep)

    def features(self, tokens: list[int]) -> list[tuple[int, int, int]]:
        """(token, position, phrase bar) for tokens that follow; moves the clock past them."""
        feats = []
        for tok in tokens:
            if tok == self.vocab["BAR"]:
                self.bar_index.append(len(self.body) + len(feats))
            feats.append((tok, *self.tracker.advance(self.vocab, tok)))
        return feats

    def push(self, tokens: list[int], all_logits: bool = False) -> np.ndarray:
        """Append known tokens (one pass for all of them); return the logits after each with
        `all_logits`."""
        self.reserve(len(tokens))
        feats = self.features(tokens)
        self.body += feats
        columns = np.array(feats, dtype=np.int64).T
        out = self.model.feed(self.state, columns[0], columns[1], columns[2], all_logits=all_logits)
        self.logits = out[-1] if all_logits else out
        return out

    def fork(self) -> Session:
        """An independent copy, to try a continuation without committing to it."""
        other = copy.copy(self)
        other.state = self.state.copy()
        other.tracker = copy.copy(self.tracker)
        other.body, other.bar_index = list(self.body), list(self.bar_index)
        return other


def _sample(logits: np.ndarray, allowed: np.ndarray, sampling: Sampling, rng: np.random.Generator) -> int:
    """Temperature, then the top-k allowed tokens, then the smallest set holding top-p of the mass."""
    candidates = np.flatnonzero(allowed)
    scores = logits[candidates]
    k = min(sampling.top_k, len(candidates))
    if k < len(candidates):
        best = np.argpartition(scores, len(candidates) - k)[len(candidates) - k:]
        candidates, scores = candidates[best], scores[best]
    order = np.argsort(-scores)
    candidates, scores = candidates[order], scores[order]
    probs = np.exp((scores - scores[0]) / max(sampling.temperature, 1e-3))
    cumulative = np.cumsum(probs)
    cumulative /= cumulative[-1]
    keep = min(k, int(np.searchsorted(cumulative, sampling.top_p)) + 1)
    pick = int(np.searchsorted(cumulative[:keep], rng.random() * cumulative[keep - 1], side="right"))
    return int(candidates[min(pick, keep - 1)])


def generate(model: Composer, request: Request, rng: np.random.Generator, session: Session | None = None,
             final_tonic: bool = True) -> list[MelodyNote]:
    """Write a melody for every bar of `request` (after its seed, kept as given); with `session`,
    continue that stream. The last bar closes on the tonic unless `final_tonic` is False (then on
    a chord tone, like every phrase end)."""
    vocab = model.vocab
    session = session or Session(model, request)
    bar16 = session.bar16
    ends = request.phrase_ends if request.phrase_ends is not None else \
        {b for b in range(request.bars) if b % 4 == 3} | {request.bars - 1}
    seed = sorted(request.seed)
    seed_bars = (seed[-1][0] // bar16) if seed else -1
    notes: list[MelodyNote] = []
    for bar in range(request.bars):
        session.set_energy(request.energy_at(bar))
        pending = [vocab["BAR"]]
        if request.chords[bar] is None:
            session.push(pending)
            pending = []
            request.chords[bar] = [_choose_chord(session, request, rng)]
        chords = sorted(request.chords[bar])
        given = [n for n in seed if bar * bar16 <= n[0] < (bar + 1) * bar16]
        current, c, position = None, 0, 0
        while position < bar16:
            while c < len(chords) and chords[c][0] <= position:
                current = chords[c]
                pending.append(vocab.chord(current[1], current[2]))
                c += 1
            if pending:
                session.push(pending)
                pending = []
            next_change = chords[c][0] if c < len(chords) else bar16
            if given:
                start, pitch, duration = given[0]
                pos = start - bar * bar16
                if pos < position:  # overlaps the note before: melodies are monophonic
                    given.pop(0)
                    continue
                if pos > position:
                    gap = min(pos, next_change) - position
                    session.push([vocab[f"REST_{d}"] for d in fill(gap)])
                    position += gap
                    continue
                length = max(d for d in DURATIONS if d <= max(1, min(duration, bar16 - pos)))
                session.push([vocab.note(pitch, length)])
                notes.append(MelodyNote(bar * bar16 + pos, pitch, length))
                position += length
                given.pop(0)
                continue
            if bar < seed_bars:
                break  # the seed is silent for the rest of this bar
            token = _sample(_logits(session, request, current, position), _allowed(vocab, request, current, position,
                            next_change, bar16, bar in ends, final_tonic and bar == request.bars - 1), request.sampling, rng)
            session.push([token])
            if vocab.is_note[token]:
                notes.append(MelodyNote(bar * bar16 + position, int(vocab.pitch[token]), int(vocab.duration[token])))
            position += int(vocab.duration[token])
    return notes


def _choose_chord(session: Session, request: Request, rng: np.random.Generator) -> tuple[int, int, str]:
    """The model's choice of the bar's chord, among the key's diatonic chords."""
    vocab = session.vocab
    family = MAJOR_DIATONIC if model_mode(request.mode) == "major" else MINOR_DIATONIC
    allowed = np.zeros(vocab.size, dtype=bool)
    for degree, quality in family:
        allowed[vocab.chord(request.tonic + degree, quality)] = True
    token = _sample(session.logits, allowed, request.sampling, rng)
    _, root, quality = vocab.names[token].split("_")
    return (0, int(root), quality)


def _pc_mask(vocab, pitch_classes) -> np.ndarray:
    """NOTE tokens whose pitch class is in `pitch_classes`."""
    table = np.zeros(13, dtype=bool)
    table[list(pitch_classes)] = True
    return table[vocab.pitch_class]


def _logits(session: Session, request: Request, chord, position: int) -> np.ndarray:
    """The model's logits, with chord tones favoured on strong beats (most on the downbeat)."""
    logits = session.logits
    if chord and position % beat_length(request.meter) == 0:
        cache = request.__dict__.setdefault("_bias", {})
        key = (chord, position == 0)
        if key not in cache:
            tones = _pc_mask(session.vocab, chord_pitch_classes(chord[1], chord[2]))
            cache[key] = tones * np.float32(request.chord_bias * (1.5 if position == 0 else 1.0))
        logits = logits + cache[key]
    return logits


def _allowed(vocab, request: Request, chord, position: int, next_change: int, bar16: int, phrase_end: bool,
             last: bool) -> np.ndarray:
    """Which notes and rests may come next (masks repeat a lot, so they are kept per request)."""
    cache = request.__dict__.setdefault("_masks", {})
    key = (chord, position, next_change, bar16, phrase_end and position >= bar16 // 2, last)
    if key not in cache:
        cache[key] = _build_allowed(vocab, request, chord, position, next_change, bar16, phrase_end, last)
    return cache[key]


def _build_allowed(vocab, request: Request, chord, position: int, next_change: int, bar16: int, phrase_end: bool,
                   last: bool) -> np.ndarray:
    scale = set(Key(request.tonic, request.mode).scale)
    tones = chord_pitch_classes(chord[1], chord[2]) if chord else set()
    allowed = _pc_mask(vocab, scale | tones) & (vocab.pitch >= request.low) & (vocab.pitch <= request.high) \
        & (vocab.duration <= bar16 - position)
    allowed |= vocab.is_rest & (vocab.duration <= next_change - position)
    if phrase_end and position >= bar16 // 2:
        tonic = chord_pitch_classes(request.tonic, "min" if model_mode(request.mode) == "minor" else "maj")
        close = ({request.tonic} if last else tones or tonic)
        allowed &= ~vocab.is_note | _pc_mask(vocab, close)
    if not allowed.any():
        allowed = vocab.is_rest & (vocab.duration <= bar16 - position)
    return allowed
