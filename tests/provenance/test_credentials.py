"""Content Credentials judged by the C2PA reader itself (c2pa.Reader, not only our summary of it):
signed WAV, MP3 and FLAC, trusted only by the right CA, a changed audio byte read as tampered,
ingredients with their own manifests, and the watermark under the signature."""
import json
import shutil
import stat
import subprocess

import c2pa
import numpy as np
import pytest
import soundfile

from maestro_ai.cli.main import main
from maestro_ai.core.errors import InvalidRequest
from maestro_ai.provenance.credentials import make_manifest, read_credentials, sign_file
from maestro_ai.provenance.identity import local_identity, own_identity
from maestro_ai.provenance.watermark import embed

FFMPEG = shutil.which("ffmpeg")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(scope="module")
def song(mixes, tmp_path_factory):
    """20 s of the rock mix, watermarked, as WAV, and (where ffmpeg is) MP3 and FLAC."""
    folder = tmp_path_factory.mktemp("c2pa")
    audio, rate = soundfile.read(mixes["rock"], dtype="float32", always_2d=True)
    wav = folder / "song.wav"
    soundfile.write(wav, np.clip(embed(audio.T[:, :rate * 20], rate, 0xABCD).T, -1, 1), rate, subtype="PCM_16")
    files = {"wav": wav}
    if FFMPEG:
        for ext in ("mp3", "flac"):
            files[ext] = folder / f"song.{ext}"
            subprocess.run([FFMPEG, "-v", "error", "-y", "-i", str(wav), str(files[ext])], check=True, timeout=120)
    return files


def _reader(path, trust_pem=None):
    settings = {"verify": {"verify_trust": trust_pem is not None}}
    if trust_pem:
        settings["trust"] = {"trust_anchors": trust_pem.decode()}
    with c2pa.Reader(str(path), context=c2pa.Context(c2pa.Settings.from_dict(settings))) as reader:
        return json.loads(reader.json())


@pytest.mark.parametrize("ext", ["wav", "mp3", "flac"])
def test_a_signed_file_is_trusted_by_its_ca_and_says_it_was_made_by_ai(ext, song, home, tmp_path):
    if ext not in song:
        pytest.skip("ffmpeg is not installed")
    me = local_identity(name="Ada")
    out = tmp_path / f"signed.{ext}"
    sign_file(song[ext], out, make_manifest("Rain", human_input=False, credits={"composition": "AI (Maestro)"}), me)
    store = _reader(out, me.trust_pem)
    assert store["validation_state"] == "Trusted"
    active = store["manifests"][store["active_manifest"]]
    actions = next(a for a in active["assertions"] if a["label"].startswith("c2pa.actions"))["data"]["actions"]
    assert actions[0]["action"] == "c2pa.created"
    assert actions[0]["digitalSourceType"].endswith("/trainedAlgorithmicMedia")
    stranger = local_identity(tmp_path / "stranger", "Mallory")
    assert _reader(out, stranger.trust_pem)["validation_state"] != "Trusted"  # another CA does not vouch for it
    assert soundfile.info(out).duration == pytest.approx(soundfile.info(song[ext]).duration, abs=0.01)


def test_a_changed_audio_byte_reads_as_tampered_and_the_shell_says_so(song, home, tmp_path, capsys):
    me = local_identity(name="Ada")
    out = tmp_path / "signed.wav"
    sign_file(song["wav"], out, make_manifest("Rain", human_input=False, credits={}), me)
    assert main(["verify", str(out)]) == 0
    said = capsys.readouterr().out
    assert "signed by Ada" in said and ", trusted" in said and "unaltered" in said and "watermark 0x000000000000abcd" in said
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    out.write_bytes(bytes(data))
    assert "assertion.dataHash.mismatch" in [s["code"] for s in _reader(out)["validation_status"]]
    assert read_credentials(out)["tampered"] is True
    assert main(["verify", str(out)]) == 1
    assert "ALTERED since it was signed" in capsys.readouterr().out
    assert main(["verify", str(song["wav"])]) == 1  # unsigned
    assert main(["verify", str(tmp_path / "missing.wav")]) == 2


def test_a_person_s_material_makes_it_composite_with_the_ingredient_s_own_manifest(song, home, tmp_path):
    me = local_identity(name="Ada")
    melody = tmp_path / "hum.wav"
    sign_file(song["wav"], melody, make_manifest("my hum", human_input=False, credits={}), me)
    out = tmp_path / "song.wav"
    sign_file(song["wav"], out, make_manifest("Rain", human_input=True, credits={"melody": "Ada (human)"}), me,
              ingredients=[(melody, "inputTo")])
    summary = read_credentials(out, me.trust_pem)
    assert summary["source_type"] == "compositeWithTrainedAlgorithmicMedia" and summary["trusted"]
    assert summary["ingredients"] == [{"title": "hum.wav", "relationship": "inputTo", "signed": True}]
    assert summary["credits"] == {"melody": "Ada (human)"}


def test_the_local_identity_keeps_its_keys_private_and_a_user_can_bring_their_own(home, song, tmp_path):
    me = local_identity(name="Ada")
    for name in ("ca.key", "signer.key"):
        assert stat.S_IMODE((home / "identity" / name).stat().st_mode) == 0o600
    assert local_identity().chain_pem == me.chain_pem  # made once, then reused
    theirs = local_identity(tmp_path / "label", "Label Records")
    brought = own_identity(tmp_path / "label" / "signer.pem", tmp_path / "label" / "signer.key",
                           trust=[tmp_path / "label" / "ca.pem"])
    out = tmp_path / "signed.wav"
    sign_file(song["wav"], out, make_manifest("x", human_input=False, credits={}), brought)
    assert read_credentials(out, theirs.trust_pem)["signer"] == "Label Records"
    with pytest.raises(InvalidRequest, match="cannot use that certificate"):
        own_identity(tmp_path / "nothing.pem", tmp_path / "label" / "signer.key")
    with pytest.raises(InvalidRequest, match="go on .wav, .mp3 or .flac"):
        sign_file(song["wav"], tmp_path / "x.ogg", make_manifest("x", human_input=False, credits={}), me)
    assert not (tmp_path / "x.ogg").exists()
