"""Genre effects chains (pedalboard), per part, scaled by the controls.

Effect names come from the genre presets; core.style.EFFECTS lists them (lowpass, lowpass-soft,
wow, vinyl, room, hall, long-reverb, sidechain, drive, delay, chorus, compress).

>>> from pedalboard import Pedalboard
>>> board = chain_for("melody", ["room", "delay"], brightness=0.5, space=0.5, energy=0.5, beat_seconds=0.5)
>>> [type(p).__name__ for p in board]
['HighpassFilter', 'Delay']
"""
from __future__ import annotations

import numpy as np
from pedalboard import Chorus, Compressor, Delay, Distortion, HighpassFilter, LowpassFilter, Pedalboard, Reverb

MELODIC = {"melody", "harmony", "pad", "counter"}


def chain_for(part: str, effects: list[str], *, brightness: float, space: float, energy: float,
              beat_seconds: float) -> Pedalboard:
    """The insert effects of one part (reverb is a shared send; sidechain and vinyl live in the mix)."""
    board = Pedalboard()
    if part in MELODIC:
        board.append(HighpassFilter(cutoff_frequency_hz=140.0 if part in ("harmony", "pad") else 90.0))
    if "drive" in effects and part == "harmony":
        board.append(Distortion(drive_db=14.0 + 10.0 * energy))
        board.append(LowpassFilter(cutoff_frequency_hz=5500.0))
    if "compress" in effects and part == "drums":
        board.append(Compressor(threshold_db=-18.0, ratio=3.0, attack_ms=8.0, release_ms=120.0))
    if "chorus" in effects and part in ("harmony", "pad"):
        board.append(Chorus(rate_hz=0.8, depth=0.25, centre_delay_ms=7.0, feedback=0.0, mix=0.4))
    if "wow" in effects and part in MELODIC:
        # A fully wet, slowly modulated short delay bends pitch gently, like a worn tape.
        board.append(Chorus(rate_hz=0.45, depth=0.06, centre_delay_ms=3.0, feedback=0.0, mix=1.0))
    if "lowpass" in effects:
        board.append(LowpassFilter(cutoff_frequency_hz=2200.0 + 4500.0 * brightness))
    elif "lowpass-soft" in effects and part != "bass":
        board.append(LowpassFilter(cutoff_frequency_hz=6000.0 + 9000.0 * brightness))
    if "delay" in effects and part in ("melody", "counter"):
        board.append(Delay(delay_seconds=0.75 * beat_seconds, feedback=0.3, mix=0.18))
    return board


def reverb_send(effects: list[str], part: str, space: float) -> float:
    """How much of a part goes to the shared reverb (linear gain); 0 for none."""
    if part == "bass" or part == "texture":
        return 0.0
    drums = part == "drums"
    if "long-reverb" in effects:
        return (0.25 if drums else 0.6) + 0.3 * space
    if "hall" in effects:
        return (0.15 if drums else 0.35) + 0.25 * space
    if "room" in effects:
        return (0.08 if drums else 0.18) + 0.2 * space
    return 0.0


def reverb_in_halves(reverb: Reverb, send: np.ndarray, sample_rate: int, pool, tail_seconds: float = 10.0) -> np.ndarray:
    """Run a reverb over `send` as two halves on two threads.

    The reverb is linear and time-invariant, so its output is the sum of its outputs for each half;
    the first half's tail is followed for `tail_seconds`, by which time it is 80 dB down or more.
    """
    frames = send.shape[1]
    mid = frames // 2
    tail = min(frames, mid + int(tail_seconds * sample_rate))
    twin = Reverb(room_size=reverb.room_size, damping=reverb.damping, wet_level=reverb.wet_level,
                  dry_level=reverb.dry_level, width=reverb.width)
    first_input = np.zeros((send.shape[0], tail), dtype=np.float32)
    first_input[:, :mid] = send[:, :mid]
    first = pool.submit(lambda: np.asarray(reverb(first_input, sample_rate, reset=True), dtype=np.float32))
    second = np.asarray(twin(np.ascontiguousarray(send[:, mid:]), sample_rate, reset=True), dtype=np.float32)
    out = np.zeros_like(send)
    out[:, mid:] = second
    out[:, :tail] += first.result()
    return out


def shared_reverb(effects: list[str], space: float) -> Reverb | None:
    """The genre's reverb, fully wet: its output is the 'reverb' stem (an effects return)."""
    if "long-reverb" in effects:
        return Reverb(room_size=0.9 + 0.08 * space, damping=0.3, wet_level=1.0, dry_level=0.0, width=1.0)
    if "hall" in effects:
        return Reverb(room_size=0.75 + 0.2 * space, damping=0.4, wet_level=1.0, dry_level=0.0, width=1.0)
    if "room" in effects:
        return Reverb(room_size=0.3 + 0.3 * space, damping=0.5, wet_level=1.0, dry_level=0.0, width=1.0)
    return None


def sidechain_envelope(kick_seconds: list[float], frames: int, sample_rate: int, depth_db: float = 8.0,
                       release_s: float = 0.22) -> np.ndarray:
    """Gain over time that ducks after each kick and recovers: the house 'pump'."""
    gain_db = np.zeros(frames, dtype=np.float32)
    attack = int(0.005 * sample_rate)
    length = int(release_s * sample_rate)
    curve = np.concatenate([np.linspace(0, -depth_db, attack), -depth_db * (1 - np.linspace(0, 1, length)) ** 2])
    for t in kick_seconds:
        start = int(t * sample_rate)
        end = min(frames, start + len(curve))
        if start < frames:
            gain_db[start:end] = np.minimum(gain_db[start:end], curve[: end - start])
    return (10.0 ** (gain_db / 20.0)).astype(np.float32)


def vinyl_texture(frames: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Record surface: soft, dark hiss plus sparse bright crackles, stereo float32.

    The hiss is 7.3 s of filtered noise laid end to end (a loop of noise that long is not heard as
    one); each crackle is one decaying click, high-passed once and placed at random.
    """
    loop = min(frames, int(7.3 * sample_rate))
    hiss = rng.standard_normal((2, loop), dtype=np.float32) * np.float32(0.05)
    hiss = np.asarray(LowpassFilter(cutoff_frequency_hz=2500.0)(hiss, sample_rate), dtype=np.float32)
    out = np.empty((2, frames), dtype=np.float32)
    for start in range(0, frames, loop):  # the loop laid end to end, without a tiled copy in memory
        out[:, start:start + loop] = 0.6 * hiss[:, :frames - start]
    click = np.zeros((1, 256), dtype=np.float32)
    click[0, :48] = np.exp(-np.arange(48) / 6.0)
    click = np.asarray(HighpassFilter(cutoff_frequency_hz=1500.0)(click, sample_rate), dtype=np.float32)[0] * 0.4
    count = int(frames / sample_rate * 6)
    positions = rng.integers(0, max(1, frames - click.size), count)
    amplitudes = (rng.uniform(0.3, 1.0, count) * rng.choice([-1, 1], count)).astype(np.float32)
    channels = rng.integers(0, 2, count)
    for pos, amp, ch in zip(positions, amplitudes, channels):
        out[ch, pos:pos + click.size] += amp * click
    return out
