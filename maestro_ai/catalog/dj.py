"""The AI DJ: a playlist's tracks rendered as one continuous mix.

- **One tempo**: the set plays at the median of the tracks' tempos; each track is time-stretched
  to it by Rubber Band (pedalboard's `time_stretch`, its steadier engine; a tempo half or double
  the set's counts as its own), so every bar of every track lies on one grid.
- **Beat-aligned crossfades on phrase boundaries**: the next track comes in on a bar line,
  PHRASE_BARS bars before the last bar of the one playing (Maestro's songs start on their first
  downbeat and say how many bars they have), placed on the outgoing track's beats as they lie
  there (read by librosa's onset strength), with equal-power fades over that phrase.
- **Harmonic mixing**: the playlist has weighed each move by the Camelot wheel; each
  transition's key distance is reported.
- **Loudness-matched**: every track is brought to the same integrated loudness (EBU R128); the
  fader is ridden through every transition (`ride`) so the set's short-term loudness glides from
  one track's level to the next's; a true-peak limiter (`production.mastering.limiter`) holds
  the peaks under CEILING_DB: nothing clips.
- **Spoken intros**: espeak-ng (from Debian; run as its own program) says what is coming at the
  start, at every SET_TRACKS tracks' turn and where a listener's request moved the set (saying
  what was asked), over the new track's first bars, the music ducked under the voice. Without
  espeak-ng there is no voice, and the result says so.
- The mix is watermarked and signed like every Maestro output: its tracks are its ingredients.

>>> set_tempo([120.0, 124.0, 62.0])
124.0
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from maestro_ai.catalog.playlist import camelot_distance
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.track import Track
from maestro_ai.io.atomic import atomic_path
from maestro_ai.io.audio import read_audio, resample, write_audio
from maestro_ai.production.loudness.meters import integrated_lufs
from maestro_ai.production.mastering.limiter import limit, moving_average
from maestro_ai.provenance.credentials import make_manifest, sign_file
from maestro_ai.provenance.seal import signing_identity
from maestro_ai.provenance.watermark import embed

RATE = 44100
PHRASE_BARS = 8
TARGET_LUFS = -14.0
CEILING_DB = -1.0
DUCK_DB = -8.0
SET_TRACKS = 4  # a voice every this many tracks
PHASE_SECONDS = 30.0  # the stretch of a track its beat phase is read from
RIDE_BEFORE, RIDE_AFTER = 4.0, 6.0  # seconds before a transition and after its fade that the fader is ridden through
RIDE_HOP = 0.1  # seconds between the loudness readings the ride follows
RIDE_LIMIT_DB = 9.0


def set_tempo(tempos: list[float]) -> float:
    """The tempo a set plays at: the median of the tracks' tempos, each folded by octaves
    (half or double time) next to the first track's."""
    return float(np.median([_folded(t, tempos[0]) for t in tempos]))


def _folded(tempo: float, target: float) -> float:
    """`tempo` halved or doubled (any number of times) to lie nearest `target`."""
    return tempo * 2.0 ** round(np.log2(target / tempo))


def _nearest_beat(phase: float, beat: float) -> float:
    """A phase (0 to `beat`) as an offset from the nearest beat: under half a beat either way."""
    return phase if phase < beat / 2 else phase - beat


def beat_phase(audio: np.ndarray, beat: float) -> float:
    """Where a track's beats fall, in seconds after each multiple of `beat` (0 to `beat`): the
    phase whose grid gathers the most onset strength (librosa) over the first PHASE_SECONDS."""
    import librosa

    mono = resample(audio[:, :int(PHASE_SECONDS * RATE)].mean(axis=0, keepdims=True), RATE, 22050)[0]
    hop = 64
    strength = librosa.onset.onset_strength(y=mono, sr=22050, hop_length=hop)
    frame = hop / 22050
    phases = np.arange(0, beat, frame)
    count = int((len(strength) * frame - beat) / beat)
    score = [strength[np.minimum(((p + beat * np.arange(count)) / frame).round().astype(int), len(strength) - 1)].sum()
             for p in phases]
    return float(phases[int(np.argmax(score))])


def _on_the_grid(audio: np.ndarray, beat: float) -> np.ndarray:
    """`audio` moved by under half a beat so that its beats fall on multiples of `beat` (a
    stretch can move them by tens of milliseconds; a recording may start a little off)."""
    samples = int(round(_nearest_beat(beat_phase(audio, beat), beat) * RATE))
    if samples > 0:
        return audio[:, samples:]
    return np.concatenate([np.zeros((audio.shape[0], -samples), np.float32), audio], axis=1) if samples < 0 else audio


