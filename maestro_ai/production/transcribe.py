"""Audio to MIDI with Spotify's basic-pitch, through its ONNX model (onnxruntime; no TensorFlow).

basic-pitch is installed without its declared dependencies (they pin TensorFlow, which needs
numpy < 2); it finds onnxruntime and uses the ONNX model it ships. Audio is decoded by pedalboard
(every format Maestro reads) and handed over at basic-pitch's own rate, 22,050 Hz mono.

    maestro transcribe hum.wav -o hum.mid
    maestro generate --melody hum.wav ...     # a hummed, sung or played melody seeds a song
"""
from __future__ import annotations

import contextlib
import io
import logging
import tempfile
import warnings
from functools import cache
from pathlib import Path

import numpy as np

from maestro_ai.core.errors import InvalidRequest, OutputError
from maestro_ai.io.atomic import atomic_path
from maestro_ai.production.stream import READABLE, Source

RATE = 22050  # basic-pitch's model rate
ONSET_THRESHOLD = 0.5
FRAME_THRESHOLD = 0.3
MIN_NOTE_MS = 80.0
# basic-pitch's onsets lag the true note starts: by a median of 5 ms (piano) to 25 ms (flute) on
# the development melodies (evaluate_transcription, seed 7, not the reported seed); all move 15 ms.
ONSET_LEAD_S = 0.015


@cache
def _basic_pitch():
    """basic-pitch's predict function and its ONNX model, loaded once. Its import logs a warning
    for every back end that is absent (TensorFlow, TFLite, CoreML) and resampy warns about
    pkg_resources: none of it concerns the ONNX path, so it is kept out of the user's way."""
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from basic_pitch import ICASSP_2022_MODEL_PATH
            from basic_pitch.inference import Model, predict
    except ImportError as exc:
        raise InvalidRequest(f"transcription needs basic-pitch and onnxruntime ({exc}); run `make install`") from None
    finally:
        logging.disable(previous)
    model_path = Path(ICASSP_2022_MODEL_PATH)
    if model_path.suffix != ".onnx":
        model_path = model_path.with_suffix(".onnx")
    return predict, Model(model_path), model_path.name


def transcribe(path: Path | str, tempo_bpm: float = 120.0, monophonic: bool = False):
    """(pretty_midi.PrettyMIDI, notes) for an audio file; notes are (start s, end s, pitch, amplitude).
    The MIDI file's tempo is `tempo_bpm`, so its beats are the song's beats when the melody was
    played at that tempo. `monophonic` keeps one line (a hummed, sung or played melody)."""
    import pretty_midi

    source = Source(Path(path), RATE)
    audio = np.concatenate([block.mean(axis=0) for block in source.blocks()] or [np.zeros(0, np.float32)])
    if audio.size == 0 or float(np.abs(audio).max()) < 1e-4:
        raise InvalidRequest(f"{Path(path).name!r} is silent (or nearly); there is nothing to transcribe")
    predict, model, _ = _basic_pitch()
    from maestro_ai.io.audio import write_audio

    with tempfile.TemporaryDirectory() as folder:
        wav = write_audio(Path(folder) / "input.wav", audio[None], RATE)
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):  # it prints as it works
            warnings.simplefilter("ignore")
            _, midi, notes = predict(wav, model, onset_threshold=ONSET_THRESHOLD, frame_threshold=FRAME_THRESHOLD,
                                     minimum_note_length=MIN_NOTE_MS, midi_tempo=float(tempo_bpm))
    notes = sorted((max(0.0, float(s) - ONSET_LEAD_S), float(e), int(p), float(a)) for s, e, p, a, *_ in notes)
    for instrument in midi.instruments:
        for note in instrument.notes:
            note.start = max(0.0, note.start - ONSET_LEAD_S)
    if monophonic:
        notes = one_line(notes)
        midi.instruments[0].notes = [pretty_midi.Note(int(96 * min(1.0, a) + 31), p, s, e) for s, e, p, a in notes]
    return midi, notes


def one_line(notes: list[tuple[float, float, int, float]]) -> list[tuple[float, float, int, float]]:
    """A single melodic line: of two notes that sound together (for more than half of the shorter),
    the louder stays; a note that runs into the next one is cut where that one starts.

    >>> one_line([(0.0, 1.0, 60, 0.9), (0.1, 0.9, 72, 0.3), (1.0, 2.0, 62, 0.8)])
    [(0.0, 1.0, 60, 0.9), (1.0, 2.0, 62, 0.8)]
    """
    kept: list[tuple[float, float, int, float]] = []
    for note in sorted(notes, key=lambda n: -n[3]):  # loudest first
        start, end = note[0], note[1]
        if all(min(end, k[1]) - max(start, k[0]) <= 0.5 * min(end - start, k[1] - k[0]) for k in kept):
            kept.append(note)
    kept.sort()
    return [(s, min(e, kept[i + 1][0]) if i + 1 < len(kept) else e, p, a) for i, (s, e, p, a) in enumerate(kept)]


def transcribe_file(path: Path | str, output: Path | str, tempo_bpm: float = 120.0, force: bool = False,
                    monophonic: bool = False) -> dict:
    """Transcribe `path` into the MIDI file `output` (written atomically); a summary."""
    output = Path(output)
    if output.suffix.lower() not in (".mid", ".midi"):
        raise InvalidRequest(f"the output must be a .mid file, not {output.name!r}")
    if Path(path).suffix.lower() not in READABLE:
        raise InvalidRequest(f"cannot read {Path(path).name!r}: use {', '.join(READABLE)} audio")
    if output.exists() and not force:
        raise OutputError(f"{str(output)!r} already exists; pass --force to replace it")
    if not output.parent.is_dir():
        raise OutputError(f"folder {str(output.parent)!r} does not exist")
    if not 20 <= tempo_bpm <= 400:
        raise InvalidRequest(f"tempo must be between 20 and 400 BPM, not {tempo_bpm:g}")
    midi, notes = transcribe(path, tempo_bpm, monophonic)
    with atomic_path(output) as tmp:
        midi.write(str(tmp))
    pitches = [p for _, _, p, _ in notes]
    return {"path": str(output), "notes": len(notes), "model": _basic_pitch()[2],
            "range": [min(pitches), max(pitches)] if pitches else None,
            "seconds": round(max((e for _, e, _, _ in notes), default=0.0), 3)}


def melody_midi_bytes(path: Path | str, tempo_bpm: float) -> bytes:
    """A hummed, sung or played melody as MIDI bytes at `tempo_bpm`, for a song's melody seed."""
    midi, notes = transcribe(path, tempo_bpm, monophonic=True)
    if not notes:
        raise InvalidRequest(f"no notes were heard in {Path(path).name!r}; hum or play the melody louder and clearer")
    buffer = io.BytesIO()
    midi.write(buffer)
    return buffer.getvalue()
