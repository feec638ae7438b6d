"""Real material for mastering tests: un-mastered mixes and a finished reference, made by Maestro
(FluidR3 recordings of real instruments, rendered per part) once per session."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import maestro_ai
from maestro_ai.io.audio import read_audio, write_audio


def _song(folder: Path, genre: str, mood: str, tempo: int, seed: int, seconds: float) -> dict:
    gen = maestro_ai.MusicGenerator(genre=genre, mood=mood, seed=seed, output_dir=folder, formats=("wav",))
    meta, _ = gen.generate_track({"tempo_bpm": tempo, "key_phrases": ["late night drive"]}, duration_seconds=seconds)
    return meta


@pytest.fixture(scope="session")
def mixes(tmp_path_factory) -> dict[str, Path]:
    """'rock' and 'jazz': un-mastered mixes (the stems summed, as a producer bounces them), with
    their track folders ('rock-track', 'jazz-track'); 'reference': a mastered house track."""
    folder = tmp_path_factory.mktemp("mastering")
    paths = {}
    for name, genre, mood, tempo, seed in (("rock", "rock", "aggressive", 132, 4), ("jazz", "jazz", "romantic", 96, 5)):
        meta = _song(folder, genre, mood, tempo, seed, 40)
        stems = [read_audio(Path(meta["path"]) / rel)[0] for rel in meta["stems"].values()]
        paths[name] = write_audio(folder / f"{name}-mix.wav", np.sum(stems, axis=0), 44100)
        paths[f"{name}-track"] = Path(meta["path"])  # its folder: track.json knows the tempo and key
    meta = _song(folder, "house", "euphoric", 124, 3, 40)
    paths["reference"] = Path(meta["path"]) / "mix.wav"
    return paths