def _drift(audio: np.ndarray, at: int, beat: float) -> int:
    """How far (samples, under half a beat either way) `audio`'s beats lie from its own start's
    grid over the PHASE_SECONDS before sample `at`, where the next track is mixed in."""
    start = max(0, at - int(PHASE_SECONDS * RATE))
    phase = (start / RATE + beat_phase(audio[:, start:at], beat)) % beat
    return int(round(_nearest_beat(phase, beat) * RATE))


def _loudness(audio: np.ndarray) -> np.ndarray:
    """The K-weighted loudness (LUFS) of 3-second windows centred every RIDE_HOP seconds of
    `audio` (the EBU R128 meter's short-term loudness, read centred)."""
    import pyebur128

    hop, window = int(RIDE_HOP * RATE), 3 * RATE
    padded = np.pad(audio, ((0, 0), (window // 2, window // 2)), mode="reflect")
    state = pyebur128.R128State(audio.shape[0], RATE, pyebur128.MeasurementMode.MODE_S)
    found = []
    for begin in range(0, audio.shape[1], hop):
        block = padded[:, begin + (window - hop if begin else 0):begin + window]
        state.add_frames(np.ascontiguousarray(block.T, dtype=np.float32).ravel(), block.shape[1])
        found.append(pyebur128.get_loudness_shortterm(state))
    return np.maximum(np.array(found), -70.0)


def ride(mix: np.ndarray, first: int, last: int, passes: int = 3) -> None:
    """Ride the fader over mix[:, first:last] (in place), as a DJ does through a transition: the
    loudness led in a straight line from where it is at `first` to where it is at `last`, with
    gains changing smoothly (a second's glide), so no step of the set's loudness comes from the
    mix. A track's own sections still rise and fall elsewhere."""
    first, last = max(0, first), min(mix.shape[1], last)
    if last - first < 8 * RATE:
        return
    hop = int(RIDE_HOP * RATE)
    for _ in range(passes):
        part = mix[:, first:last]
        level = _loudness(part)
        target = np.linspace(level[0], level[-1], len(level))
        wanted = np.clip(target - level, -RIDE_LIMIT_DB, RIDE_LIMIT_DB)
        wanted = moving_average(wanted, 2 * int(1.0 / RIDE_HOP) + 1)  # a second's glide either way
        wanted *= np.sin(np.pi * np.linspace(0, 1, len(wanted)))  # none at either end: the ride joins the set unseen
        gain = 10 ** (np.interp(np.arange(part.shape[1]), np.arange(len(wanted)) * hop, wanted) / 20)
        mix[:, first:last] = part * gain.astype(np.float32)


def _speech(text: str) -> np.ndarray | None:
    """`text` spoken by espeak-ng, as (2, samples) at RATE; None when espeak-ng is not installed."""
    program = shutil.which("espeak-ng")
    if program is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "voice.wav"
        subprocess.run([program, "-v", "en-us", "-s", "150", "-w", str(wav), text], check=True, capture_output=True, timeout=60)
        voice, rate = read_audio(wav)
    voice = resample(voice, rate, RATE) if rate != RATE else voice
    return np.repeat(voice[:1], 2, axis=0).astype(np.float32) * 0.7


def dj_mix(tracks: list[Track], out: Path | str, title: str = "Maestro DJ set", speak: bool = True, seal: bool = True,
           asked: dict[int, str] | None = None) -> dict:
    """Mix `tracks` (in order) into `out` (.wav); what was done at each transition. `asked`: the
    listeners' requests by the track they moved the set at (the DJ says so there)."""
    import pedalboard

    asked = asked or {}

    if len(tracks) < 2:
        raise InvalidRequest("a DJ mix needs at least two tracks with their audio (a playlist of this instance's tracks)")
    out = Path(out)
    tempo = set_tempo([t.tempo for t in tracks])
    beat = 60.0 / tempo
    parts, plan = [], []
    position = 0  # where the next track starts, in samples
    for track in tracks:
        audio, rate = read_audio(track.mix_path)
        audio = resample(audio, rate, RATE) if rate != RATE else audio
        own = _folded(track.tempo, tempo)
        factor = tempo / own
        # Rubber Band's faster engine: the finer one ("high quality") lets beats wander by tens of
        # milliseconds over a minute or two (measured by evaluation/dj.py); this one holds them
        stretched = pedalboard.time_stretch(np.ascontiguousarray(audio, dtype=np.float32), RATE, factor, high_quality=False) \
            if abs(factor - 1) > 1e-4 else audio
        stretched = _on_the_grid(stretched, beat)
        gain = 10 ** ((TARGET_LUFS - integrated_lufs(stretched, RATE)) / 20)
        bar = track.time_signature.beats_per_bar * beat * (own / track.tempo)  # a bar of this track at the set's tempo
        bars = int(track.bars)
        fade = min(PHRASE_BARS, max(1, bars // 3)) * bar
        if parts:  # on the outgoing track's beats where it is mixed out, wherever a stretch has carried them
            position += _drift(parts[-1][1], position - parts[-1][0], beat)
        parts.append((position, stretched * gain, fade))
        plan.append({"title": track.title, "starts_at": round(position / RATE, 3), "tempo": track.tempo, "stretch": round(factor, 4),
                     "key": str(track.key), "gain_db": round(20 * np.log10(gain), 2), "bars": bars})
        position += int(round((bars * bar - fade) * RATE))
    length = max(start + audio.shape[1] for start, audio, _ in parts)
    mix = np.zeros((2, length), dtype=np.float32)
    for n, (start, audio, _) in enumerate(parts):
        envelope = np.ones(audio.shape[1], dtype=np.float32)
        if n > 0:  # fade in over the phrase the previous track fades out in (a short track: all of it)
            fade = min(int(parts[n - 1][2] * RATE), audio.shape[1])
            envelope[:fade] = np.sin(0.5 * np.pi * np.arange(fade) / fade)
        if n + 1 < len(parts):  # fade out from the bar where the next comes in
            begin = parts[n + 1][0] - start
            fade = int(parts[n][2] * RATE)
            envelope[begin:begin + fade] *= np.cos(0.5 * np.pi * np.arange(min(fade, audio.shape[1] - begin)) / fade)
            envelope[begin + fade:] = 0.0
        mix[:, start:start + audio.shape[1]] += audio[:2] * envelope
    voices, spoken_for = [], {}  # spoken_for: the voice's samples at the start of track n
    if speak:
        turns = sorted(set(range(0, len(tracks), SET_TRACKS)) | {n for n in asked if 0 < n < len(tracks)})
        for n, following in zip(turns, [*turns[1:], len(tracks)]):
            upcoming = ", then ".join(f"{t.title}" for t in tracks[n:min(following, n + SET_TRACKS)])
            line = (f"You asked for {asked[n]}. " if n in asked else "") + \
                (f"This is Maestro. Coming up: {upcoming}." if n == 0 else f"Next: {upcoming}.")
            voice = _speech(line)
            if voice is None:
                break
            start = parts[n][0] + (int(parts[n - 1][2] * RATE) if n else 0)  # once the track plays alone
            end = min(length, start + voice.shape[1])
            ramp = int(0.3 * RATE)
            low = 10 ** (DUCK_DB / 20)
            shape = np.concatenate([np.linspace(1, low, ramp), np.full(max(0, end - start - 2 * ramp), low), np.linspace(low, 1, ramp)])
            ducked = min(length, start + len(shape))
            mix[:, start:ducked] *= shape[:ducked - start].astype(np.float32)
            mix[:, start:end] += voice[:, :end - start]
            voices.append({"at": round(start / RATE, 3), "seconds": round((end - start) / RATE, 2), "said": line})
            spoken_for[n] = end - start
    for n in range(1, len(parts)):  # the fader ridden through each transition (and the voice after it)
        end = parts[n][0] + int((parts[n - 1][2] + RIDE_AFTER) * RATE) + spoken_for.get(n, 0)
        ride(mix, parts[n][0] - int(RIDE_BEFORE * RATE), end)
    payload = int.from_bytes(hashlib.sha256(json.dumps(plan).encode()).digest()[:8], "big")  # the set's own mark
    if seal:  # marked before the limiter, as a song is marked before its master
        mix = embed(mix, RATE, payload)
    limited = limit(mix, RATE, CEILING_DB)  # a true-peak limiter: peaks held under the ceiling, nothing clipped
    transitions = [{"at": round(parts[n + 1][0] / RATE, 3), "from": plan[n]["title"], "to": plan[n + 1]["title"],
                    "fade_seconds": round(parts[n][2], 3), "camelot_steps": camelot_distance(plan[n]["key"], plan[n + 1]["key"])}
                   for n in range(len(parts) - 1)]
    with atomic_path(out) as tmp:
        write_audio(tmp, limited, RATE, bit_depth=24)
        if seal:
            credits = {"contains_ai": "all", "parts": {"mix": {"by": "AI", "ai": "Maestro DJ", "what": "a DJ mix of the tracks named"}},
                       "contributors": [{"name": "Maestro", "kind": "AI", "did": ["mix"]}]}
            sign_file(tmp, tmp, make_manifest(title, human_input=False, credits=credits, watermark=payload), signing_identity(),
                      [(t.mix_path, "componentOf") for t in tracks if t.mix_path.suffix.lower() in (".wav", ".mp3", ".flac")])
    return {"file": str(out), "tempo": round(tempo, 3), "seconds": round(length / RATE, 2), "tracks": plan,
            "transitions": transitions, "voice": voices if voices or not speak else "espeak-ng is not installed: no spoken intros",
            "watermark": f"0x{payload:016x}" if seal else None}
