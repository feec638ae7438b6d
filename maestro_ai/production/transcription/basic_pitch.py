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

from maestro_ai.core import limits
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.results import Transcription
from maestro_ai.io.atomic import atomic_path, remove_stale
from maestro_ai.io.audio import write_audio
from maestro_ai.io.outputs import check_file, write_error
from maestro_ai.io.stream import READABLE, Source
from maestro_ai.production.loudness.meters import check_audio

RATE = 22050  # basic-pitch's model rate
ONSET_THRESHOLD = 0.5
FRAME_THRESHOLD = 0.3
MIN_NOTE_MS = 80.0
# basic-pitch's onsets lag the true note starts: by a median of 5 ms (piano) to 25 ms (flute) on
# the development melodies (evaluation/transcription.py, seed 7, not the reported seed); all move 15 ms.
ONSET_LEAD_S = 0.015
SEED_TAIL_SECONDS = 4.0  # transcribed past a seed's last usable beat, so its last notes end properly


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


def _mono(path: Path, seconds: float | None) -> np.ndarray:
    """The recording as mono at RATE: its first `seconds` only, or the whole of it up to
    limits.TRANSCRIBE_SECONDS (a longer one is refused: memory grows with the length)."""
    source = Source(path, RATE)
    most = int((seconds if seconds is not None else limits.TRANSCRIBE_SECONDS) * RATE)
    blocks, frames = [], 0
    for block in source.blocks():
        blocks.append(block.mean(axis=0))
        frames += block.shape[1]
        if frames > most:
            if seconds is None:
                raise InvalidRequest(f"{path.name!r} is longer than {limits.TRANSCRIBE_SECONDS / 60:g} minutes; "
                                     "transcribe it in parts")
            break
    audio = np.concatenate(blocks or [np.zeros(0, np.float32)])[:most]
    finite = bool(np.isfinite(audio).all())
    check_audio(path.name, "transcribe", audio.size, RATE, finite,
                silent=finite and (audio.size == 0 or float(np.abs(audio).max()) < 1e-4), min_seconds=0.1)
    return audio


def transcribe(path: Path | str, tempo_bpm: float = 120.0, monophonic: bool = False, seconds: float | None = None):
    """(pretty_midi.PrettyMIDI, notes) for an audio file; notes are (start s, end s, pitch, amplitude).
    The MIDI file's tempo is `tempo_bpm`, so its beats are the song's beats when the melody was
    played at that tempo. `monophonic` keeps one line (a hummed, sung or played melody); `seconds`
    transcribes only the recording's beginning."""
    import pretty_midi

    audio = _mono(Path(path), seconds)
    predict, model, _ = _basic_pitch()
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
                    monophonic: bool = False) -> Transcription:
    """Transcribe `path` into the MIDI file `output` (written atomically); a summary."""
    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise InvalidRequest(f"the recording to transcribe must be a path, not {path!r:.40}")
    if Path(path).suffix.lower() not in READABLE:
        raise InvalidRequest(f"cannot read {Path(path).name!r}: use {', '.join(READABLE)} audio")
    for name, value in (("force", force), ("melody", monophonic)):
        if not isinstance(value, bool):
            raise InvalidRequest(f"{name} must be True or False, not {value!r:.40}")
    output = check_file(output, force=force, inputs=(path,), suffixes=(".mid", ".midi"))
    tempo_bpm = limits.number("tempo", tempo_bpm, limits.FILE_TEMPO_BPM, "BPM")
    remove_stale(output.parent)
    midi, notes = transcribe(path, tempo_bpm, monophonic)
    try:
        with atomic_path(output) as tmp:
            midi.write(str(tmp))
    except OSError as exc:
        raise write_error(output, exc) from None
    pitches = [p for _, _, p, _ in notes]
    return Transcription(str(output), len(notes), _basic_pitch()[2], (min(pitches), max(pitches)) if pitches else None,
                         round(max((e for _, e, _, _ in notes), default=0.0), 3))


def melody_midi_bytes(path: Path | str, tempo_bpm: float) -> bytes:
    """A hummed, sung or played melody as MIDI bytes at `tempo_bpm`, for a song's melody seed. Only
    the recording's first SEED_MELODY_BEATS beats (and a little more) are transcribed: the rest
    would not be used."""
    seconds = limits.SEED_MELODY_BEATS * 60.0 / tempo_bpm + SEED_TAIL_SECONDS
    midi, notes = transcribe(path, tempo_bpm, monophonic=True, seconds=seconds)
    if not notes:
        raise InvalidRequest(f"no notes were heard in {Path(path).name!r}; hum or play the melody louder and clearer")
    buffer = io.BytesIO()
    midi.write(buffer)
    return buffer.getvalue()
