"""Stems and the mix: render every track (two at a time), apply its chain, balance, sum.

The stems written to disk are exactly what is summed, so the stems add up to the pre-master mix.

>>> LEVELS_DB["drums"], LEVELS_DB["pad"]
(0.0, -9.0)
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from maestro_ai.compose.drums import KIT
from maestro_ai.core.performance import Performance
from maestro_ai.prompt.controls import Controls
from maestro_ai.prompt.presets import Genre
from maestro_ai.render.effects import chain_for, sidechain_envelope, vinyl_texture
from maestro_ai.render.synth import Backend, default_backend, render_track

LEVELS_DB = {"drums": 0.0, "bass": -1.5, "melody": -2.0, "harmony": -5.0, "counter": -7.0, "pad": -9.0,
             "texture": -24.0}
REFERENCE_RMS_DB = -20.0
FADE_OUT_S = 1.5


@dataclass
class Mixdown:
    """Stems by part name (float32, (2, frames)) and their sum, the pre-master mix."""

    stems: dict[str, np.ndarray]
    mix: np.ndarray
    sample_rate: int
    gains_db: dict[str, float]


def active_rms_db(audio: np.ndarray, sample_rate: int) -> float:
    """RMS level in dBFS over the parts of a stem that actually sound (100 ms blocks)."""
    block = sample_rate // 10
    usable = audio.shape[1] // block * block
    if usable == 0:
        return -120.0
    power = (audio[:, :usable].astype(np.float64) ** 2).mean(axis=0).reshape(-1, block).mean(axis=1)
    loud = power[power > power.max() * 1e-4]
    return float(10 * np.log10(loud.mean())) if loud.size and loud.mean() > 0 else -120.0


def _fades(frames: int, sample_rate: int) -> np.ndarray:
    env = np.ones(frames, dtype=np.float32)
    fade_in = min(frames, int(0.005 * sample_rate))
    env[:fade_in] = np.linspace(0, 1, fade_in, dtype=np.float32)
    fade_out = min(frames // 2, int(FADE_OUT_S * sample_rate))
    if fade_out:
        env[frames - fade_out:] *= np.linspace(1, 0, fade_out, dtype=np.float32) ** 2
    return env


def mix_performance(perf: Performance, genre: Genre, controls: Controls, duration_seconds: float,
                    rng: np.random.Generator, sample_rate: int = 44100, backend: Backend | None = None,
                    on_part: Callable[[str], None] | None = None, workers: int = 2) -> Mixdown:
    """Render, process and balance every track; return the stems and their sum."""
    backend = backend or default_backend()
    frames = int(round(duration_seconds * sample_rate))
    beat_seconds = 60.0 / perf.tempo
    energy = controls.energy
    effects = list(genre.effects)

    def process(track):
        dry = render_track(track, perf, frames, sample_rate, backend)
        board = chain_for(track.name, effects, brightness=controls.brightness, space=controls.space,
                          energy=energy, beat_seconds=beat_seconds)
        wet = board(dry, sample_rate, reset=True) if len(board) else dry
        if on_part:
            on_part(track.name)
        return track.name, np.asarray(wet, dtype=np.float32)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        rendered = dict(pool.map(process, perf.tracks))
    if "sidechain" in effects:
        drums = next((t for t in perf.tracks if t.is_drum), None)
        kicks = [perf.seconds(n.start) for n in drums.notes if n.pitch == KIT["kick"]] if drums else []
        duck = sidechain_envelope(kicks, frames, sample_rate)
        for name in rendered:
            if name != "drums":
                rendered[name] = rendered[name] * duck
    if "vinyl" in effects:
        rendered["texture"] = vinyl_texture(frames, sample_rate, rng)
    envelope = _fades(frames, sample_rate)
    stems, gains = {}, {}
    for name, audio in rendered.items():
        level = genre.levels.get(name, LEVELS_DB.get(name, -6.0))
        current = active_rms_db(audio, sample_rate)
        gain_db = REFERENCE_RMS_DB + level - current if current > -100 else 0.0
        gains[name] = round(gain_db, 2)
        stems[name] = (audio * np.float32(10 ** (gain_db / 20)) * envelope).astype(np.float32)
    mix = np.sum(list(stems.values()), axis=0, dtype=np.float32)
    return Mixdown(stems, mix, sample_rate, gains)
