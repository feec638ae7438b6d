"""Sample-based synthesis of one track to a stereo stem.

FluidSynth 2 (Debian's libfluidsynth3 through pyfluidsynth) with the FluidR3 GM SoundFont is the
first choice; without it, tinysoundfont with the GM SoundFont that pretty_midi ships. FluidSynth's
own reverb and chorus are off: effects belong to the genre chains.

>>> backend = default_backend()
>>> backend.name in ("fluidsynth", "tinysoundfont")
True
"""
from __future__ import annotations

import bisect
import contextlib
import ctypes
import functools
import io
import logging
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from maestro_ai.core.performance import BEND, Performance, PlayedPart
from maestro_ai.io.digest import file_sha256

log = logging.getLogger(__name__)
FLUID_SOUNDFONTS = ("/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/soundfonts/FluidR3_GM.sf2")


def fluid_soundfont() -> Path | None:
    """Debian's FluidR3 GM SoundFont, where it is installed."""
    return next((Path(p) for p in FLUID_SOUNDFONTS if Path(p).exists()), None)


@dataclass(frozen=True)
class Backend:
    """A synthesizer and the SoundFont it plays."""

    name: str
    soundfont: Path
    version: str

    def describe(self) -> dict:
        return {"synth": f"{self.name} {self.version}", "soundfont": self.soundfont.name,
                "soundfont_sha256": soundfont_digest(str(self.soundfont))}


@functools.cache
def soundfont_digest(path: str) -> str:
    return file_sha256(path)[:16]


def _fluidsynth_backend() -> Backend | None:
    if os.environ.get("MAESTRO_SYNTH") == "tinysoundfont":
        return None
    soundfont = fluid_soundfont()
    if soundfont is None:
        return None
    try:  # pyfluidsynth prints where it found the library when $CI is set; stdout is for our output
        with contextlib.redirect_stdout(io.StringIO()):
            import fluidsynth
    except (ImportError, OSError):
        return None
    version = "2"
    try:
        major, minor, micro = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        fluidsynth._fl.fluid_version(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(micro))
        version = f"{major.value}.{minor.value}.{micro.value}"
    except AttributeError:
        pass
    try:  # FluidSynth warns on stderr about SoundFont quirks; they are not the user's concern
        fluidsynth._fl.fluid_set_log_function.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p]
        fluidsynth._fl.fluid_set_log_function(2, None, None)
    except AttributeError:
        pass
    return Backend("fluidsynth", soundfont, version)


@functools.cache
def default_backend() -> Backend:
    """FluidSynth with FluidR3 GM when installed, else tinysoundfont with pretty_midi's SoundFont."""
    backend = _fluidsynth_backend()
    if backend is not None:
        return backend
    import importlib.metadata

    import pretty_midi

    soundfont = Path(pretty_midi.__file__).parent / "TimGM6mb.sf2"
    log.warning("FluidSynth or FluidR3_GM.sf2 not found; rendering with tinysoundfont and %s", soundfont.name)
    return Backend("tinysoundfont", soundfont, importlib.metadata.version("tinysoundfont"))


MAX_TAIL_SECONDS = 8.0
TAIL_BLOCK = 2048
SILENCE = 1e-6
TAIL_FLOOR = 10 ** (-60 / 20)  # a release is over once 60 dB under the note's peak
GRID = 64  # note lengths are rounded to FluidSynth's own 64-frame block
# FluidSynth (2.3) is not safe to set up from two threads at once: it fills its default modulators
# (velocity and CC7 to attenuation among them) when the process makes its first synth, after
# marking them ready, so a second synth made meanwhile copies them half-filled and plays every
# note 16 dB louder; and its sample cache, shared by every synth that loads the same SoundFont,
# loses count when two load or free a preset's samples at once (a note 4 dB off, "Trying to free
# sample data not found in cache"). A synth is made, loaded and deleted under this lock (a few
# milliseconds); playing runs freely.
_SETUP = threading.Lock()


@dataclass(frozen=True)
class Preset:
    """A preset of a SoundFont other than the backend's own (FluidSynth only)."""

    soundfont: Path
    bank: int
    program: int


