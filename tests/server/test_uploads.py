"""Uploads over the API: streamed to disk, judged by content, refused past the size limit with
nothing left behind; then mastered (the master measured by ffmpeg's EBU R128 meter, its
credentials read back), transcribed (the MIDI file read by mido against the notes that were
played), analyzed, verified, and used as the melody a song starts from."""
import io
import shutil
from pathlib import Path

import mido
import pytest
import soundfile
from fastapi.testclient import TestClient

from maestro_ai.server.app import create_app
from maestro_ai.server.store import Store
from tests.production.mastering.test_file import ffmpeg_loudness

GUITAR = Path("/usr/share/csoundqt/Examples/SourceMaterials/ClassGuit.wav")  # a real recording (Debian csoundqt-examples)
needs_guitar = pytest.mark.skipif(not GUITAR.exists(), reason="Debian's csoundqt-examples (real recordings) is not installed")
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg (the independent meter) is not installed")


def _bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def api(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    store = Store(f"sqlite:///{tmp_path / 'server.db'}")
    with TestClient(create_app(store, tmp_path / "work", worker=False)) as client:
        yield client, store, tmp_path / "work"


def _send(client, secret, data, name="take.wav"):
    return client.post(f"/v1/uploads?name={name}", content=data, headers={**_bearer(secret),
                                                                          "Content-Type": "application/octet-stream"})


def test_uploads_are_judged_by_content_and_limited_in_size(api):
    client, store, work = api
    _, secret = store.create_key("studio", ["read", "create"])
    _, reader = store.create_key("listener", ["read"])
    midi = io.BytesIO()
    song = mido.MidiFile()
    song.tracks.append(mido.MidiTrack([mido.Message("note_on", note=60, velocity=90), mido.Message("note_off", note=60, time=480)]))
    song.save(file=midi)
    sent = _send(client, secret, midi.getvalue(), name="../../etc/tune.wav")  # named as audio, a path: a MIDI file all the same
    assert sent.status_code == 201 and sent.json()["kind"] == "midi" and sent.json()["format"] == "mid"
    assert sent.json()["name"] == "tune.wav" and sent.json()["files"] == ["source.mid"]
    fetched = client.get(f"/v1/uploads/{sent.json()['id']}/files/source.mid", headers=_bearer(secret))
    assert fetched.content == midi.getvalue()
    assert client.get(f"/v1/uploads/{sent.json()['id']}/files/../server.db", headers=_bearer(secret)).status_code == 404

    html = _send(client, secret, b"<html><body>not a song</body></html>", name="song.wav")
    assert html.status_code == 415 and "by its content" in html.json()["error"]
    assert _send(client, secret, b"", name="song.wav").status_code == 400
    assert _send(client, reader, midi.getvalue()).status_code == 403
    client.app.state.maestro.max_upload_bytes = 1000
    big = b"RIFF\x00\x00\x00\x00WAVE" + bytes(5000)
    assert _send(client, secret, big).status_code == 413  # told by its Content-Length
    streamed = client.post("/v1/uploads?name=big.wav", content=(big[i:i + 256] for i in range(0, len(big), 256)),
                           headers=_bearer(secret))  # chunked: no length announced, cut off while it streams
    assert streamed.status_code == 413
    assert sorted(p.name for p in work.iterdir()) == [f"upload-{sent.json()['id']}"]  # nothing half-received is left
    assert [u["id"] for u in client.get("/v1/uploads", headers=_bearer(secret)).json()] == [sent.json()["id"]]
    assert client.get("/v1/uploads", headers=_bearer(reader)).json() == []
    assert client.post(f"/v1/uploads/{sent.json()['id']}/master", json={}, headers=_bearer(secret)).status_code == 422


@needs_guitar
@needs_ffmpeg
def test_an_uploaded_recording_is_mastered_analyzed_and_verified(api):
    client, store, _ = api
    _, secret = store.create_key("studio", ["read", "create"])
    _, other = store.create_key("elsewhere", ["read", "create"])
    upload = _send(client, secret, GUITAR.read_bytes(), name="ClassGuit.wav").json()
    assert upload["kind"] == "audio" and upload["bytes"] == GUITAR.stat().st_size
    assert client.post(f"/v1/uploads/{upload['id']}/master", json={}, headers=_bearer(other)).status_code == 404
    bad = client.post(f"/v1/uploads/{upload['id']}/master", json={"target": "spotfy"}, headers=_bearer(secret))
    assert bad.status_code == 400 and "spotify" in bad.json()["error"]

    mastered = client.post(f"/v1/uploads/{upload['id']}/master", json={"target": "spotify", "format": "flac"},
                           headers=_bearer(secret))
    assert mastered.status_code == 200, mastered.json()
    report = mastered.json()
    assert report["file"] == "master-1.flac" and report["target"]["lufs"] == -14
    assert report["input"]["integrated_lufs"] != report["output"]["integrated_lufs"]  # the before/after of the page
    files = client.get(f"/v1/uploads/{upload['id']}", headers=_bearer(secret)).json()["files"]
    assert {"source.wav", "master-1.flac", "master-1.report.json", "master-1.report.png"} <= set(files)
    master = client.get(f"/v1/uploads/{upload['id']}/files/master-1.flac", headers=_bearer(secret))
    path = Path(client.app.state.maestro.work_dir) / "check.flac"
    path.write_bytes(master.content)
    lufs, peak = ffmpeg_loudness(path)
    assert abs(lufs + 14) < 1.0 and peak < -0.5
    again = client.post(f"/v1/uploads/{upload['id']}/master", json={"mode": "loudness", "lufs": -16}, headers=_bearer(secret))
    assert again.json()["file"] == "master-2.wav"

    heard = client.get(f"/v1/uploads/{upload['id']}/analysis", headers=_bearer(secret)).json()
    info = soundfile.info(str(GUITAR))
    assert abs(heard["duration_seconds"] - info.duration) < 0.1 and heard["path"] == "source.wav"
    source = client.get(f"/v1/uploads/{upload['id']}/provenance", headers=_bearer(secret)).json()
    assert not source["credentials"]["signed"] and not source["watermark"]["found"] and source["work"] is None


def test_a_played_melody_is_transcribed_and_starts_a_song(api, played):
    client, store, _ = api
    path, case = played
    key, secret = store.create_key("studio", ["read", "create"])
    _, other = store.create_key("elsewhere", ["read", "create"])
    upload = _send(client, secret, path.read_bytes(), name="hum.wav").json()
    result = client.post(f"/v1/uploads/{upload['id']}/transcribe", json={"tempo_bpm": 100, "melody": True},
                         headers=_bearer(secret)).json()
    assert result["file"] == "transcription-1.mid" and result["notes"] > 5
    midi = client.get(f"/v1/uploads/{upload['id']}/files/transcription-1.mid", headers=_bearer(secret))
    pitches = [m.note for m in mido.MidiFile(file=io.BytesIO(midi.content)).tracks[-1] if m.type == "note_on" and m.velocity > 0]
    expected = {p for _, _, p in case["notes"]}
    assert len(pitches) == result["notes"] and sum(p in expected for p in pitches) > 0.9 * len(pitches)

    song = {"genre": "pop", "mood": "happy", "duration_seconds": 10, "quality": "draft", "formats": ["wav"],
            "input": {"melody_upload": upload["id"], "tempo_bpm": 100}}
    assert client.post("/v1/tracks", json=song, headers=_bearer(other)).status_code == 404  # not that key's upload
    both = {**song, "input": {**song["input"], "melody_midi": "C4 E4"}}
    assert client.post("/v1/tracks", json=both, headers=_bearer(secret)).status_code == 400
    job = client.post("/v1/tracks", json=song, headers=_bearer(secret))
    assert job.status_code == 202 and job.json()["request"]["input"]["melody_upload"] == upload["id"]
    from maestro_ai.server.jobs import Runner  # the worker's own runner, run here (this app has no worker thread)
    store.claim_next()
    Runner(store, client.app.state.maestro.files, client.app.state.maestro.work_dir).run(job.json()["id"])
    done = client.get(f"/v1/jobs/{job.json()['id']}", headers=_bearer(secret)).json()
    assert done["status"] == "done", done
    track = client.get(f"/v1/tracks/{done['track_id']}", headers=_bearer(secret)).json()
    assert "seed.mid" in track["files"]  # the transcribed seed, kept in the track folder
    notes = mido.MidiFile(file=io.BytesIO(client.get(f"/v1/tracks/{track['id']}/files/song.mid", headers=_bearer(secret)).content))
    melody = [m.note for t in notes.tracks if any(getattr(m, "name", "") in ("melody", "vocals") for m in t if m.is_meta)
              for m in t if m.type == "note_on" and m.velocity > 0]
    assert melody and sum(p % 12 in {q % 12 for q in expected} for p in melody[:len(pitches)]) > 0.8 * min(len(melody), len(pitches))
