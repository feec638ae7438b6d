from pathlib import Path

import numpy as np
import pretty_midi
import pytest

from maestro_ai.compose.perform import perform
from maestro_ai.core.performance import Performance, PlayedNote, Track
from maestro_ai.core.score import Note, Part, Score, Section
from maestro_ai.render.mix import active_rms_db
from maestro_ai.render.synth import Backend, _fluidsynth_backend, render_track

SR = 44100
TINY = Backend("tinysoundfont", Path(pretty_midi.__file__).parent / "TimGM6mb.sf2", "test")


def _perf(notes, program=0, drum=False):
    return Performance(120.0, (4, 4), "C major", [Track("p", program, drum, 9 if drum else 0, "", notes)], 480 * 8)


def _pitch_hz(audio):
    mono = audio.mean(axis=0)
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono))))
    return np.fft.rfftfreq(len(mono), 1 / SR)[np.argmax(spectrum)]


@pytest.mark.parametrize("backend", [TINY, _fluidsynth_backend()], ids=["tinysoundfont", "fluidsynth"])
def test_a_note_sounds_at_its_pitch_and_time(backend):
    if backend is None:
        pytest.skip("FluidSynth with FluidR3 GM is not installed")
    perf = _perf([PlayedNote(480, 960, 69, 100)], program=73)  # A4 on a flute, from 0.5 s to 1 s
    audio = render_track(perf.tracks[0], perf, SR * 2, SR, backend)
    assert audio.shape == (2, SR * 2) and audio.dtype == np.float32
    assert np.abs(audio[:, : int(0.49 * SR)]).max() < 1e-4  # silence before the note
    assert abs(_pitch_hz(audio[:, int(0.6 * SR): int(0.95 * SR)]) - 440.0) < 8.0


def test_drums_render_on_the_percussion_bank():
    perf = _perf([PlayedNote(0, 120, 36, 110), PlayedNote(480, 600, 38, 110)], drum=True)
    audio = render_track(perf.tracks[0], perf, SR, SR, TINY)
    assert np.abs(audio).max() > 0.05 and active_rms_db(audio, SR) > -60


def test_repeated_notes_render_the_same_and_are_reused():
    notes = [PlayedNote(i * 480, i * 480 + 240, 60, 96) for i in range(4)]
    perf = _perf(notes)
    audio = render_track(perf.tracks[0], perf, SR * 3, SR, TINY)
    a, b = audio[:, :8820], audio[:, 22050:22050 + 8820]  # notes at 0 s and 0.5 s
    assert np.abs(a - b).max() < 0.05 * np.abs(a).max()


def test_performance_swings_offbeats_and_keeps_downbeats():
    score = Score(100, 0, "major", (4, 4), [Section("verse", 0, 1, 0.5)], [],
                  [Part("melody", 0, [Note(60, 0.0, 0.25), Note(62, 0.25, 0.25), Note(64, 0.5, 0.25)])])
    played = perform(score, swing=1.0, swing_unit=0.25, rng=np.random.default_rng(0), humanize=False).tracks[0].notes
    assert [n.start for n in played] == [0, 160, 240]  # the off-beat 16th moves to the triplet position