class _Voice:
    """One synthesizer instance that plays a single note at a time from silence."""

    def __init__(self, backend: Backend, track: PlayedPart, sample_rate: int, preset: Preset | None = None) -> None:
        self.backend, self.channel = backend, track.channel
        if preset is not None:
            self.channel = 9 if preset.bank == 128 else 0
        if backend.name == "fluidsynth":
            import fluidsynth

            self.fl = fluidsynth._fl
            self.fl.fluid_synth_write_float.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int,
                                                        ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
            self.fl.fluid_synth_get_active_voice_count.argtypes = [ctypes.c_void_p]
            # Dynamic loading reads only the samples of the programs selected: loading all of
            # FluidR3's 140 MB cost a fifth of a second per track.
            bank, program = (128, 0) if track.is_drum else (0, track.program)
            if preset is not None:
                bank, program = preset.bank, preset.program
            with _SETUP:
                self.synth = fluidsynth.Synth(gain=0.6, samplerate=float(sample_rate),
                                              **{"synth.dynamic-sample-loading": 1})
                for key, value in (("synth.reverb.active", 0), ("synth.chorus.active", 0), ("synth.polyphony", 256)):
                    self.synth.setting(key, value)
                sfid = self.synth.sfload(str(preset.soundfont if preset else backend.soundfont))
                self.synth.program_select(self.channel, sfid, bank, program)
            if track.bend_range != 2:
                self.fl.fluid_synth_pitch_wheel_sens.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
                self.fl.fluid_synth_pitch_wheel_sens(self.synth.synth, self.channel, track.bend_range)
            self.synth.cc(self.channel, 91, 0)  # no send to the built-in reverb
            self.synth.cc(self.channel, 93, 0)  # nor to its chorus
        else:
            import tinysoundfont

            self.synth = tinysoundfont.Synth(gain=-8.0, samplerate=sample_rate)
            sfid = self.synth.sfload(str(backend.soundfont))
            if track.is_drum:
                self.synth.program_select(self.channel, sfid, 128, 0, is_drums=True)
            else:
                self.synth.program_select(self.channel, sfid, 0, track.program)
                if track.bend_range != 2:
                    self.synth.pitchbend_range(self.channel, float(track.bend_range))

    def render(self, frames: int) -> np.ndarray:
        if self.backend.name == "fluidsynth":
            out = np.zeros((frames, 2), dtype=np.float32)
            self.fl.fluid_synth_write_float(self.synth.synth, frames, out.ctypes.data, 0, 2, out.ctypes.data, 1, 2)
            return out
        return np.frombuffer(self.synth.generate(frames), dtype=np.float32).reshape(-1, 2).copy()

    def sounding(self, last_block: np.ndarray, floor: float) -> bool:
        """Still audible: above `floor` (60 dB under the note's peak) and voices still active."""
        if np.abs(last_block).max() <= floor:
            return False
        if self.backend.name == "fluidsynth":
            return self.fl.fluid_synth_get_active_voice_count(self.synth.synth) > 0
        return True

    def note(self, pitch: int, velocity: int, frames: int, sample_rate: int, gesture: tuple = ()) -> np.ndarray:
        """A note held for `frames`, then released until it falls silent; shape (2, n). `gesture`:
        (frame, controller or BEND, value) events while it is held (the frame from its start)."""
        moves = [g for g in gesture if g[0] <= 0]
        for _, number, value in moves:
            self._control(number, value)
        self.synth.noteon(self.channel, pitch, velocity)
        blocks, done = [], 0
        for at, number, value in gesture:
            if 0 < at < frames:
                blocks.append(self.render(at - done))
                done = at
                self._control(number, value)
        if frames > done:
            blocks.append(self.render(frames - done))
        self.synth.noteoff(self.channel, pitch)
        blocks = [np.concatenate(blocks)] if blocks else []
        peak = float(np.abs(blocks[0]).max()) if blocks else 0.0
        limit = int(MAX_TAIL_SECONDS * sample_rate)
        tail = 0
        while tail < limit:
            block = self.render(TAIL_BLOCK)
            blocks.append(block)
            tail += TAIL_BLOCK
            peak = max(peak, float(np.abs(block).max()))
            if not self.sounding(block, max(SILENCE, peak * TAIL_FLOOR)):
                break
        self._silence()
        if gesture:  # back to rest for the next note
            self._control(BEND, 0)
            self._control(1, 0)
        return np.concatenate(blocks).T

    def _control(self, number: int, value: int) -> None:
        fluid = self.backend.name == "fluidsynth"
        if number == BEND:
            if fluid:
                self.synth.pitch_bend(self.channel, value)
            else:
                self.synth.pitchbend(self.channel, value + 8192)
        elif fluid:
            self.synth.cc(self.channel, number, value)
        else:
            self.synth.control_change(self.channel, number, value)

    def _silence(self) -> None:
        """Cut whatever still rings (far under audibility) so the next note starts from silence."""
        if self.backend.name == "fluidsynth":
            self.fl.fluid_synth_all_sounds_off.argtypes = [ctypes.c_void_p, ctypes.c_int]
            self.fl.fluid_synth_all_sounds_off(self.synth.synth, self.channel)
            self.render(GRID)
        else:
            self.synth.sounds_off(self.channel)

    def close(self) -> None:
        if self.backend.name == "fluidsynth":
            with _SETUP:
                self.synth.delete()


def note_events(track: PlayedPart, perf: Performance, sample_rate: int) -> list[tuple[int, int, int, int]]:
    """(start frame, pitch, velocity, held frames) per note. An open hi-hat is choked by the next
    closed or pedal hi-hat, as a drummer's foot would (GM exclusive class)."""
    per_tick = 60.0 * sample_rate / (perf.tempo * 480)
    notes = sorted(track.notes, key=lambda n: (n.start, n.pitch))
    closes = [n.start for n in notes if n.pitch in (42, 44)] if track.is_drum else []
    events = []
    for n in notes:
        end = n.end
        if track.is_drum and n.pitch == 46:
            later = [t for t in closes if t > n.start]
            end = min(end, later[0]) if later else end
        start = int(round(n.start * per_tick))
        held = max(GRID, int(round((end - n.start) * per_tick / GRID)) * GRID)
        events.append((start, n.pitch, n.velocity, held))
    return events


