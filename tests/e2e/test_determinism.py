"""Same request + seed: byte-identical MIDI and identical audio. Another seed: another song."""
import maestro_ai
from tests.e2e.digests import content_digest as _digest

REQUEST = {"key_phrases": ["neon streets"], "melody_midi": "A4 C5:0.5 E5:0.5 D5 C5 B4:2", "tempo_bpm": 100}


def _make(tmp_path, name, seed):
    gen = maestro_ai.MusicGenerator(genre="synthwave", mood="nostalgic", seed=seed, output_dir=tmp_path / name,
                                    formats=("wav",))
    meta, path = gen.generate_track(REQUEST, duration_seconds=20)
    return meta, path.parent


def test_same_seed_same_song_different_seed_different_song(tmp_path):
    meta_a, a = _make(tmp_path, "a", 5)
    meta_b, b = _make(tmp_path, "b", 5)
    _, c = _make(tmp_path, "c", 6)
    assert _digest(a / "song.mid") == _digest(b / "song.mid")
    assert _digest(a / "mix.wav") == _digest(b / "mix.wav")
    assert all(_digest(a / rel) == _digest(b / rel) for rel in meta_a["stems"].values())
    assert _digest(a / "song.musicxml") == _digest(b / "song.musicxml")
    assert meta_a["title"] == meta_b["title"]
    assert _digest(a / "song.mid") != _digest(c / "song.mid")
    assert _digest(a / "mix.wav") != _digest(c / "mix.wav")


def test_a_club_song_with_its_riser_and_filter_repeats_byte_for_byte(tmp_path):
    folders = []
    for run in ("a", "b"):
        gen = maestro_ai.MusicGenerator("house", "euphoric", seed=3, output_dir=tmp_path / run, formats=("wav",),
                                        quality="draft")
        meta, path = gen.generate_track({}, duration_seconds=90)
        folders.append(path.parent)
    assert "riser" in meta["stems"] and any(s["plays"].get("filter") == "opening" for s in meta["sections"])
    a, b = folders
    assert all(_digest(a / rel) == _digest(b / rel) for rel in [*meta["stems"].values(), "mix.wav", "song.mid"])
