"""Sample-based synthesis of one track to a stereo stem.

FluidSynth 2 (Debian's libfluidsynth3 through pyfluidsynth) with the FluidR3 GM SoundFont is the
first choice; without it, tinysoundfont with the GM SoundFont that pretty_midi ships. FluidSynth's
own reverb and chorus are off: effects belong to the genre chains.

>>> backend = default_backend()
>>> backend.name in ("fluidsynth", "tinysoundfont")
True
"""
from __future__ import annotations

import ctypes
import functools
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from maestro_ai.core.performance import Performance, Track

log = logging.getLogger(__name__)
FLUID_SOUNDFONTS = ("/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/soundfonts/FluidR3_GM.sf2")
BLOCK = 64  # FluidSynth renders in blocks of 64 frames; events land on sample boundaries anyway


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
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def _fluidsynth_backend() -> Backend | None:
    if os.environ.get("MAESTRO_SYNTH") == "tinysoundfont":
        return None
    soundfont = next((Path(p) for p in FLUID_SOUNDFONTS if Path(p).exists()), None)
    if soundfont is None:
        return None
    try:
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


def _events(track: Track, perf: Performance, sample_rate: int) -> list[tuple[int, int, int, int]]:
    """(sample, kind, pitch, velocity) with note-offs (0) before note-ons (1) at the same sample."""
    per_tick = 60.0 * sample_rate / (perf.tempo * 480)
    events = []
    for n in track.notes:
        events.append((int(round(n.start * per_tick)), 1, n.pitch, n.velocity))
        events.append((int(round(n.end * per_tick)), 0, n.pitch, 0))
    events.sort()
    return events


def render_track(track: Track, perf: Performance, frames: int, sample_rate: int = 44100,
                 backend: Backend | None = None) -> np.ndarray:
    """Render one track to float32 audio of shape (2, frames)."""
    backend = backend or default_backend()
    events = _events(track, perf, sample_rate)
    if backend.name == "fluidsynth":
        out = _render_fluidsynth(track, events, frames, sample_rate, backend.soundfont)
    else:
        out = _render_tinysoundfont(track, events, frames, sample_rate, backend.soundfont)
    return np.ascontiguousarray(out.T)


def _render_fluidsynth(track: Track, events, frames: int, sample_rate: int, soundfont: Path) -> np.ndarray:
    import fluidsynth

    write_float = fluidsynth._fl.fluid_synth_write_float
    write_float.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                            ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
    synth = fluidsynth.Synth(gain=0.6, samplerate=float(sample_rate))
    try:
        for key, value in (("synth.reverb.active", 0), ("synth.chorus.active", 0), ("synth.polyphony", 256)):
            synth.setting(key, value)
        synth.set_reverb_level(0.0) if hasattr(synth, "set_reverb_level") else None
        sfid = synth.sfload(str(soundfont))
        channel = track.channel
        if track.is_drum:
            synth.program_select(channel, sfid, 128, 0)
        else:
            synth.program_select(channel, sfid, 0, track.program)
        synth.cc(channel, 91, 0)  # no send to the built-in reverb
        synth.cc(channel, 93, 0)  # nor to its chorus
        out = np.zeros((frames, 2), dtype=np.float32)
        pos = 0
        for sample, on, pitch, vel in events:
            sample = min(sample, frames)
            if sample > pos:
                view = out[pos:sample]
                write_float(synth.synth, sample - pos, view.ctypes.data, 0, 2, view.ctypes.data, 1, 2)
                pos = sample
            if on:
                synth.noteon(channel, pitch, vel)
            else:
                synth.noteoff(channel, pitch)
        if pos < frames:
            view = out[pos:]
            write_float(synth.synth, frames - pos, view.ctypes.data, 0, 2, view.ctypes.data, 1, 2)
        return out
    finally:
        synth.delete()


def _render_tinysoundfont(track: Track, events, frames: int, sample_rate: int, soundfont: Path) -> np.ndarray:
    import tinysoundfont

    synth = tinysoundfont.Synth(gain=-8.0, samplerate=sample_rate)
    sfid = synth.sfload(str(soundfont))
    channel = track.channel
    if track.is_drum:
        synth.program_select(channel, sfid, 128, 0, is_drums=True)
    else:
        synth.program_select(channel, sfid, 0, track.program)
    out = np.zeros((frames, 2), dtype=np.float32)
    pos = 0
    for sample, on, pitch, vel in events:
        sample = min(sample, frames)
        if sample > pos:
            out[pos:sample] = np.frombuffer(synth.generate(sample - pos), dtype=np.float32).reshape(-1, 2)
            pos = sample
        if on:
            synth.noteon(channel, pitch, vel)
        else:
            synth.noteoff(channel, pitch)
    if pos < frames:
        out[pos:] = np.frombuffer(synth.generate(frames - pos), dtype=np.float32).reshape(-1, 2)
    return out
