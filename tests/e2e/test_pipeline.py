"""The pipeline's rarer paths: a missed loudness prediction, no FluidSynth, every metre."""
import pytest

import maestro_ai


def test_a_missed_loudness_prediction_is_mastered_again(tmp_path, monkeypatch):
    import numpy as np
    import pyebur128
    from pedalboard.io import AudioFile

    from maestro_ai.production.mastering import song

    monkeypatch.setattr(song, "CHECK_TOLERANCE_LU", -1.0)  # every prediction counts as a miss
    gen = maestro_ai.MusicGenerator(genre="house", mood="euphoric", seed=2, output_dir=tmp_path, formats=("wav", "mp3"))
    meta, path = gen.generate_track({}, duration_seconds=12)
    with AudioFile(str(path)) as f:
        audio = f.read(f.frames)
    state = pyebur128.R128State(2, 44100, pyebur128.MeasurementMode.MODE_I)
    state.add_frames(np.ascontiguousarray(audio.T).ravel(), audio.shape[1])
    assert abs(pyebur128.get_loudness_global(state) - meta["loudness"]["integrated_lufs"]) < 0.05
    assert (path.parent / "mix.mp3").stat().st_size > 10_000


def test_without_fluidsynth_the_song_renders_with_tinysoundfont(tmp_path, monkeypatch):
    from maestro_ai.render import synth

    monkeypatch.setenv("MAESTRO_SYNTH", "tinysoundfont")
    synth.default_backend.cache_clear()
    try:
        gen = maestro_ai.MusicGenerator(genre="pop", mood="happy", seed=4, output_dir=tmp_path, formats=("wav",))
        meta, path = gen.generate_track({"tempo_bpm": 110}, duration_seconds=10)
    finally:
        synth.default_backend.cache_clear()
    assert meta["models"]["synth"].startswith("tinysoundfont") and meta["models"]["soundfont"] == "TimGM6mb.sf2"
    assert abs(meta["loudness"]["integrated_lufs"] + 14.0) <= 0.5 and path.stat().st_size > 1_000_000


METRES = [("3/4", "folk"), ("6/8", "cinematic"), ("5/4", "jazz"), ("7/8", "techno"), ("2/4", "pop"),
          ("12/8", "rnb"), ("9/8", "ambient")]


@pytest.mark.parametrize("metre,genre", METRES)
def test_every_metre_renders_and_reads_back(tmp_path, metre, genre):
    import mido
    import music21

    gen = maestro_ai.MusicGenerator(genre=genre, mood="chill", seed=3, time_signature=metre, output_dir=tmp_path,
                                    formats=("wav",))
    meta, path = gen.generate_track({"key_phrases": ["stormy sea"]}, duration_seconds=8)
    assert meta["time_signature"] == metre and abs(meta["duration_seconds"] - 8) <= 0.5
    sig = next(m for m in mido.MidiFile(str(path.parent / "song.mid")).tracks[0] if m.type == "time_signature")
    assert f"{sig.numerator}/{sig.denominator}" == metre
    score = music21.converter.parse(str(path.parent / "song.musicxml"))
    assert score.parts[0].recurse().getElementsByClass(music21.meter.TimeSignature).first().ratioString == metre
