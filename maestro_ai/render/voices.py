"""Synthesized voices: the Faust programs in maestro_ai/data/voices, compiled and run by DawDreamer.

A voice is driven sample by sample through four controls (common.lib): freq (Hz, slides and
bends included), gate, gain (velocity) and vib (vibrato depth). Its `maestro_mode` says how it
plays a part:

- ``mono``: one line, rendered in one pass; a note that starts before the last one ends slides
  into it without a new attack (the 303's slide), and pitch bends glide the 808;
- ``poly``: each distinct note rendered once from silence and laid wherever it is played (as the
  SoundFont renderer does), so chords and pads cost what their distinct notes cost;
- ``one-shot``: a drum voice, its length set by the sound, not the note.

>>> voice = load_voice("808-bass")
>>> voice.mode, voice.tail_seconds
('mono', 0.5)
"""
from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from typing import TypeVar

import numpy as np

from maestro_ai.core.performance import BEND, Performance, PlayedPart

T = TypeVar("T")
MODES = ("mono", "poly", "one-shot")
PARAM = "/dawdreamer/{}"
VIBRATO_SEMITONES = 0.5  # at modulation 127, as FluidSynth's default modulator (50 cents)
SLIDE_S = 0.06  # a 303's slide: the pitch glides into the next note over about 60 ms
RETRIGGER_FRAMES = 64  # the gate falls this long before a note that does not slide
BLOCK = 256


@dataclass(frozen=True)
class Voice:
    """A Faust voice: its name, mode, how long it rings after its gate falls, and its code."""

    name: str
    mode: str
    tail_seconds: float
    code: str


def engine_available() -> bool:
    """DawDreamer imports (it ships its own Faust compiler and libraries)."""
    try:
        import dawdreamer  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@functools.cache
def load_voice(name: str) -> Voice | None:
    """The voice called `name`, or None when there is no such voice file."""
    folder = resources.files("maestro_ai.data").joinpath("voices")
    file = folder.joinpath(f"{name}.dsp")
    if not re.fullmatch(r"[a-z0-9-]+", name) or not file.is_file():
        return None
    text = file.read_text("utf-8")
    # The Faust compiler runs from a string: the shared library is pasted in where it is imported.
    code = text.replace('import("common.lib");', folder.joinpath("common.lib").read_text("utf-8"))
    mode = re.search(r'declare maestro_mode "([a-z-]+)";', text)
    tail = re.search(r'declare maestro_tail "([0-9.]+)";', text)
    if mode is None or mode.group(1) not in MODES or tail is None:
        raise ValueError(f"voice {name}: declare maestro_mode (one of {MODES}) and maestro_tail")
    return Voice(name, mode.group(1), float(tail.group(1)), code)


# DawDreamer (JUCE inside) hangs when it is used from more than one thread of a process, even one
# thread at a time (DBraun/DawDreamer#157): every call goes through this one thread.
_FAUST_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="maestro-faust")


def on_faust_thread(work: Callable[..., T], *args) -> T:
    """Run `work(*args)` on the one thread that may use DawDreamer, and wait for it."""
    if threading.current_thread().name.startswith("maestro-faust"):
        return work(*args)
    return _FAUST_THREAD.submit(work, *args).result()


