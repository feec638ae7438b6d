"""The Seal stage and sealed masters, judged by the C2PA reader (c2pa.Reader through
read_credentials) and by detection on audio that ffmpeg decoded: every mix and stem of a song
carries the song's id as a watermark and Content Credentials that disclose its AI use; --no-seal
leaves none; `maestro master` marks and signs its output and keeps the mark a Maestro song has."""
import json
import shutil
import subprocess

import numpy as np
import pytest
import soundfile

import maestro_ai
from maestro_ai.cli.main import main
from maestro_ai.production.loudness.truepeak import oversampled_peak
from maestro_ai.production.mastering.file import master_file
from maestro_ai.provenance.credentials import AI_MADE, AI_WITH_HUMAN, read_credentials
from maestro_ai.provenance.identity import trust_anchors
from maestro_ai.provenance.watermark import detect

FFMPEG = shutil.which("ffmpeg")


def _decoded(path, tmp_path):
    """The file as ffmpeg decodes it (an independent decoder), (channels, samples) at 44.1 kHz."""
    if FFMPEG is None:
        audio, rate = soundfile.read(path, dtype="float32", always_2d=True)
        return audio.T, rate
    wav = tmp_path / f"{path.stem}-{path.suffix[1:]}-decoded.wav"
    subprocess.run([FFMPEG, "-v", "error", "-y", "-i", str(path), "-ar", "44100", str(wav)], check=True, timeout=120)
    audio, rate = soundfile.read(wav, dtype="float32", always_2d=True)
    return audio.T, rate


def test_a_songs_mixes_and_stems_carry_its_id_and_signed_credentials(demo_track, tmp_path):
    meta, audio_path = demo_track
    folder = audio_path.parent
    seal = meta["provenance"]
    assert seal["sealed"] and seal["watermark"].startswith("0x") and len(seal["watermark"]) == 18
    assert sorted(seal["signed"]) == sorted(["mix.wav", "mix.mp3", *(p.split("/")[-1] for p in meta["stems"].values())])
    trust = trust_anchors()
    for name in ("mix.wav", "mix.mp3"):
        found = detect(*_decoded(folder / name, tmp_path))
        assert found.payload is not None and f"0x{found.payload:016x}" == seal["watermark"], name
    # Each stem carries the mark (a sparse one alone may be too thin to read: the melody's rests),
    # so a remix of the stems, laundered through an MP3, still names the song.
    stems = [soundfile.read(folder / rel, dtype="float32", always_2d=True)[0] for rel in meta["stems"].values()]
    remix = tmp_path / "remix.wav"
    soundfile.write(remix, np.clip(np.sum(stems, axis=0) * 0.7, -1, 1), 44100)
    if FFMPEG:
        subprocess.run([FFMPEG, "-v", "error", "-y", "-i", str(remix), "-b:a", "128k", str(tmp_path / "remix.mp3")],
                       check=True, timeout=120)
        remix = tmp_path / "remix.mp3"
    assert f"0x{detect(*_decoded(remix, tmp_path)).payload or 0:016x}" == seal["watermark"]
    for name in ("mix.wav", "mix.mp3", *meta["stems"].values()):
        path = folder / name
        credentials = read_credentials(path, trust)
        assert credentials["signed"] and credentials["trusted"] and not credentials["tampered"], name
        # the README song grows from a melody the user typed: AI with a person's material
        assert credentials["source_type"] == AI_WITH_HUMAN
        assert credentials["credits"] == meta["credits"]["ai"]
    assert meta["credits"]["ai"]["parts"]["composition"]["by"] == "Human + AI"


def test_the_mark_goes_in_before_the_limiter(demo_track):
    _, audio_path = demo_track
    audio, rate = soundfile.read(audio_path, dtype="float32", always_2d=True)
    peak = float(oversampled_peak(audio.T, 1.0).max())
    assert 20 * np.log10(peak) <= -0.9  # the -1 dBTP ceiling holds with the mark in it


def test_hybrid_credits_name_each_part_and_who_made_it(tmp_path):
    lyrics = "walking down the road tonight\nall the windows full of light\n"
    gen = maestro_ai.MusicGenerator("pop", "happy", seed=4, output_dir=tmp_path, formats=("flac",), quality="draft")
    track = gen.generate({"melody_midi": "C4 E4 G4:2", "lyrics": lyrics}, duration_seconds=20)
    ai = track.credits["ai"]
    assert ai["contains_ai"] == "partly"
    assert ai["parts"]["composition"]["by"] == "Human + AI" and ai["parts"]["lyrics"]["by"] == "Human"
    assert ai["parts"]["vocals"]["by"] == "AI" and ai["parts"]["post-production"]["by"] == "AI"
    human, machine = ai["contributors"][:2]
    assert human["kind"] == "human" and "lyrics" in human["did"] and "composition" in human["did"]
    assert machine["kind"] == "AI" and machine["version"] == maestro_ai.__version__ and "lyrics" not in machine["did"]
    credentials = read_credentials(track.folder / "mix.flac", trust_anchors())
    assert credentials["credits"] == ai and credentials["source_type"] == AI_WITH_HUMAN


