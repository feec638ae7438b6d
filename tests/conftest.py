"""Shared fixtures: the README's example song, generated once per test session."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import maestro_ai

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


def load_track_json(folder: Path) -> dict:
    return json.loads((Path(folder) / "track.json").read_text())
