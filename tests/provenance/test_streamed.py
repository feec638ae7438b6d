"""A WAV signed as it is written (provenance/streamed.py), judged by c2pa.Reader: trusted by its
CA, its own and its ingredients' manifests read, a changed byte anywhere outside the manifest
read as tampered, laid out as c2pa-rs lays out a WAV it signs; and a failed write leaves nothing."""
import json

import c2pa
import numpy as np
import pytest
import soundfile

from maestro_ai.io.wav import wav_header
from maestro_ai.provenance.credentials import make_manifest, read_credentials, sign_file
from maestro_ai.provenance.identity import local_identity
from maestro_ai.provenance.streamed import write_signed_wav

RATE = 44100


@pytest.fixture
def me(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    return local_identity(name="Ada")


@pytest.fixture(scope="module")
def music(mixes):
    audio, _ = soundfile.read(mixes["rock"], dtype="float32", always_2d=True)
    return np.ascontiguousarray(audio.T[:, :RATE * 12])


def _in_blocks(audio, frames=RATE * 5):
    return lambda write: [write(audio[:, i:i + frames]) for i in range(0, audio.shape[1], frames)]


def _chunks(data: bytes) -> list[tuple[bytes, int, int]]:
    found, at = [], 12
    while at < len(data):
        size = int.from_bytes(data[at + 4:at + 8], "little")
        found.append((data[at:at + 4], at, size))
        at += 8 + size + (size & 1)
    return found


@pytest.mark.parametrize("bit_depth", [16, 24])
def test_a_streamed_wav_is_trusted_whole_and_tampered_by_any_changed_byte(bit_depth, music, me, tmp_path):
    path = tmp_path / "stem.wav"
    manifest = make_manifest("Rain (bass stem)", human_input=False, credits={"composition": "AI"}, watermark=0xABC)
    write_signed_wav(path, music.shape, RATE, bit_depth, _in_blocks(music), manifest, me)
    summary = read_credentials(path, me.trust_pem)
    assert summary["trusted"] and not summary["tampered"] and summary["title"] == "Rain (bass stem)"
    read, rate = soundfile.read(path, dtype="float32", always_2d=True)
    assert rate == RATE and read.shape == music.T.shape and np.abs(read - music.T).max() <= 2.0 ** (1 - bit_depth)  # within one step
    data = path.read_bytes()
    names = [name for name, _, _ in _chunks(data)]
    assert names == [b"fmt ", b"data", b"C2PA"] and int.from_bytes(data[4:8], "little") == len(data) - 8
    for at in (6, 40, 44 + len(data) // 3):  # the RIFF size, the data size, a sample
        changed = bytearray(data)
        changed[at] ^= 0x01
        (tmp_path / "changed.wav").write_bytes(bytes(changed))
        found = read_credentials(tmp_path / "changed.wav")  # a changed size hides the manifest: unsigned, not intact
        assert not found["signed"] or found["tampered"], at
    assert read_credentials(tmp_path / "changed.wav")["tampered"]  # the changed sample


def test_the_ingredients_keep_their_manifests_and_the_store_reads_like_c2pa_s_own(music, me, tmp_path):
    parent = tmp_path / "parent.wav"
    parent.write_bytes(wav_header(RATE, 2, RATE, 16) + np.zeros(2 * RATE, "<i2").tobytes())
    signed_parent = sign_file(parent, tmp_path / "signed-parent.wav", make_manifest("Mix", human_input=False, credits={}), me)
    manifest = make_manifest("Master", human_input=True, credits={}, action="c2pa.edited")
    path = write_signed_wav(tmp_path / "master.wav", music.shape, RATE, 24, _in_blocks(music), manifest, me,
                            ingredients=[(signed_parent, "parentOf")])
    summary = read_credentials(path, me.trust_pem)
    assert summary["ingredients"] == [{"title": "signed-parent.wav", "relationship": "parentOf", "signed": True}]
    assert summary["action"] == "c2pa.edited" and summary["trusted"]
    with c2pa.Reader(str(path)) as reader:
        store = json.loads(reader.detailed_json())
    binding = store["manifests"][store["active_manifest"]]["assertion_store"]["c2pa.hash.data"]
    (_, start, size), = [c for c in _chunks(path.read_bytes()) if c[0] == b"C2PA"]
    assert binding["exclusions"] == [{"start": start, "length": 8 + size}]


def test_a_failed_write_leaves_nothing_and_a_short_one_is_an_error(music, me, tmp_path):
    manifest = make_manifest("x", human_input=False, credits={})

    def failing(write):
        write(music[:, :RATE])
        raise RuntimeError("the renderer stopped")

    with pytest.raises(RuntimeError, match="renderer stopped"):
        write_signed_wav(tmp_path / "a.wav", music.shape, RATE, 16, failing, manifest, me)
    with pytest.raises(ValueError, match="frames announced"):
        write_signed_wav(tmp_path / "b.wav", music.shape, RATE, 16, lambda write: write(music[:, :RATE]), manifest, me)
    assert list(tmp_path.glob("*.wav")) == []
