"""The README's example song, judged with independent tools (pyebur128, mido, music21)."""
import json

import mido
import numpy as np
import pyebur128
from pedalboard.io import AudioFile

from tests.io.test_mp3 import decode, lags_and_snr

SR = 44100


def _read(path):
    with AudioFile(str(path)) as f:
        return f.read(f.frames), f.samplerate


def _ebur128(audio, sr):
    state = pyebur128.R128State(audio.shape[0], sr, pyebur128.MeasurementMode.MODE_I | pyebur128.MeasurementMode.MODE_TRUE_PEAK)
    state.add_frames(np.ascontiguousarray(audio.T).ravel(), audio.shape[1])
    tp = max(pyebur128.get_true_peak(state, c) for c in range(audio.shape[0]))
    return pyebur128.get_loudness_global(state), 20 * np.log10(tp)


def test_api_returns_metadata_and_the_mix(demo_track):
    meta, audio_path = demo_track
    assert audio_path.name == "mix.wav" and audio_path.exists()
    assert meta["tempo"] == 72 and meta["genre"] == "lofi-chill" and meta["mood"] == "ambient-focus"
    on_disk = json.loads((audio_path.parent / "track.json").read_text())
    for field in ("title", "genre", "mood", "tempo", "key", "time_signature", "duration_seconds", "seed", "sections",
                  "chords", "instrumentation", "controls", "stems", "midi_path", "suggestions", "models"):
        assert field in on_disk, field
    assert on_disk["key"] == "C major" and on_disk["time_signature"] == "4/4" and on_disk["seed"] == 7
    assert {"rainy city lights", "velvet night"} <= {d["phrase"] for d in on_disk["controls"]["drivers"]}
    assert on_disk["models"]["text_embedding"].startswith("sentence-transformers/all-MiniLM-L6-v2")
    assert len(on_disk["suggestions"]["variations"]) >= 6 and on_disk["suggestions"]["chord_progressions"]
    assert on_disk["suggestions"]["instrumentation"]
    names = [s["name"] for s in on_disk["sections"]]
    assert names[0] == "intro" and "chorus" in names and names[-1] == "outro"
    assert on_disk["form"]["played"] == " ".join(f"{s['name']}:{s['end_bar'] - s['start_bar']}" for s in on_disk["sections"])
    assert on_disk["form"]["why"] and on_disk["suggestions"]["forms"]
    assert on_disk["sections"][0]["plays"]["melody"] == "off"  # the intro leaves the lead out
    assert on_disk["chords"][0]["chords"][0]["symbol"] == "Cmaj7" and on_disk["chords"][0]["chords"][1]["symbol"] == "G6"
    assert on_disk["title"] and all(word.lower() in "rainy city lights quiet introspection velvet night"
                                    for word in on_disk["title"].split())


def test_mix_duration_loudness_and_true_peak(demo_track):
    _, audio_path = demo_track
    audio, sr = _read(audio_path)
    assert sr == SR and audio.shape[0] == 2
    assert abs(audio.shape[1] / sr - 180) <= 0.5
    lufs, tp = _ebur128(audio, sr)
    assert abs(lufs - (-14.0)) <= 0.5
    assert tp <= -1.0
    mp3, sr_mp3 = _read(audio_path.parent / "mix.mp3")
    assert sr_mp3 == SR and mp3.shape[0] == 2 and abs(mp3.shape[1] / sr_mp3 - 180) <= 0.5


def test_mp3_follows_the_master_through_its_splice(demo_track, tmp_path):
    _, audio_path = demo_track
    mix, _ = _read(audio_path)
    lags, snr = lags_and_snr(mix, decode((audio_path.parent / "mix.mp3").read_bytes(), tmp_path))
    assert len(lags) == 1  # one decoder delay from start to end: no frame lost or doubled at the splices
    assert snr.min() > 12 and np.median(snr) > 20


def test_stems_are_aligned_and_sum_to_the_premaster_mix(demo_track):
    meta, audio_path = demo_track
    mix, _ = _read(audio_path)
    stems = {name: _read(audio_path.parent / rel)[0] for name, rel in meta["stems"].items()}
    assert {"drums", "bass", "harmony", "melody"} <= set(stems)
    assert all(s.shape == mix.shape for s in stems.values())
    assert all(np.abs(s).max() < 0.999 for s in stems.values())  # no stem clips in its 16-bit file
    total = np.sum(list(stems.values()), axis=0)
    gain = 10 ** (meta["loudness"]["gain_db"] / 20)
    # Where the limiter is idle, the master is the stems' sum times the mastering gain.
    loud = (np.abs(total * gain).max(axis=0) > 0.5).astype(np.int64)
    near = np.convolve(np.cumsum(loud), np.ones(1), "same")  # running count of loud samples
    window = 2000  # 45 ms either side of anything the limiter might touch
    count = np.concatenate([near[window:], np.full(window, near[-1])]) - np.concatenate([np.zeros(window), near[:-window]])
    quiet = count == 0
    assert quiet.mean() > 0.3
    error = np.abs(mix[:, quiet] - total[:, quiet] * gain)
    assert np.percentile(error, 99) < 2e-3  # 16-bit stems, 24-bit mix: only rounding remains
    corr = np.corrcoef(mix[0, ::7], total[0, ::7])[0, 1]
    assert corr > 0.99


def test_midi_reads_back_with_mido(demo_track):
    meta, audio_path = demo_track
    midi = mido.MidiFile(str(audio_path.parent / meta["midi_path"]))
    names = [t.name for t in midi.tracks[1:]]
    assert set(meta["instrumentation"]) == set(names)
    metas = {m.type: m for m in midi.tracks[0] if m.is_meta}
    assert round(mido.tempo2bpm(metas["set_tempo"].tempo)) == 72
    assert metas["key_signature"].key == "C"
    assert (metas["time_signature"].numerator, metas["time_signature"].denominator) == (4, 4)
    for track in midi.tracks[1:]:
        programs = [m.program for m in track if m.type == "program_change"]
        notes = [m for m in track if m.type == "note_on"]
        assert notes, track.name
        if track.name != "drums":
            assert programs == [meta["instrumentation"][track.name]["program"]]
        else:
            assert all(m.channel == 9 for m in notes)
    assert abs(midi.length - 180) < 6


def test_musicxml_reads_back_with_music21(demo_track):
    import music21

    meta, audio_path = demo_track
    score = music21.converter.parse(str(audio_path.parent / meta["musicxml_path"]))
    assert len(score.parts) == len(meta["instrumentation"])
    key = score.parts[0].recurse().getElementsByClass(music21.key.KeySignature).first()
    assert key.sharps == 0
    ts = score.parts[0].recurse().getElementsByClass(music21.meter.TimeSignature).first()
    assert ts.ratioString == "4/4"
    melody = score.parts[0]
    assert len(melody.getElementsByClass("Measure")) == meta["bars"]
    assert len(melody.recurse().notes) > 20
