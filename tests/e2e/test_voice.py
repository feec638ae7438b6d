"""A song with a voice, read back with independent tools: mido (song.mid's vocal track and its
words), music21 (song.musicxml's), soundfile (the stems), json (track.json's credits); and the switches that turn it on and off."""
import json

import mido
import music21
import numpy as np
import pytest
import soundfile

import maestro_ai
from maestro_ai.cli.main import main
from maestro_ai.prompt.singers import load_singer
from maestro_ai.prompt.syllables import espeak

pytestmark = pytest.mark.skipif(espeak() is None, reason="espeak-ng is not installed")


def _generate(tmp_path, genre, seconds=40.0, **input_data):
    gen = maestro_ai.MusicGenerator(genre, "happy", seed=5, output_dir=tmp_path, formats=("wav",), quality="draft")
    return gen.generate(input_data, duration_seconds=seconds)


def _rms(path):
    audio, _ = soundfile.read(path)
    return float(np.sqrt(np.mean(audio ** 2)))


def _track(folder, name):
    midi = mido.MidiFile(folder / "song.mid")
    return next((t for t in midi.tracks if any(m.type == "track_name" and m.name == name for m in t)), None)


def test_a_pop_song_sings_its_words_in_a_vocal_stem_and_credits_the_synthetic_voice(tmp_path):
    track = _generate(tmp_path, "pop")
    assert {"vocals", "harmonies", "backing"} <= set(track.stems)
    assert _rms(track.folder / "stems/vocals.wav") > 0.01 and _rms(track.folder / "stems/backing.wav") > 0.001
    vocal = _track(track.folder, "vocals")
    words = [m.text for m in vocal if m.type == "lyrics"]
    assert len(words) >= 20 and not any(m.type == "lyrics" for m in _track(track.folder, "melody") or [])
    singer = load_singer(track.instrumentation["vocals"]["instrument"])
    pitches = [m.note for m in vocal if m.type == "note_on" and m.velocity]
    assert singer.low <= min(pitches) and max(pitches) <= singer.high
    voice = track.credits["voice"]
    assert voice["synthetic"] is True and voice["voice_type"] == singer.name and "espeak-ng" in voice["engine"]
    assert track.request["vocals"] is None and track.request["voice"] is None  # the genre and the seed chose
    # the chorus doubled left and right, and ad-libs with words of their own between its lines
    double, _ = soundfile.read(track.folder / "stems/double.wav")
    assert double.std() > 0.001 and not np.allclose(double[:, 0], double[:, 1], atol=1e-3)
    adlibs = [m.text for m in _track(track.folder, "adlibs") if m.type == "lyrics"]
    assert adlibs and set(adlibs) <= {"oh", "yeah", "ooh", "hey"}
    score = music21.converter.parse(track.folder / "song.musicxml")
    sung = {p.partName.split(" ")[0]: [n.lyric for n in p.recurse().notes if n.lyric] for p in score.parts}
    assert sung["Adlibs"] == adlibs and len(sung["Double"]) >= 10


def test_no_vocals_leaves_the_words_on_the_lead_and_no_voice(tmp_path):
    track = _generate(tmp_path, "pop", vocals=False)
    assert not {"vocals", "backing", "rap"} & set(track.stems) and "voice" not in track.credits
    assert track.lyrics["lines"] and any(m.type == "lyrics" for m in _track(track.folder, "melody"))
    assert track.request["vocals"] is False


def test_a_voice_is_asked_for_in_a_genre_without_one(tmp_path):
    track = _generate(tmp_path, "synthwave", seconds=30.0, vocals=True, voice="male-low")
    assert "vocals" in track.stems and track.instrumentation["vocals"]["instrument"] == "male-low"
    assert track.lyrics["guide"] is True and track.credits["voice"]["voice_type"] == "male-low"
    assert track.request["voice"] == "male-low"


def test_hip_hop_raps_its_verses_and_sings_its_hooks(tmp_path):
    track = _generate(tmp_path, "hip-hop", seconds=60.0)
    assert {"rap", "vocals"} <= set(track.stems) and _rms(track.folder / "stems/rap.wav") > 0.01
    rapped = [m for m in _track(track.folder, "rap") if m.type == "lyrics"]
    assert len(rapped) >= 10
    meta = json.loads((track.folder / "track.json").read_text())
    assert meta["instrumentation"]["rap"]["instrument"] == meta["instrumentation"]["vocals"]["instrument"]


def test_the_shell_switches_the_voice(tmp_path, capsys):
    assert main(["generate", "--genre", "folk", "--duration", "20", "--seed", "2", "--format", "wav", "--quality",
                 "draft", "--no-vocals", "--out", str(tmp_path / "off"), "--json"]) == 0
    off = json.loads(capsys.readouterr().out)
    assert "vocals" not in off["stems"] and off["request"]["vocals"] is False
    assert main(["generate", "--genre", "folk", "--duration", "20", "--seed", "2", "--format", "wav", "--quality",
                 "draft", "--voice", "female-low", "--out", str(tmp_path / "on"), "--json"]) == 0
    on = json.loads(capsys.readouterr().out)
    assert on["instrumentation"]["vocals"]["instrument"] == "female-low" and on["request"]["voice"] == "female-low"


def test_a_bad_vocals_switch_is_one_clear_error(tmp_path):
    gen = maestro_ai.MusicGenerator("pop", "happy", seed=1, output_dir=tmp_path)
    with pytest.raises(maestro_ai.MaestroError, match="vocals must be True, False or None"):
        gen.generate({"vocals": "yes"}, duration_seconds=10)
    with pytest.raises(maestro_ai.MaestroError, match="unknown voice"):
        gen.generate({"voice": "castrato"}, duration_seconds=10)
    with pytest.raises(maestro_ai.MaestroError, match="give lyrics or vocables, not both"):
        gen.generate({"vocables": True, "lyrics": "walking home"}, duration_seconds=10)
    with pytest.raises(maestro_ai.MaestroError, match="vocables must be True or False"):
        gen.generate({"vocables": "na"}, duration_seconds=10)
    assert not any(tmp_path.iterdir())


def test_vocables_sing_in_place_of_guide_lyrics(tmp_path, capsys):
    assert main(["generate", "--genre", "hip-hop", "--duration", "30", "--seed", "3", "--format", "wav", "--quality",
                 "draft", "--vocables", "--out", str(tmp_path), "--json"]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert meta["request"]["vocables"] is True and meta["lyrics"]["vocables"] is True and meta["lyrics"]["guide"] is False
    folder = next(p.parent for p in tmp_path.rglob("song.mid"))
    sung = [m.text for m in _track(folder, "vocals") if m.type == "lyrics"]
    assert len(sung) >= 8 and set(sung) <= {"ay", "oh", "yeah"}  # hip-hop's vocables, and no rap verse
    assert "rap" not in meta["stems"] and all(set(line["text"].split()) <= {"ay", "oh", "yeah"}
                                              for line in meta["lyrics"]["lines"])
    lrc = (folder / "lyrics.lrc").read_text()
    assert "ay oh" in lrc
    assert main(["generate", "--lyrics", str(folder / "lyrics.lrc"), "--vocables", "--out", str(tmp_path / "x")]) == 2
    assert "give --lyrics or --vocables, not both" in capsys.readouterr().err
