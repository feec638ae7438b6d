from pathlib import Path

import numpy as np
import pretty_midi
import pytest

from maestro_ai.core.key import Key
from maestro_ai.core.meter import TimeSignature
from maestro_ai.core.performance import Performance, PlayedNote, PlayedPart
from maestro_ai.render.mix import active_rms_db
from maestro_ai.render.synth import Backend, _fluidsynth_backend, note_events, render_track

SR = 44100
TINY = Backend("tinysoundfont", Path(pretty_midi.__file__).parent / "TimGM6mb.sf2", "test")


def _perf(notes, program=0, drum=False):
    return Performance(120.0, TimeSignature(4, 4), Key(0, "major"), [PlayedPart("p", program, drum, 9 if drum else 0, "", notes)],
                       480 * 8)


def _pitch_hz(audio):
    mono = audio.mean(axis=0)
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono))))
    return np.fft.rfftfreq(len(mono), 1 / SR)[np.argmax(spectrum)]


@pytest.mark.parametrize("backend", [TINY, _fluidsynth_backend()], ids=["tinysoundfont", "fluidsynth"])
def test_a_note_sounds_at_its_pitch_and_time(backend):
    if backend is None:
        pytest.skip("FluidSynth with FluidR3 GM is not installed")
    perf = _perf([PlayedNote(480, 960, 69, 100)], program=73)  # A4 on a flute, from 0.5 s to 1 s
    audio = render_track(perf.parts[0], perf, SR * 2, SR, backend)
    assert audio.shape == (2, SR * 2) and audio.dtype == np.float32
    assert np.abs(audio[:, : int(0.49 * SR)]).max() < 1e-4  # silence before the note
    assert abs(_pitch_hz(audio[:, int(0.6 * SR): int(0.95 * SR)]) - 440.0) < 8.0


def test_drums_render_on_the_percussion_bank():
    perf = _perf([PlayedNote(0, 120, 36, 110), PlayedNote(480, 600, 38, 110)], drum=True)
    audio = render_track(perf.parts[0], perf, SR, SR, TINY)
    assert np.abs(audio).max() > 0.05 and active_rms_db(audio, SR) > -60


def test_repeated_notes_render_the_same_and_are_reused():
    notes = [PlayedNote(i * 480, i * 480 + 240, 60, 96) for i in range(4)]
    perf = _perf(notes)
    audio = render_track(perf.parts[0], perf, SR * 3, SR, TINY)
    a, b = audio[:, :8820], audio[:, 22050:22050 + 8820]  # notes at 0 s and 0.5 s
    assert np.abs(a - b).max() < 0.05 * np.abs(a).max()


def test_an_open_hat_is_choked_by_the_next_closed_one():
    perf = _perf([PlayedNote(0, 960, 46, 100), PlayedNote(240, 300, 42, 100)], drum=True)
    events = note_events(perf.parts[0], perf, SR)
    open_hat = next(e for e in events if e[1] == 46)
    assert open_hat[3] <= int(0.25 * SR) + 64  # held until the closed hat at 0.25 s, not for its 1 s


FIRST_SYNTHS = """
import threading
from maestro_ai.core.performance import PlayedPart
from maestro_ai.render import synth
backend, track = synth.default_backend(), PlayedPart("pad", 89, False, 0)
peaks, start = [], threading.Barrier(8)
def play():
    start.wait()
    voice = synth._Voice(backend, track, 44100)
    peaks.append(round(float(abs(voice.note(60, 80, 4410, 44100)).max()), 6))
    voice.close()
threads = [threading.Thread(target=play) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print(len(set(peaks)))
"""


@pytest.mark.skipif(_fluidsynth_backend() is None, reason="FluidSynth is not installed")
def test_the_first_synths_of_a_process_made_at_once_play_alike():
    """FluidSynth fills its default modulators on a process's first synth, and shares a sample
    cache between synths: synths set up at the same time on other threads used to copy the
    modulators half-filled (16 dB louder) or lose count of the cache (4 dB off), in about one
    process in six; twelve fresh processes are tried."""
    import subprocess
    import sys

    for _ in range(12):
        done = subprocess.run([sys.executable, "-c", FIRST_SYNTHS], capture_output=True, text=True, timeout=120,
                              cwd=Path(__file__).parents[2])
        assert done.returncode == 0, done.stderr[-500:]
        assert done.stdout.strip() == "1", f"{done.stdout.strip()} different levels"
