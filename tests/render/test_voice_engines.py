"""Voices sung by another engine: registered with consent (in code, or by an installed package's
entry point), sung in tune on the notes (librosa's pYIN), and credited in track.json."""
import json

import numpy as np
import pytest

import maestro_ai
from maestro_ai.cli.main import main
from maestro_ai.core import voices as registry
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.voices import RegisteredVoice, VoiceConsent
from maestro_ai.prompt.singers import load_singer
from maestro_ai.prompt.syllables import espeak
from maestro_ai.render.singer import sing_part
from maestro_ai.render.speech import engine_audio, speak
from tests.render.test_singer import PPQ, RATE, _judged_pitch, _phrase
from tests.render.toy_voice import ToyFormantEngine, toy_tenor


@pytest.fixture
def toy():
    engine = ToyFormantEngine()
    maestro_ai.register_voice(toy_tenor(engine))
    yield engine
    maestro_ai.unregister_voice("toy-tenor")


def test_a_registered_voice_speaks_its_syllables_with_its_own_engine(toy):
    singer = load_singer("toy-tenor")
    assert (singer.engine, singer.voice, singer.low, singer.high) == ("toy-formant", "low", 48, 67)
    spoken = speak([("l", "aI"), ("m", "i:")], singer)
    assert toy.said == [("l", "aI"), ("m", "i:")]
    lie = spoken[("l", "aI")]
    assert lie.vowel_end - lie.vowel_start >= 10  # 50 ms or more of vowel found in the engine's audio
    assert 95 < np.median(lie.f0[lie.vowel_start:lie.vowel_end]) < 125  # the toy's low voice, about 110 Hz


def test_a_registered_voice_sings_the_written_pitches(toy):
    part, perf = _phrase("toy-tenor", -12)
    audio = sing_part(part, perf, load_singer("toy-tenor"), int(RATE * perf.seconds(perf.length_ticks + PPQ)), RATE)
    share, frames = _judged_pitch(audio, part.notes, perf)
    assert frames > 200 and share >= 0.95


@pytest.mark.skipif(espeak() is None, reason="espeak-ng is not installed")
def test_a_song_sung_by_a_registered_voice_credits_its_engine_and_consent(toy, tmp_path, capsys):
    gen = maestro_ai.MusicGenerator("folk", "nostalgic", seed=2, output_dir=tmp_path, formats=("wav",), quality="draft")
    track = gen.generate({"voice": "toy-tenor"}, duration_seconds=25.0)
    voice = json.loads((track.folder / "track.json").read_text())["credits"]["voice"]
    assert voice["voice_type"] == "toy-tenor" and voice["synthetic"] is True
    assert voice["engine"].startswith("toy-formant 1.0") and "no one's recording" in voice["engine"]
    assert (voice["voice_of"], voice["registered_by"]) == ("synthetic", "Maestro's tests")
    assert toy.said and "vocals" in track.stems
    assert main(["voices"]) == 0
    assert "toy-tenor" in capsys.readouterr().out


def test_a_voice_is_registered_only_with_consent_a_range_and_a_free_name(toy):
    engine = ToyFormantEngine()
    someone_else = VoiceConsent("Grace Hopper", "Ada", "I like her recordings")
    with pytest.raises(InvalidRequest, match="registered only by Grace Hopper"):
        maestro_ai.register_voice(RegisteredVoice("grace", "Grace", 48, 67, engine, "low", someone_else))
    own = VoiceConsent("Ada Lovelace", "ada lovelace", "my own recordings, for my own songs")
    maestro_ai.register_voice(RegisteredVoice("ada", "Ada's voice", 55, 74, engine, "high", own))
    maestro_ai.unregister_voice("ada")
    with pytest.raises(InvalidRequest, match="consent needs statement"):
        maestro_ai.register_voice(RegisteredVoice("x", "x", 48, 67, engine, "low", VoiceConsent("synthetic", "Ada", " ")))
    for name in ("male-high", "toy-tenor"):
        with pytest.raises(InvalidRequest, match="already exists"):
            maestro_ai.register_voice(toy_tenor(engine, name=name))
    with pytest.raises(InvalidRequest, match="range must span an octave"):
        maestro_ai.register_voice(RegisteredVoice("tiny", "x", 60, 65, engine, "low", own))
    with pytest.raises(InvalidRequest, match="needs name, version, say"):
        maestro_ai.register_voice(RegisteredVoice("mute", "x", 48, 67, object(), "low", own))


def test_an_installed_package_registers_its_voices_by_entry_point(tmp_path, monkeypatch):
    info = tmp_path / "toy_voice-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-voice\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[maestro_ai.voices]\ntoy = tests.render.toy_voice:voices\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "_plugins_loaded", False)
    try:
        assert load_singer("toy-plugin").engine == "toy-formant"
        assert "toy-plugin" in maestro_ai.voices()
    finally:
        maestro_ai.unregister_voice("toy-plugin")


def test_an_engine_that_returns_no_mono_audio_is_named_in_the_error():
    with pytest.raises(RuntimeError, match="voice engine 'toy' must return mono audio"):
        engine_audio(np.zeros((2, 100)), 16000, "toy")
    assert engine_audio(np.zeros(100), 22050, "toy").shape == (100,)


def test_a_person_s_voice_sings_for_someone_else_only_while_their_grant_holds(tmp_path, monkeypatch):
    from maestro_ai.rights.registry import Registry

    monkeypatch.setenv("MAESTRO_RIGHTS_DB", f"sqlite:///{tmp_path / 'rights.db'}")
    registry = Registry()
    for name in ("Grace", "Ada"):
        registry.add_artist(name)
    takes = registry.add_work("Grace's vocal takes", owner="Grace", acting="Grace")
    borrowed = RegisteredVoice("grace", "Grace's voice", 55, 74, ToyFormantEngine(), "high",
                               VoiceConsent("Grace", "Ada", "Grace's grant for Ada's demos", work=takes.id))
    with pytest.raises(InvalidRequest, match="no grant lets Ada use work 1 .* for voice: there is none"):
        maestro_ai.register_voice(borrowed)
    grant = registry.grant(takes.id, to="Ada", scope="voice", acting="Grace")
    maestro_ai.register_voice(borrowed)
    try:
        gen = maestro_ai.MusicGenerator("folk", "nostalgic", seed=2, output_dir=tmp_path / "songs", quality="draft")
        assert gen.request({"voice": "grace"}, 20.0).voice == "grace"
        registry.revoke(grant.id, acting="Grace")
        with pytest.raises(InvalidRequest, match="revoked"):  # every song asks again
            gen.request({"voice": "grace"}, 20.0)
        other = registry.add_work("Ada's own takes", owner="Ada", acting="Ada")
        with pytest.raises(InvalidRequest, match="belongs to Ada, not to Grace"):
            maestro_ai.register_voice(RegisteredVoice("grace-2", "x", 55, 74, ToyFormantEngine(), "high",
                                                      VoiceConsent("Grace", "Ada", "...", work=other.id)))
    finally:
        maestro_ai.unregister_voice("grace")
