"""Clearing inputs with the rights registry: a melody seed, a mastering reference or a remix parent
that is another artist's registered work is recognised (by its bytes, its Content Credentials, or
the watermark an MP3 excerpt of a stem still carries: ffmpeg makes the excerpt), refused without
the grant its use needs (exit 2, nothing written), and recorded with its grant when there is one;
the custody ledger holds what happened, and verifies."""
import json
import shutil
import subprocess

import mido
import pytest

import maestro_ai
from maestro_ai.cli.main import main
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.production.clearance import clear, register_work
from maestro_ai.production.mastering.file import master_file
from maestro_ai.production.mastering.settings import MasterSettings
from maestro_ai.provenance.identity import trust_anchors
from maestro_ai.provenance.ledger import default_ledger, verify
from maestro_ai.rights.registry import Registry

FFMPEG = shutil.which("ffmpeg")
STEM = "harmony"  # the chords: dense enough that a 30-second excerpt of this stem alone carries the mark


@pytest.fixture
def registry(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'rights.db'}"
    monkeypatch.setenv("MAESTRO_RIGHTS_DB", url)
    registry = Registry(url)
    for name in ("Ada", "Bob"):
        registry.add_artist(name)
    return registry


def _events(since: int) -> list[str]:
    lines = default_ledger().read_text().splitlines()[since:]
    return [json.loads(line)["event"] for line in lines]


def _ledger_length() -> int:
    return len(default_ledger().read_text().splitlines()) if default_ledger().exists() else 0


@pytest.mark.skipif(FFMPEG is None, reason="ffmpeg makes the laundered copy")
def test_a_laundered_stem_of_a_registered_song_needs_a_cover_grant(demo_track, registry, tmp_path, capsys):
    meta, audio_path = demo_track
    folder = audio_path.parent
    assert main(["rights", "work", "add", str(folder / "mix.wav"), "--owner", "Ada", "--as", "Ada"]) == 0
    said = capsys.readouterr().out
    assert f"watermark {meta['provenance']['watermark']}" in said and "manifest urn:" in said
    excerpt = tmp_path / "borrowed.mp3"  # half a minute of one stem, as an MP3: no credentials left
    subprocess.run([FFMPEG, "-v", "error", "-y", "-ss", "60", "-t", "30", "-i", str(folder / meta["stems"][STEM]),
                    "-b:a", "128k", str(excerpt)], check=True, timeout=120)
    assert main(["rights", "work", "match", str(excerpt)]) == 0
    assert "work 1: " in capsys.readouterr().out

    out = tmp_path / "songs"
    start = _ledger_length()
    gen = maestro_ai.MusicGenerator("folk", "peaceful", seed=2, output_dir=out, formats=["wav"], quality="draft",
                                    artist="Bob")
    with pytest.raises(InvalidRequest, match=r"work 1 .* of Ada, recognised by its watermark; no grant lets Bob use "
                                             r"work 1 .* for cover: there is none"):
        gen.generate({"melody_midi": str(excerpt), "tempo_bpm": 90}, duration_seconds=10)
    assert not out.exists()
    code = main(["generate", "--genre", "folk", "--mood", "peaceful", "--melody", str(excerpt), "--as", "Bob",
                 "--duration", "10", "--out", str(out)])
    assert code == 2 and not out.exists()
    assert "maestro rights grant 1 --to 'Bob' --scope cover" in capsys.readouterr().err

    assert main(["rights", "grant", "1", "--to", "Bob", "--scope", "cover", "--as", "Ada"]) == 0
    track = gen.generate({"melody_midi": str(excerpt), "tempo_bpm": 90}, duration_seconds=10)
    used = track.provenance["inputs"][0]
    assert used["role"] == "melody" and used["scope"] == "cover" and used["grant"] == 1
    assert used["work"] == {"id": 1, "title": "mix", "owner": "Ada", "recognised_by": "watermark"}
    assert used["watermark"] == meta["provenance"]["watermark"]
    assert main(["rights", "revoke", "1", "--as", "Ada"]) == 0
    with pytest.raises(InvalidRequest, match="revoked"):
        gen.generate({"melody_midi": str(excerpt), "tempo_bpm": 90}, duration_seconds=10)
    assert _events(start) == ["consent-granted", "created", "consent-revoked"]
    assert verify(default_ledger(), trust_anchors())["ok"]


