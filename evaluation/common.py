"""What the evaluation scripts share: where their reports go, rendering with FluidR3, and the
command line they all take.

>>> DOCS.name, DOCS.parent == ROOT
('docs', True)
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from maestro_ai.render.synth import fluid_soundfont

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"  # reports go here whatever the caller's directory


def render_midi(midi, rate: int) -> np.ndarray:
    """A pretty_midi.PrettyMIDI rendered by FluidSynth with FluidR3 GM (its default reverb and
    chorus), left channel, with a second of release after the last event, peak-normalized to 0.5.

    pretty_midi's own `fluidsynth()` takes FluidSynth's 16-bit output, whose dither noise changes
    from process to process, and basic-pitch's note decisions on a violin or a voice follow it; the
    float output used here is the same in every run.
    """
    soundfont = fluid_soundfont()
    if soundfont is None:
        raise RuntimeError("the evaluation renders with FluidSynth and FluidR3_GM.sf2 (make install as root)")
    audio = np.zeros(int(np.ceil(rate * (midi.get_end_time() + 1.0))))
    for instrument in midi.instruments:
        part = _render_instrument(instrument, rate, soundfont)
        audio[: len(part)] += part[: len(audio)]
    return (audio / max(np.abs(audio).max(), 1e-9) * 0.5).astype(np.float32)


def _render_instrument(instrument, rate: int, soundfont: Path) -> np.ndarray:
    """One pretty_midi.Instrument through its own synthesizer, as pretty_midi plays it (drums on
    channel 9 and bank 128, note-offs before note-ons at the same time)."""
    import ctypes

    import fluidsynth

    events = [(n.start, 1, "noteon", n.pitch, n.velocity) for n in instrument.notes]
    events += [(n.end, 0, "noteoff", n.pitch) for n in instrument.notes]
    events += [(b.time, 1, "pitch_bend", b.pitch) for b in instrument.pitch_bends]
    events += [(c.time, 1, "cc", c.number, c.value) for c in instrument.control_changes]
    if not events:
        return np.zeros(0)
    events.sort(key=lambda e: (e[0], e[1]))
    synth = fluidsynth.Synth(samplerate=float(rate))
    write = fluidsynth._fl.fluid_synth_write_float
    write.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                      ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
    try:
        sfid = synth.sfload(str(soundfont))
        if instrument.is_drum:
            channel = 9
            if synth.program_select(channel, sfid, 128, instrument.program) == -1:
                synth.program_select(channel, sfid, 128, 0)  # no such kit: the standard one
        else:
            channel = 0
            synth.program_select(channel, sfid, 0, instrument.program)
        out = np.zeros((int(np.ceil(rate * (events[-1][0] + 1.0))), 2), dtype=np.float32)
        done = int(rate * events[0][0])
        for i, (_, _, action, *args) in enumerate(events):
            getattr(synth, action)(channel, *args)
            end = int(rate * events[i + 1][0]) if i + 1 < len(events) else len(out)
            if end > done:
                block = out[done:end]
                write(synth.synth, end - done, block.ctypes.data, 0, 2, block.ctypes.data, 1, 2)
                done = end
    finally:
        synth.delete()
    return out[:, 0].astype(np.float64)


def main(description: str, count: tuple[str, int], seed: int, evaluate: Callable[[int, int], dict],
         write_docs: Callable[[dict, Path], None]) -> None:
    """`--COUNT n --seed s [--docs folder]`: evaluate, write the report, print its summary."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(f"--{count[0]}", type=int, default=count[1], dest="count")
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--docs", type=Path, default=DOCS, help="where the report goes (default: the project's docs/)")
    args = parser.parse_args()
    result = evaluate(args.count, args.seed)
    write_docs(result, args.docs)
    print(json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=2))