def test_a_song_from_a_prompt_alone_is_all_ai(tmp_path, capsys):
    assert main(["generate", "--genre", "house", "--mood", "euphoric", "--duration", "20", "--seed", "3", "--quality",
                 "draft", "--format", "wav", "--out", str(tmp_path), "--json"]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert meta["credits"]["ai"]["contains_ai"] == "all"
    mix = tmp_path / meta["path"].split("/")[-1] / "mix.wav"
    assert read_credentials(mix)["source_type"] == AI_MADE
    assert main(["verify", str(mix)]) == 0
    text = capsys.readouterr().out
    assert "contains AI: all" in text and "composition: AI" in text and "unaltered since it was signed" in text


def test_no_seal_writes_neither_mark_nor_credentials(tmp_path, capsys):
    assert main(["generate", "--genre", "house", "--mood", "euphoric", "--duration", "20", "--seed", "3", "--quality",
                 "draft", "--format", "wav", "--out", str(tmp_path), "--json", "--no-seal"]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert meta["provenance"] == {"sealed": False}
    folder = tmp_path / meta["path"].split("/")[-1]
    for path in (folder / "mix.wav", folder / meta["stems"]["drums"]):
        assert not read_credentials(path)["signed"]
        audio, rate = soundfile.read(path, dtype="float32", always_2d=True)
        assert detect(audio.T, rate).payload is None
    assert main(["verify", str(folder / "mix.wav")]) == 1
    assert "no Content Credentials" in capsys.readouterr().out


@pytest.fixture(scope="module")
def unsealed_mix(tmp_path_factory):
    """A mix with neither mark nor credentials, as a producer's own bounce would be."""
    out = tmp_path_factory.mktemp("unsealed")
    gen = maestro_ai.MusicGenerator("rock", "aggressive", seed=4, output_dir=out, formats=("wav",), seal=False)
    return gen.generate({}, duration_seconds=30).folder / "mix.wav"


def test_a_master_of_a_persons_mix_is_marked_and_signed_as_edited_from_it(unsealed_mix, tmp_path):
    source = tmp_path / "band.wav"
    shutil.copy(unsealed_mix, source)
    out = tmp_path / "master.mp3"
    report = master_file(source, out, report=False)
    assert report.provenance["sealed"] and not report.provenance["watermark_kept"]
    found = detect(*_decoded(out, tmp_path))
    assert f"0x{found.payload:016x}" == report.provenance["watermark"]
    credentials = read_credentials(out, trust_anchors())
    assert credentials["trusted"] and not credentials["tampered"] and credentials["action"] == "c2pa.edited"
    assert credentials["source_type"] == AI_WITH_HUMAN  # a person's mix, mastered by AI
    assert credentials["ingredients"] == [{"title": "band.wav", "relationship": "parentOf", "signed": False}]
    assert credentials["credits"]["parts"]["post-production"]["by"] == "AI"
    assert credentials["credits"]["parts"]["mix"]["by"] == "Human"
    assert report.output["true_peak_dbtp"] <= -1.0


def test_a_master_of_a_maestro_song_keeps_its_mark_and_names_it_as_parent(demo_track, tmp_path):
    meta, audio_path = demo_track
    out = tmp_path / "loud.wav"
    report = master_file(audio_path, out, report=False)
    assert report.provenance["watermark_kept"] and report.provenance["watermark"] == meta["provenance"]["watermark"]
    found = detect(*_decoded(out, tmp_path))
    assert f"0x{found.payload:016x}" == meta["provenance"]["watermark"]
    credentials = read_credentials(out, trust_anchors())
    assert credentials["source_type"] == AI_WITH_HUMAN  # as its parent: the README song grows from the user's melody
    assert credentials["ingredients"] == [{"title": "mix.wav", "relationship": "parentOf", "signed": True}]
    assert credentials["credits"]["parts"]["composition"] == meta["credits"]["ai"]["parts"]["composition"]


def test_master_no_seal(unsealed_mix, tmp_path, capsys):
    out = tmp_path / "plain.wav"
    assert main(["master", str(unsealed_mix), "-o", str(out), "--no-report", "--no-seal"]) == 0
    assert "not sealed" in capsys.readouterr().out
    assert not read_credentials(out)["signed"]


def test_seal_must_be_a_bool(tmp_path):
    with pytest.raises(maestro_ai.MaestroError, match="seal must be True or False"):
        maestro_ai.MusicGenerator("house", "euphoric", output_dir=tmp_path, seal="maybe")


def test_a_song_is_logged_in_the_ledger_and_a_ledger_that_cannot_be_written_leaves_no_song(tmp_path, monkeypatch):
    from maestro_ai.core.errors import OutputError
    from maestro_ai.provenance.ledger import default_ledger, verify

    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    gen = maestro_ai.MusicGenerator("house", "euphoric", seed=3, output_dir=tmp_path / "out", formats=["wav"],
                                    quality="draft")
    track = gen.generate({}, duration_seconds=8)
    entry = json.loads(default_ledger().read_text().splitlines()[-1])
    assert (entry["event"], entry["subject"]) == ("created", track.provenance["watermark"])
    assert entry["details"]["folder"] == str(track.folder) and verify(default_ledger(), trust_anchors())["ok"]
    default_ledger().unlink()
    default_ledger().mkdir()  # a ledger that cannot be opened
    with pytest.raises(OutputError, match="cannot write the custody ledger"):
        gen.vary(track, "tempo", tempo_bpm=126)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [track.folder.name]  # no variation left behind
