"""Direct use of the composer: a melody over chords (or over chords it picks), or a continuation
of a melody, written to MIDI. This is what `maestro melody` runs.

>>> result = write_melody(key="D minor", chords="Dm Bb F C", bars=8, seed=3)
>>> [c.symbol for c in result.chords[:4]], str(result.key)
(['Dm', 'Bb', 'F', 'C'], 'D minor')
>>> result.notes[-1].pitch % 12 == 2  # the last bar closes on the tonic
True
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import mido
import numpy as np

from maestro_ai.core import limits
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.key import Key
from maestro_ai.core.score import Chord, Note
from maestro_ai.io.atomic import atomic_path
from maestro_ai.io.midi import key_signature
from maestro_ai.io.outputs import check_file, write_error
from maestro_ai.models.decode import Request, Sampling, generate
from maestro_ai.models.engine import chord_quality, learned_harmonize
from maestro_ai.models.runtime import Composer
from maestro_ai.models.tokens import HIGHEST, LOWEST, METERS, QUALITIES, meter_bar16
from maestro_ai.theory.chords import chord_symbol, is_chord_symbol, parse_chord
from maestro_ai.theory.diatonic import diatonic_candidates
from maestro_ai.theory.keys import estimate_key
from maestro_ai.theory.pitch import midi_to_name, note_to_midi
from maestro_ai.theory.voicing import voice_chord


@dataclass
class MelodyResult:
    """A written melody (beats from 0) with its chords, key and metre."""

    notes: list[Note]
    chords: list[Chord]
    key: Key
    meter: str
    seconds: float = 0.0
    seed_notes: int = 0
    model_version: str = field(default="")


def _parse_chords(text: str | None) -> list[tuple[str, int, tuple[int, ...]]] | None:
    if text is None:
        return None
    if not isinstance(text, str) or not text.strip():
        raise InvalidRequest(f"chords are text like 'Dm Bb F C7', not {text!r:.40}")
    out = []
    for token in text.replace(",", " ").replace("|", " ").split():
        if not is_chord_symbol(token):
            raise InvalidRequest(f"cannot read chord {token!r}; write chords like 'Dm Bb F C7'")
        root, intervals, _ = parse_chord(token)
        out.append((token, root, intervals))
    return out


def _pitch(text: str | int, what: str) -> int:
    try:
        pitch = int(text) if isinstance(text, int) or str(text).isdigit() else note_to_midi(str(text))
    except (ValueError, KeyError):
        raise InvalidRequest(f"cannot read {what} {text!r}; write a note like 'C4' or a MIDI number") from None
    if not LOWEST <= pitch < HIGHEST:
        raise InvalidRequest(f"{what} {text!r} is outside the model's range {midi_to_name(LOWEST)}-{midi_to_name(HIGHEST - 1)}")
    return pitch


def _ratio(meter: str) -> tuple[int, int]:
    num, den = meter.split("/")
    return int(num), int(den)


def write_melody(key: str | None = None, chords: str | None = None, bars: int = 16, seed: int = 0,
                 meter: str = "4/4", seed_melody: list[Note] | None = None, low: str | int = "C4",
                 high: str | int = "C6", sampling: Sampling | None = None, model: Composer | None = None) -> MelodyResult:
    """Write `bars` bars of melody. `chords` repeat to fill the bars (without them the model picks
    a diatonic chord per bar); `seed_melody` fills the first bars verbatim and is continued; the
    key defaults to the one the seed or chords suggest, else C major."""
    if meter not in METERS:
        raise InvalidRequest(f"metre {meter!r} is not one the model knows; use one of {', '.join(METERS)}")
    if seed_melody is not None and (not isinstance(seed_melody, list) or not all(isinstance(n, Note) for n in seed_melody)):
        raise InvalidRequest("seed_melody must be a list of Note (see maestro_ai.io.melody_input.read_seed)")
    if sampling is not None and not isinstance(sampling, Sampling):
        raise InvalidRequest("sampling must be a maestro_ai.models.decode.Sampling")
    bars = limits.whole("bars", bars, limits.MELODY_BARS)
    seed = limits.whole("seed", seed, limits.SEED)
    lo, hi = _pitch(low, "lowest note"), _pitch(high, "highest note")
    if hi - lo < 12:
        raise InvalidRequest(f"the range {midi_to_name(lo)}-{midi_to_name(hi)} is under an octave; widen --low/--high")
    progression = _parse_chords(chords)
    bar16 = meter_bar16(meter)
    if key is not None:
        home = Key.parse(key)
    elif seed_melody or progression:
        home = estimate_key(seed_melody, [Chord(s, r, i, 4.0 * n, 4.0) for n, (s, r, i) in enumerate(progression or [])] or None)
    else:
        home = Key(0, "major")
    tonic, mode = home
    seed16 = [(int(round(n.start * 4)), n.pitch, max(1, int(round(n.duration * 4)))) for n in seed_melody or []]
    if seed16 and seed16[-1][0] // bar16 + 1 >= bars:
        raise InvalidRequest(f"the seed melody already fills {seed16[-1][0] // bar16 + 1} bars; ask for more --bars")
    if seed16 and not all(LOWEST <= p < HIGHEST for _, p, _ in seed16):
        raise InvalidRequest("the seed melody goes outside the model's range C3-B6")
    per_bar = [[(0, r, chord_quality(i))] for _, r, i in progression] if progression else None
    plan = [list(per_bar[b % len(per_bar)]) for b in range(bars)] if per_bar else [None] * bars
    model = model or Composer.load()
    if seed_melody and not progression:  # the seed's own bars get the chords that fit it best
        seed_bars = seed16[-1][0] // bar16 + 1
        picks = learned_harmonize(seed_melody, seed_bars, bar16 / 4, home,
                                  [(r, i) for _, r, i in diatonic_candidates(home, 0)],
                                  np.random.default_rng(seed), time_signature=_ratio(meter), model=model, temperature=0)
        plan[:seed_bars] = [[(0, root, chord_quality(intervals))] for root, intervals in picks]
    request = Request(tonic, mode, meter, plan, energy=1, low=min(lo, *(p for _, p, _ in seed16)) if seed16 else lo,
                      high=max(hi, *(p for _, p, _ in seed16)) if seed16 else hi, seed=seed16,
                      sampling=sampling or Sampling())
    started = time.perf_counter()
    lines = generate(model, request, np.random.default_rng(seed))
    seconds = time.perf_counter() - started
    beats = bar16 / 4
    flats = home.flats
    out_chords = []
    for bar, items in enumerate(request.chords):
        for j, (pos, root, quality) in enumerate(items):
            end = items[j + 1][0] if j + 1 < len(items) else bar16
            if progression and per_bar:
                symbol = progression[bar % len(progression)][0]
                intervals = progression[bar % len(progression)][2]
            else:
                intervals = QUALITIES[quality]
                symbol = chord_symbol(root, intervals, flats)
            out_chords.append(Chord(symbol, root, intervals, bar * beats + pos / 4, (end - pos) / 4))
    notes = [Note(n.pitch, n.start / 4, n.duration / 4, 96 if n.start % bar16 == 0 else 84) for n in lines]
    return MelodyResult(notes, out_chords, home, meter, seconds, len(seed16), model.version)


def melody_midi(result: MelodyResult, tempo_bpm: float = 100.0):
    """A two-track MIDI file: the melody, and the chords as held block chords under it."""
    ppq = 480
    midi = mido.MidiFile(ticks_per_beat=ppq)
    num, den = (int(x) for x in result.meter.split("/"))
    meta = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(tempo_bpm), time=0),
                           mido.MetaMessage("time_signature", numerator=num, denominator=den, time=0),
                           mido.MetaMessage("key_signature", key=key_signature(result.key), time=0)])
    midi.tracks.append(meta)
    previous = None
    chord_notes = []
    for c in result.chords:
        voiced = voice_chord(c.pitch_classes, previous, 48, 67)
        previous = voiced
        chord_notes += [Note(p, c.start, c.duration, 64) for p in voiced]
    for name, channel, program, notes in (("melody", 0, 73, result.notes), ("chords", 1, 0, chord_notes)):
        events = []
        for n in notes:
            events.append((int(round(n.start * ppq)), 1, n.pitch, n.velocity))
            events.append((int(round(n.end * ppq)), 0, n.pitch, 0))
        track = mido.MidiTrack([mido.MetaMessage("track_name", name=name, time=0),
                                mido.Message("program_change", channel=channel, program=program, time=0)])
        now = 0
        for tick, on, pitch, velocity in sorted(events):
            track.append(mido.Message("note_on" if on else "note_off", channel=channel, note=pitch,
                                      velocity=velocity, time=tick - now))
            now = tick
        midi.tracks.append(track)
    return midi


def save_melody(result: MelodyResult, path: Path, tempo_bpm: float = 100.0, force: bool = False) -> Path:
    """Write the MIDI file atomically; an existing file is kept unless `force`."""
    if not isinstance(result, MelodyResult):
        raise InvalidRequest(f"save_melody takes what write_melody returns, not {type(result).__name__}")
    path = check_file(path, force=force, suffixes=(".mid", ".midi"), flag="--out")
    tempo_bpm = limits.number("tempo", tempo_bpm, limits.FILE_TEMPO_BPM, "BPM")
    midi = melody_midi(result, tempo_bpm)
    try:
        with atomic_path(path) as tmp:
            midi.save(str(tmp))
    except OSError as exc:
        raise write_error(path, exc) from None
    return path