class Player:
    """One compiled voice and the DawDreamer engine that runs it (on the Faust thread)."""

    def __init__(self, voice: Voice, sample_rate: int) -> None:
        self.voice, self.sample_rate = voice, sample_rate
        on_faust_thread(self._build)

    def _build(self) -> None:
        import dawdreamer

        voice, sample_rate = self.voice, self.sample_rate
        self.engine = dawdreamer.RenderEngine(sample_rate, BLOCK)
        self.processor = self.engine.make_faust_processor(voice.name.replace("-", "_"))
        self.processor.set_dsp_string(voice.code)
        if not self.processor.compile():
            raise RuntimeError(f"voice {voice.name}: the Faust program does not compile")
        self.engine.load_graph([(self.processor, [])])
        # Faust drops a control the program never reads (a drum ignores freq): only these are set.
        self.controls = {d["name"] for d in self.processor.get_parameters_description()}

    def play(self, freq: np.ndarray, gate: np.ndarray, gain: np.ndarray, vib: np.ndarray) -> np.ndarray:
        """Run the voice over control signals (one value per frame); stereo float32 (2, frames)."""
        return on_faust_thread(self._play, freq, gate, gain, vib)

    def _play(self, freq: np.ndarray, gate: np.ndarray, gain: np.ndarray, vib: np.ndarray) -> np.ndarray:
        for name, signal in (("freq", freq), ("gate", gate), ("gain", gain), ("vib", vib)):
            if PARAM.format(name) in self.controls:
                self.processor.set_automation(PARAM.format(name), np.ascontiguousarray(signal, dtype=np.float32))
        self.engine.render(len(freq) / self.sample_rate)
        audio = np.asarray(self.engine.get_audio(), dtype=np.float32)
        out = np.zeros((2, len(freq)), dtype=np.float32)
        out[:, : min(len(freq), audio.shape[1])] = audio[:2, : len(freq)]
        return out

    def note(self, pitch: float, velocity: int, held: int, vib: np.ndarray | None = None,
             preroll: int = 0) -> np.ndarray:
        """One note from silence: held for `held` frames, then its tail. `preroll` silent frames
        run first and are dropped: the voice's noise is then at another point of its sequence
        (a round-robin variant of a drum hit)."""
        frames = held + int(self.voice.tail_seconds * self.sample_rate)
        gate = np.zeros(preroll + frames, dtype=np.float32)
        gate[preroll:preroll + held] = 1.0
        vibrato = np.zeros(preroll + frames, dtype=np.float32)
        if vib is not None:
            vibrato[preroll: preroll + min(frames, len(vib))] = vib[:frames]
        return self.play(np.full(preroll + frames, hz(pitch), dtype=np.float32), gate,
                         np.full(preroll + frames, velocity / 127, dtype=np.float32), vibrato)[:, preroll:]


def hz(pitch: float) -> float:
    return 440.0 * 2 ** ((pitch - 69) / 12)


def control_curve(part: PlayedPart, number: int, perf: Performance, frames: int, sample_rate: int,
                  rest: float = 0.0) -> np.ndarray:
    """A controller's (or the pitch bend's) values over the song, one per frame, stepping at each
    event and starting at `rest`."""
    events = part.controls_of(number)
    starts = np.array([int(round(perf.seconds(c.tick) * sample_rate)) for c in events], dtype=np.int64)
    values = np.array([rest, *(c.value for c in events)], dtype=np.float32)
    # Each frame takes the value of the last event at or before it (a later event at the same frame wins).
    return values[np.searchsorted(starts, np.arange(frames), side="right")]


def render_mono(player: Player, part: PlayedPart, perf: Performance, frames: int) -> np.ndarray:
    """A single line in one pass: the newest note sounds; one that starts before the last ends
    slides in without a new attack; pitch bends and modulation act as on a MIDI synth."""
    sr = player.sample_rate
    freq = np.zeros(frames, dtype=np.float32)
    gate = np.zeros(frames, dtype=np.float32)
    gain = np.zeros(frames, dtype=np.float32)
    notes = sorted(part.notes, key=lambda n: (n.start, -n.pitch))
    at = [int(round(perf.seconds(n.start) * sr)) for n in notes]
    slides = []  # (frame, from pitch, to pitch, frames until the next note)
    for i, n in enumerate(notes):
        start = at[i]
        if start >= frames:
            break
        end = min(frames, max(start + 1, int(round(perf.seconds(n.end) * sr))))
        following = at[i + 1] if i + 1 < len(notes) else frames
        freq[start:] = hz(n.pitch)
        gain[start:] = n.velocity / 127
        gate[start:end] = 1.0
        if following >= end and following < frames:  # a new attack: the gate falls just before it
            gate[max(start + 1, following - RETRIGGER_FRAMES):following] = 0.0
        elif following < frames and notes[i + 1].pitch != n.pitch:  # held into the next: a slide
            after = at[i + 2] if i + 2 < len(notes) else frames
            slides.append((following, n.pitch, notes[i + 1].pitch, after - following))
    if not notes:
        return np.zeros((2, frames), dtype=np.float32)
    for start, low, high, room in slides:  # the pitch travels, in semitones, over SLIDE_S
        length = max(1, min(int(SLIDE_S * sr), room, frames - start))
        travel = np.linspace(0.0, 1.0, length, endpoint=False, dtype=np.float32)
        freq[start:start + length] = hz(low) * np.exp2((high - low) * travel / 12.0)
    first = at[0]
    freq[:first] = hz(notes[0].pitch)
    bend = control_curve(part, BEND, perf, frames, sr) / 8192.0 * part.bend_range
    freq *= np.exp2(bend / 12.0).astype(np.float32)
    vib = control_curve(part, 1, perf, frames, sr) / 127.0 * VIBRATO_SEMITONES
    return player.play(freq, gate, gain, vib)