def test_a_midi_seed_is_recognised_by_its_bytes_and_a_remix_needs_a_remix_grant(registry, tmp_path):
    melody = tmp_path / "ada.mid"
    track = mido.MidiTrack()
    for note in (62, 64, 66, 67, 69, 67, 66, 64):
        track += [mido.Message("note_on", note=note, velocity=80, time=0), mido.Message("note_off", note=note, time=480)]
    mido.MidiFile(tracks=[track]).save(melody)
    work = register_work(registry, melody, title="Ada's tune", owner="Ada", acting="Ada")
    out = tmp_path / "songs"
    ada = maestro_ai.MusicGenerator("folk", "peaceful", seed=2, output_dir=out, formats=["wav"], quality="draft",
                                    artist="Ada")
    own = ada.generate({"melody_midi": str(melody), "tempo_bpm": 90}, duration_seconds=10)  # her own: no grant
    assert own.provenance["inputs"][0]["work"]["recognised_by"] == "file"
    assert own.provenance["inputs"][0]["cleared"] == f"Ada owns work {work.id}"
    bob = maestro_ai.MusicGenerator("folk", "peaceful", seed=2, output_dir=out, formats=["wav"], quality="draft",
                                    artist="Bob")
    with pytest.raises(InvalidRequest, match="for cover"):
        bob.vary(own, "tempo", tempo_bpm=100)  # the variation's melody is still Ada's
    registry.grant(work.id, to="Bob", scope="cover", acting="Ada")
    remix = bob.vary(own, "tempo", tempo_bpm=100)  # Ada's song itself is not registered: no remix grant needed
    assert [i["role"] for i in remix.provenance["inputs"]] == ["melody", "parent"]
    # Ada registers her song's mix; Bob's next remix needs her remix grant, found by the file's bytes
    song_work = register_work(registry, own.mix_path, title="Ada's song", owner="Ada", acting="Ada")
    with pytest.raises(InvalidRequest, match=f"work {song_work.id} .* for remix"):
        bob.vary(own, "key", key="E major")
    registry.grant(song_work.id, to="Bob", scope="remix", acting="Ada")
    assert bob.vary(own, "key", key="E major").provenance["inputs"][1]["work"]["id"] == song_work.id


def test_a_reference_is_anothers_style_and_needs_a_style_grant(mixes, registry, tmp_path):
    work = register_work(registry, mixes["reference"], title="Ada's house", owner="Ada", acting="Ada")
    settings = MasterSettings(reference=mixes["reference"])
    with pytest.raises(InvalidRequest, match="for style"):
        master_file(mixes["jazz"], tmp_path / "a.wav", settings, report=False, artist="Bob")
    assert not (tmp_path / "a.wav").exists()
    assert clear(mixes["reference"], "reference", "Ada").permission.allowed  # the owner's own
    registry.grant(work.id, to="Bob", scope="style", acting="Ada")
    start = _ledger_length()
    result = master_file(mixes["jazz"], tmp_path / "a.wav", settings, report=False, artist="Bob")
    assert result.provenance["inputs"][0]["work"]["id"] == work.id
    assert _events(start) == ["mastered"]


def test_without_a_registry_inputs_are_only_fingerprinted(tmp_path, monkeypatch):
    monkeypatch.delenv("MAESTRO_RIGHTS_DB", raising=False)
    midi = tmp_path / "tune.mid"
    mido.MidiFile(tracks=[mido.MidiTrack()]).save(midi)
    cleared = clear(midi, "melody")
    assert cleared.match is None and cleared.to_dict()["cleared"] == "not a registered work"
    assert not list(tmp_path.glob("**/rights.db"))  # asking made no database


def test_a_missing_reference_or_melody_is_one_clear_error(tmp_path, mixes):
    with pytest.raises(InvalidRequest, match="cannot read the reference .*: no such file"):
        master_file(mixes["jazz"], tmp_path / "a.wav", MasterSettings(reference=tmp_path / "gone.wav"), report=False)
    assert main(["generate", "--melody", str(tmp_path / "gone.mid"), "--duration", "5", "--out", str(tmp_path / "o")]) == 2
    assert not (tmp_path / "a.wav").exists() and not (tmp_path / "o").exists()
