from concurrent.futures import ThreadPoolExecutor

import numpy as np

from maestro_ai.core.style import EFFECTS
from maestro_ai.render.effects import (
    chain_for,
    reverb_in_halves,
    reverb_send,
    shared_reverb,
    sidechain_envelope,
    vinyl_texture,
)

SR = 44100
INSERTS = {"lowpass", "lowpass-soft", "wow", "drive", "delay", "chorus", "compress"}
SENDS = {"room", "hall", "long-reverb"}


def test_every_effect_a_genre_may_name_does_something():
    assert INSERTS | SENDS | {"sidechain", "vinyl"} == EFFECTS
    kw = dict(brightness=0.5, space=0.5, energy=0.5, beat_seconds=0.5)
    for effect in INSERTS:
        boards = [chain_for(part, [effect], **kw) for part in ("melody", "harmony", "drums")]
        assert any(len(b) > len(chain_for(p, [], **kw)) for b, p in zip(boards, ("melody", "harmony", "drums"))), effect
    for effect in SENDS:
        assert shared_reverb([effect], 0.5) is not None and reverb_send([effect], "melody", 0.5) > 0
    assert reverb_send(["hall"], "bass", 0.5) == 0.0


def test_the_reverb_in_two_halves_is_the_reverb_of_the_whole():
    send = np.zeros((2, SR * 4), np.float32)
    send[:, ::5000] = 0.5
    reverb = shared_reverb(["room"], 0.5)
    whole = np.asarray(shared_reverb(["room"], 0.5)(send, SR, reset=True), np.float32)
    with ThreadPoolExecutor(1) as pool:
        halves = reverb_in_halves(reverb, send, SR, pool)
    assert np.abs(halves - whole).max() < 1e-4


def test_sidechain_ducks_after_each_kick_and_vinyl_is_quiet():
    gain = sidechain_envelope([0.0, 1.0], SR * 2, SR)
    assert gain[int(0.01 * SR)] < 0.5 and gain[int(0.9 * SR)] > 0.99
    noise = vinyl_texture(SR * 8, SR, np.random.default_rng(0))
    assert noise.shape == (2, SR * 8) and 0.01 < np.abs(noise).max() < 1.0
