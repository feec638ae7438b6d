"""A club song's producer moves, judged on the written files: mido re-reads the filter automation
in song.mid, a BS.1770 meter (pyebur128) and a Welch spectrum judge the audio."""
import json

import mido
import numpy as np
import pytest
import soundfile
from scipy.signal import welch

import maestro_ai
from evaluation.arrangement import span_lufs

BRIGHTNESS = 74


@pytest.fixture(scope="module")
def club_song(tmp_path_factory):
    gen = maestro_ai.MusicGenerator("house", "euphoric", seed=1, output_dir=tmp_path_factory.mktemp("club"),
                                    formats=("wav",))
    track = gen.generate({}, duration_seconds=120.0)
    return track.folder, json.loads((track.folder / "track.json").read_text())


def _brightness(path):
    """Per track: [(beat, value)] of its brightness controller."""
    midi = mido.MidiFile(path)
    out = {}
    for track in midi.tracks[1:]:
        name = next(m.name for m in track if m.type == "track_name")
        now, moves = 0, []
        for m in track:
            now += m.time
            if m.type == "control_change" and m.control == BRIGHTNESS:
                moves.append((now / midi.ticks_per_beat, m.value))
        out[name] = moves
    return out


def _span(meta, name):
    s = next(s for s in meta["sections"] if s["name"] == name)
    return s["start_seconds"], s["end_seconds"], s["start_bar"] * 4, s["end_bar"] * 4


def test_the_synths_are_filtered_in_the_breakdown_and_opened_by_the_build(club_song):
    folder, meta = club_song
    moves = _brightness(folder / "song.mid")
    assert not moves["drums"] and not moves["bass"]
    *_, down_start, down_end = _span(meta, "breakdown")
    build_start, build_end = _last_build(meta)
    synths = [name for name in ("harmony", "pad", "melody") if moves.get(name)]
    assert synths
    for name in synths:
        def held(beat, curve=moves[name]):
            return [v for b, v in curve if b <= beat][-1]
        assert held(down_start + 1) < 50 and held(down_end - 1) < 50, name
        rising = [held(build_start + i / 4) for i in range((build_end - build_start) * 4)]
        assert rising == sorted(rising) and rising[-1] > 110, name
        assert held(build_end) == 127, name


def _last_build(meta):
    s = [s for s in meta["sections"] if s["name"] == "build"][-1]
    return s["start_bar"] * 4, s["end_bar"] * 4


def test_the_breakdown_sits_well_under_the_drop_and_loses_its_highs(club_song):
    folder, meta = club_song
    mix, rate = soundfile.read(folder / "mix.wav")
    down, drop = _span(meta, "breakdown")[:2], _span(meta, "drop")[:2]
    assert span_lufs(mix, rate, *drop) - span_lufs(mix, rate, *down) >= 6.0
    pad, _ = soundfile.read(folder / "stems" / "pad.wav")

    def high_share(start_s, end_s):
        f, p = welch(pad[int(start_s * rate):int(end_s * rate), 0], rate, nperseg=4096)
        return p[f >= 2000].sum() / p.sum()
    assert high_share(*down) < 0.1 * high_share(*drop)


def test_a_riser_stem_swells_through_each_build_and_nowhere_else(club_song):
    folder, meta = club_song
    assert meta["stems"]["riser"] == "stems/riser.wav"
    riser, rate = soundfile.read(folder / "stems" / "riser.wav")
    builds = [(s["start_seconds"], s["end_seconds"]) for s in meta["sections"] if s["name"] == "build"]
    inside = np.zeros(len(riser), dtype=bool)
    frame = 2048  # the watermark's STFT frame (46 ms) spreads a build's last swell that far
    for start, end in builds:
        inside[max(0, int(start * rate) - frame):int(end * rate) + 1 + frame] = True
        first, last = riser[int(start * rate):int((start + 1) * rate)], riser[int((end - 1) * rate):int(end * rate)]
        assert 20 * np.log10(np.std(last) / np.std(first)) > 15
    assert np.abs(riser[~inside]).max() < 1e-3
