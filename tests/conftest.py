"""Whole songs and recordings the tests share, each made once per session, and a full disk."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

import maestro_ai
from maestro_ai.io.audio import read_audio, write_audio
from tests.postgres import postgres_url  # noqa: F401 (a fixture: the registry's and the server's tests use it)
from tests.services import redis_url, s3_endpoint  # noqa: F401 (fixtures: the scaled-out server's tests use them)

# The tests' own data folder (signing identity, ledger, rights registry): never the user's
os.environ["MAESTRO_HOME"] = tempfile.mkdtemp(prefix="maestro-test-home-")

DEMO_INPUT = {"melody_midi": "Cmaj7 G6",
              "key_phrases": ["rainy city lights", "quiet introspection", "velvet night"],
              "tempo_bpm": 72}


@pytest.fixture(scope="session")
def demo_track(tmp_path_factory) -> tuple[dict, Path]:
    """The README example: lofi-chill, ambient-focus, 180 s, seed 7."""
    out = tmp_path_factory.mktemp("demo")
    gen = maestro_ai.MusicGenerator(genre="lofi-chill", mood="ambient-focus", seed=7, output_dir=out)
    meta, audio_path = gen.generate_track(DEMO_INPUT, duration_seconds=180)
    return meta, audio_path


@pytest.fixture(scope="session")
def pop_track(tmp_path_factory) -> tuple[maestro_ai.MusicGenerator, dict]:
    """A 40 s pop song (seed 21) to vary, and the generator that made it."""
    out = tmp_path_factory.mktemp("pop")
    gen = maestro_ai.MusicGenerator(genre="pop", mood="happy", seed=21, output_dir=out, formats=("wav",))
    meta, _ = gen.generate_track({"key_phrases": ["summer road trip"]}, duration_seconds=40)
    return gen, meta


def _song(folder: Path, genre: str, mood: str, tempo: int, seed: int, seconds: float) -> dict:
    # unsealed: a producer's own bounce, as the production tools meet it (and free of any mark)
    gen = maestro_ai.MusicGenerator(genre=genre, mood=mood, seed=seed, output_dir=folder, formats=("wav",), seal=False)
    meta, _ = gen.generate_track({"tempo_bpm": tempo, "key_phrases": ["late night drive"]}, duration_seconds=seconds)
    return meta


@pytest.fixture(scope="session")
def mixes(tmp_path_factory) -> dict[str, Path]:
    """Real material for the production tools (sampled instruments from MuseScore General, the AVL
    kits and FluidR3, and synth voices, rendered per part at studio quality): 'rock' and 'jazz',
    un-mastered mixes (the stems summed, as a producer bounces them), with their track
    folders ('rock-track', 'jazz-track'); 'reference': a mastered house track."""
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


@pytest.fixture(scope="session")
def played(tmp_path_factory) -> tuple[Path, dict]:
    """A melody by the learned composer, played on the piano at 100 BPM (FluidR3), and its notes."""
    from maestro_ai.render.synth import fluid_soundfont

    if fluid_soundfont() is None:
        pytest.skip("the melody is rendered with FluidSynth and FluidR3_GM")
    from evaluation.transcription import cases, render

    case = next(c for c in cases(4, seed=11) if c["instrument"] == "piano")
    case["tempo"] = 100.0  # the notes are in seconds already; only the MIDI file's beats use it
    folder = tmp_path_factory.mktemp("hum")
    return write_audio(folder / "melody.wav", render(case)[None], 44100), case


@pytest.fixture
def full_disk(tmp_path):
    """A folder on a tiny disk (a 256 kB tmpfs) that fills up at once: a real full disk. Mounting
    needs root (as CI runs); elsewhere the tests that need it are skipped."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)],
                                           capture_output=True).returncode != 0:
        pytest.skip("a small disk needs root to mount a tmpfs")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def load_track_json(folder: Path) -> dict:
    return json.loads((Path(folder) / "track.json").read_text())
