"""A part played by its instrument: the SoundFont preset or synth voice this machine has for it,
the kit's synthesized drum voices, the expression pedal (CC11) as a gain curve, and the filter its
brightness controller (CC74) rides (render.sweep).

Without the instrument's content (not installed, or no DawDreamer) the part falls back to its
General MIDI program on the default synthesizer, and the fallback is said once.

>>> import numpy as np
>>> from maestro_ai.core.key import Key
>>> from maestro_ai.core.meter import TimeSignature
>>> from maestro_ai.core.performance import Performance, PlayedNote, PlayedPart
>>> from maestro_ai.prompt.instruments import all_instruments
>>> perf = Performance(120.0, TimeSignature(4, 4), Key(0, "minor"), [], 1920)
>>> bass = PlayedPart("bass", 38, False, 0, "", [PlayedNote(0, 900, 36, 110)])
>>> audio, used = render_part(bass, all_instruments()["808-bass"], perf, 44100, 44100)
>>> audio.shape, bool(np.abs(audio).max() > 0.05), [str(s) for s in used]
((2, 44100), True, ['synth:808-bass'])
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from maestro_ai.core.instrument import Instrument, Source
from maestro_ai.core.performance import PPQ, Performance, PlayedPart
from maestro_ai.render.sources import pick, playable, soundfont_path
from maestro_ai.render.sweep import filtered
from maestro_ai.render.synth import Backend, Preset, played_events, render_track
from maestro_ai.render.voices import VIBRATO_SEMITONES, Player, load_voice, render_mono

ONE_SHOT_GATE_S = 0.01
# Round robin for synthesized drums: a hit played again comes from another point of the voice's
# noise (silent frames run first) and a few cents off, as a drum machine's analog circuit varies.
ONE_SHOT_ROUND_ROBIN = ((0, 0.0), (97, 0.07), (211, -0.06))  # (pre-roll frames, semitones)
# MuseScore's muted guitar plays 6.4 dB louder than its distortion guitar at one velocity: set back
# so the chug sits about 3 dB under the open chords, as a palm-muted guitar does.
PALM_MUTE_DB = -9.5
EXPRESSION = 11


def render_part(part: PlayedPart, instrument: Instrument | None, perf: Performance, frames: int, sample_rate: int,
                backend: Backend | None = None) -> tuple[np.ndarray, list[Source]]:
    """The part's stem (2, frames) as its instrument plays it, and the sources that played it
    (empty for the General MIDI fallback)."""
    if instrument is None:
        return filtered(render_track(part, perf, frames, sample_rate, backend), part, perf, sample_rate), []
    out = np.zeros((2, frames), dtype=np.float32)
    used: list[Source] = []
    voiced = {note: src for note, src in instrument.voices.items() if playable(src)}
    if voiced:  # the kit's synthesized drums
        for note_number, src in sorted(voiced.items()):
            hits = [n for n in part.notes if n.pitch == note_number]
            if hits:
                out += _play_synth(replace(part, notes=hits), src, perf, frames, sample_rate)
                used.append(src)
        part = replace(part, notes=[n for n in part.notes if n.pitch not in voiced])
    if instrument.palm_mute is not None and playable(instrument.palm_mute):
        muted = palm_muted(part, perf)
        if muted:
            mute = instrument.palm_mute
            chugged = render_track(replace(part, notes=muted), perf, frames, sample_rate, backend,
                                   Preset(soundfont_path(mute), mute.bank, mute.preset))
            out += chugged * np.float32(10 ** (PALM_MUTE_DB / 20))
            used.append(mute)
            chug = set(muted)
            part = replace(part, notes=[n for n in part.notes if n not in chug])
    source = pick(instrument)
    if source is None:
        out += render_track(part, perf, frames, sample_rate, backend)
    elif source.engine == "soundfont":
        preset = Preset(soundfont_path(source), source.bank, source.preset)
        out += render_track(part, perf, frames, sample_rate, backend, preset, round_robin=instrument.kit)
        used.append(source)
    else:
        out += _play_synth(part, source, perf, frames, sample_rate)
        used.append(source)
    if part.controls_of(EXPRESSION):
        out *= expression_gain(part, perf, frames, sample_rate)
    return filtered(out, part, perf, sample_rate), used


def palm_muted(part: PlayedPart, perf: Performance) -> list:
    """The notes a rock guitarist palm-mutes: shorter than a beat and not on a bar's downbeat (the
    accent rings open).

    >>> from maestro_ai.core.key import Key
    >>> from maestro_ai.core.meter import TimeSignature
    >>> from maestro_ai.core.performance import PlayedNote
    >>> perf = Performance(120.0, TimeSignature(4, 4), Key(0, "minor"), [], 3840)
    >>> notes = [PlayedNote(t, t + 200, 40, 100) for t in (0, 240, 480)] + [PlayedNote(960, 1900, 40, 100)]
    >>> [n.start for n in palm_muted(PlayedPart("harmony", 30, False, 0, "", notes), perf)]
    [240, 480]
    """
    bar = int(round(perf.time_signature.beats_per_bar * PPQ))
    return [n for n in part.notes if n.end - n.start < PPQ and min(n.start % bar, -n.start % bar) > PPQ // 8]


def expression_gain(part: PlayedPart, perf: Performance, frames: int, sample_rate: int) -> np.ndarray:
    """The expression controller as gain over time: (value/127)^2, the MIDI volume law (40 log10),
    moving smoothly between the written values."""
    events = part.controls_of(EXPRESSION)
    at = np.array([perf.seconds(c.tick) * sample_rate for c in events])
    values = np.array([c.value for c in events], dtype=np.float64)
    curve = np.interp(np.arange(frames, dtype=np.float64), at, values, left=values[0], right=values[-1])
    return ((curve / 127.0) ** 2).astype(np.float32)


def kick_pitch(tonic: int) -> int:
    """The song's tonic, or its fifth, between D1 and G#1 (37-52 Hz), where a kick's body sits
    with its overtones still in the sub-bass: every key has one of the two there.

    >>> kick_pitch(2), kick_pitch(0), kick_pitch(11)
    (26, 31, 30)
    """
    pitch_class = tonic % 12
    return 24 + (pitch_class if 2 <= pitch_class <= 8 else (pitch_class + 7) % 12)


def _play_synth(part: PlayedPart, source: Source, perf: Performance, frames: int, sample_rate: int) -> np.ndarray:
    voice = load_voice(source.content)
    player = Player(voice, sample_rate)
    if voice.mode == "mono":
        return render_mono(player, part, perf, frames)
    out = np.zeros((2, frames), dtype=np.float32)
    cache: dict[tuple, np.ndarray] = {}
    repeats: dict[tuple, int] = {}
    one_shot = voice.mode == "one-shot"
    for start, pitch, velocity, held, gesture in played_events(part, perf, sample_rate):
        if start >= frames:
            continue
        preroll = 0
        if one_shot:  # a drum, tuned to the key as a producer tunes the kick
            pitch, held, gesture = kick_pitch(perf.key.tonic), int(ONE_SHOT_GATE_S * sample_rate), ()
            turn = repeats[pitch, velocity] = repeats.get((pitch, velocity), -1) + 1
            preroll, cents = ONE_SHOT_ROUND_ROBIN[turn % len(ONE_SHOT_ROUND_ROBIN)]
            pitch += cents
        key = (pitch, velocity, held, gesture)
        audio = cache.get(key)
        if audio is None:
            audio = cache[key] = player.note(pitch, velocity, held, _vibrato(gesture, held, sample_rate), preroll)
        end = min(frames, start + audio.shape[1])
        out[:, start:end] += audio[:, : end - start]
    return out


def _vibrato(gesture: tuple, held: int, sample_rate: int) -> np.ndarray | None:
    """A note's modulation moves as vibrato depth (semitones) over its frames."""
    moves = [(at, value) for at, number, value in gesture if number == 1]
    if not moves:
        return None
    depth = np.zeros(held + sample_rate * 2, dtype=np.float32)
    for at, value in moves:
        depth[max(0, at):] = value / 127 * VIBRATO_SEMITONES
    return depth


