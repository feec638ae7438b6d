"""The evaluations' FluidSynth rendering: the same audio in every process, so their figures repeat."""
import subprocess
import sys

import pytest

from evaluation.common import ROOT
from maestro_ai.render.synth import fluid_soundfont

pytestmark = pytest.mark.skipif(fluid_soundfont() is None, reason="renders with FluidSynth and FluidR3_GM")

RENDER = """
import hashlib, pretty_midi
from evaluation.common import render_midi
midi = pretty_midi.PrettyMIDI()
violin, kit = pretty_midi.Instrument(program=40), pretty_midi.Instrument(program=0, is_drum=True)
for k in range(6):
    violin.notes.append(pretty_midi.Note(velocity=90, pitch=64 + k, start=0.3 * k, end=0.3 * k + 0.25))
    kit.notes.append(pretty_midi.Note(velocity=100, pitch=36 + 2 * (k % 2), start=0.3 * k, end=0.3 * k + 0.1))
midi.instruments += [violin, kit]
audio = render_midi(midi, 22050)
print("render:", len(audio), float(abs(audio).max()), hashlib.sha256(audio.tobytes()).hexdigest())
"""


def _render_in_a_new_process() -> str:
    """The child's figures line; FluidSynth may log its own lines to stdout around it."""
    out = subprocess.run([sys.executable, "-c", RENDER], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return next(line for line in out.splitlines() if line.startswith("render: "))


def test_render_is_identical_across_processes():
    runs = [_render_in_a_new_process() for _ in range(2)]
    frames, peak, _ = runs[0].split()[1:]
    assert abs(int(frames) - 22050 * 2.75) <= 1  # to the last note's end, then a second of release
    assert float(peak) == pytest.approx(0.5)
    assert runs[0] == runs[1]  # 16-bit output would differ by its dither noise
