"""The AI DJ, judged by independent tools on a real set of three Maestro house tracks at 120, 124
and 128 BPM: librosa's beat tracker finds the beats after every transition on the grid of the
beats before it (within 20 ms), the EBU R128 meter (libebur128) finds no loudness jump over 1 LU
across a transition, nothing clips, and the mix carries its watermark and its tracks as
ingredients."""
import numpy as np
import pyebur128
import pytest
import soundfile

import maestro_ai
from maestro_ai.catalog.dj import dj_mix
from maestro_ai.provenance.credentials import read_credentials
from maestro_ai.provenance.marking import read_mark


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dj")
    patch = pytest.MonkeyPatch()
    patch.setenv("MAESTRO_HOME", str(folder / "home"))
    tracks = [maestro_ai.MusicGenerator("house", "energetic", seed=seed, output_dir=folder / "songs", formats=("wav",),
                                        quality="draft").generate({"tempo_bpm": tempo}, duration_seconds=40)
              for seed, tempo in ((1, 120), (2, 124), (3, 128))]
    made = dj_mix(tracks, folder / "set.wav")
    yield made, tracks, folder
    patch.undo()


def _beats(path):
    import librosa

    y, rate = librosa.load(path, sr=22050, mono=True)
    _, frames = librosa.beat.beat_track(y=y, sr=rate, hop_length=128, start_bpm=124, tightness=400)
    return librosa.frames_to_time(frames, sr=rate, hop_length=128)


def _phase(beats, period):
    """Where beats fall within the set's beat period (their circular mean), in seconds."""
    return float(np.angle(np.exp(2j * np.pi * (beats % period) / period).mean()) * period / (2 * np.pi))


def _apart(a, b, period):
    return abs((a - b + period / 2) % period - period / 2)


def test_beats_run_on_across_every_transition(mixed):
    made, tracks, folder = mixed
    beats, period = _beats(folder / "set.wav"), 60 / made["tempo"]
    assert made["tempo"] == 124.0 and len(made["transitions"]) == 2
    for t in made["transitions"]:  # the beats of the track playing alone before it, and of the next alone after
        before = beats[(beats > t["at"] - 10) & (beats < t["at"])]
        after = beats[(beats > t["at"] + t["fade_seconds"]) & (beats < t["at"] + t["fade_seconds"] + 8)]
        assert len(before) >= 10 and len(after) >= 8, t
        grid = _phase(before, period)
        off = np.array([_apart(b, grid, period) for b in after])
        assert _apart(_phase(after, period), grid, period) < 0.020 and np.median(off) < 0.020, (t, off)


def test_no_loudness_jump_at_a_transition_and_nothing_clips(mixed):
    made, tracks, folder = mixed
    audio, rate = soundfile.read(folder / "set.wav")
    assert np.abs(audio).max() <= 10 ** (-1 / 20) + 1e-4
    peak = pyebur128.R128State(2, rate, pyebur128.MeasurementMode.MODE_TRUE_PEAK)
    peak.add_frames(np.ascontiguousarray(audio, dtype=np.float32).ravel(), len(audio))
    assert 20 * np.log10(max(pyebur128.get_true_peak(peak, c) for c in (0, 1))) <= -0.9  # held under the ceiling, not clipped at it
    flat = np.abs(audio).max(axis=1) >= 10 ** (-1 / 20) - 1e-4
    assert not (flat[:-2] & flat[1:-1] & flat[2:]).any()  # no flat tops (three samples at the ceiling)
    meter = pyebur128.R128State(2, rate, pyebur128.MeasurementMode.MODE_S)
    loudness, hop = [], rate // 2
    for start in range(0, len(audio) - hop, hop):
        meter.add_frames(np.ascontiguousarray(audio[start:start + hop], dtype=np.float32).ravel(), hop)
        loudness.append(pyebur128.get_loudness_shortterm(meter))
    loudness = np.array(loudness)
    for t in made["transitions"]:
        a, b = int((t["at"] - 1) * 2), int((t["at"] + t["fade_seconds"] + 3) * 2)
        steps = np.abs(np.diff(loudness[a:b + 1]))
        assert steps.max() < 1.0, (t, loudness[a:b + 1])


def test_the_mix_is_marked_and_names_its_tracks(mixed):
    made, tracks, folder = mixed
    assert read_mark(folder / "set.wav").payload == int(made["watermark"], 16)
    credentials = read_credentials(folder / "set.wav")
    assert [i["relationship"] for i in credentials["ingredients"]] == ["componentOf"] * 3
    if made["voice"] and isinstance(made["voice"], list):
        assert made["voice"][0]["at"] == 0.0 and "Coming up" in made["voice"][0]["said"]