def played_events(track: PlayedPart, perf: Performance, sample_rate: int) -> list[tuple]:
    """(start frame, pitch, velocity, held frames, gesture) per note, with the part's expression:
    a note released while the sustain pedal is down rings on until the pedal lifts (or the same
    key is struck again), and its modulation and pitch-bend moves while it sounds are its gesture
    (frames from its start, on FluidSynth's 64-frame grid)."""
    if not track.controls:
        return [(*event, ()) for event in note_events(track, perf, sample_rate)]
    per_tick = 60.0 * sample_rate / (perf.tempo * 480)
    pedal = track.controls_of(64)
    ups = [u.tick for u in pedal if u.value < 64]
    # (press, lift) spans in the order pressed; each lift is the first after its press, so lifts
    # never decrease either (None: no lift after the press, it holds to the end)
    spans = [(c.tick, ups[i] if (i := bisect.bisect_right(ups, c.tick)) < len(ups) else None)
             for c in pedal if c.value >= 64]
    lifts = [math.inf if up is None else up for _, up in spans]
    moves = [c for c in track.controls if c.number in (1, BEND)]
    notes = sorted(track.notes, key=lambda n: (n.start, n.pitch))
    starts_by_pitch: dict[int, list[int]] = {}
    for n in notes:
        starts_by_pitch.setdefault(n.pitch, []).append(n.start)
    events = []
    for n in notes:
        end = n.end
        # A released note rings while the pedal is down: to the lift, the key's next strike or the
        # song's end, whichever comes first; that can reach into a later span pressed meanwhile.
        for down, up in spans[bisect.bisect_right(lifts, end):]:
            if down > end:
                break
            if up is not None and end >= up:
                continue
            same = starts_by_pitch[n.pitch]
            k = bisect.bisect_left(same, end)
            again = same[k] if k < len(same) else None
            end = min(x for x in (up, again, perf.length_ticks) if x is not None and x >= end)
        start = int(round(n.start * per_tick))
        held = max(GRID, int(round((end - n.start) * per_tick / GRID)) * GRID)
        gesture = tuple((int(round((c.tick - n.start) * per_tick / GRID)) * GRID, c.number, c.value)
                        for c in moves if n.start <= c.tick < n.end)
        events.append((start, n.pitch, n.velocity, held, gesture))
    return events


# Round robin: the same drum hit played again comes back a few cents off, as a real drum struck
# twice does; (cents, in pitch-bend units at the default range of 2 semitones).
ROUND_ROBIN_BENDS = (0, 246, -205)


def render_track(track: PlayedPart, perf: Performance, frames: int, sample_rate: int = 44100,
                 backend: Backend | None = None, preset: Preset | None = None, round_robin: bool = False) -> np.ndarray:
    """Render one track to float32 audio of shape (2, frames).

    Voices in a SoundFont synthesizer are independent, so each distinct note (pitch, velocity,
    length) is rendered once, from silence to the end of its release, and added wherever it
    occurs: songs repeat themselves, and this makes rendering several times faster. With
    `round_robin`, successive repeats of a note cycle through ROUND_ROBIN_BENDS (rendered once each).
    """
    backend = backend or default_backend()
    out = np.zeros((2, frames), dtype=np.float32)
    events = played_events(track, perf, sample_rate)
    if not events:
        return out
    voice = _Voice(backend, track, sample_rate, preset)
    cache: dict[tuple, np.ndarray] = {}
    choke = {46: sorted(s for s, p, _, _, _ in events if p in (42, 44))} if track.is_drum else {}
    repeats: dict[tuple, int] = {}
    try:
        for start, pitch, velocity, held, gesture in events:
            if start >= frames:
                continue
            key = (pitch, velocity, held, gesture)
            if round_robin and not gesture:
                turn = repeats[key] = repeats.get(key, -1) + 1
                bend = ROUND_ROBIN_BENDS[turn % len(ROUND_ROBIN_BENDS)]
                gesture = ((0, BEND, bend),) if bend else ()
                key = (pitch, velocity, held, gesture)
            audio = cache.get(key)
            if audio is None:
                audio = cache[key] = voice.note(pitch, velocity, held, sample_rate, gesture)
            end = min(frames, start + audio.shape[1])
            if pitch in choke:  # an open hat's ring stops at the next closed hat
                later = [s for s in choke[pitch] if s > start]
                if later and later[0] < end:
                    cut = later[0]
                    fade = min(256, cut - start)
                    seg = audio[:, : cut - start].copy()
                    seg[:, -fade:] *= np.linspace(1, 0, fade, dtype=np.float32)
                    out[:, start:cut] += seg
                    continue
            out[:, start:end] += audio[:, : end - start]
    finally:
        voice.close()
    return out
