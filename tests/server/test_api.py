"""The HTTP API, driven as a client drives it: a song generated through POST /v1/tracks by the
server's own job worker, its files fetched and read back by independent readers (soundfile,
mido), keys and scopes enforced, paths outside a track refused, a job left running by a stopped
server done again, and `maestro serve` answering over a real socket."""
import io
import os
import socket
import subprocess
import sys
import time

import httpx
import mido
import pytest
import soundfile
from fastapi.testclient import TestClient

from maestro_ai.cli.main import main
from maestro_ai.server.app import create_app
from maestro_ai.server.store import RUNNING, Store

SONG = {"genre": "house", "mood": "euphoric", "duration_seconds": 10, "seed": 3, "quality": "draft", "formats": ["wav"],
        "input": {"key_phrases": ["sunrise on the dance floor"], "tempo_bpm": 124}}


def _bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def _wait(client, job_id, headers, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {job['status']} after {seconds} s")


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    store = Store(f"sqlite:///{tmp_path / 'server.db'}")
    with TestClient(create_app(store, tmp_path / "tracks")) as client:
        yield client, store


def test_a_song_made_through_the_api_and_its_files_fetched(server):
    client, store = server
    _, maker = store.create_key("studio", ["read", "create"])
    accepted = client.post("/v1/tracks", json=SONG, headers=_bearer(maker))
    assert accepted.status_code == 202 and accepted.json()["status"] == "queued"
    job = _wait(client, accepted.json()["id"], _bearer(maker))
    assert job["status"] == "done" and job["progress"] == 1.0 and job["attempts"] == 1, job
    listed = client.get("/v1/tracks", headers=_bearer(maker)).json()
    assert [t["id"] for t in listed] == [job["track_id"]]
    track = client.get(f"/v1/tracks/{job['track_id']}", headers=_bearer(maker)).json()
    assert track["genre"] == "house" and track["tempo"] == 124.0
    assert {"mix.wav", "song.mid", "track.json"} <= set(track["files"]) and any(f.startswith("stems/") for f in track["files"])
    mix = client.get(f"/v1/tracks/{track['id']}/files/mix.wav", headers=_bearer(maker))
    audio, rate = soundfile.read(io.BytesIO(mix.content))
    assert mix.status_code == 200 and rate == 44100 and abs(len(audio) / rate - 10) < 0.5
    midi = client.get(f"/v1/tracks/{track['id']}/files/song.mid", headers=_bearer(maker))
    assert mido.MidiFile(file=io.BytesIO(midi.content)).length > 5
    stem = next(f for f in track["files"] if f.startswith("stems/"))
    assert client.get(f"/v1/tracks/{track['id']}/files/{stem}", headers=_bearer(maker)).status_code == 200
    for outside in ("../server.db", "..%2Fserver.db", "/etc/passwd", "stems/../../server.db", "nothing.wav"):
        answer = client.get(f"/v1/tracks/{track['id']}/files/{outside}", headers=_bearer(maker))
        assert answer.status_code == 404 and "error" in answer.json(), outside

    # its provenance, as maestro verify reads it: signed by the server's identity, trusted, its id heard
    proof = client.get(f"/v1/tracks/{track['id']}/provenance/mix.wav", headers=_bearer(maker)).json()
    assert proof["credentials"]["signed"] and proof["credentials"]["trusted"] and not proof["credentials"]["tampered"]
    assert proof["watermark"]["payload"] == track["provenance"]["watermark"]
    assert client.get(f"/v1/tracks/{track['id']}/provenance/song.mid", headers=_bearer(maker)).status_code == 404
    heard = client.get(f"/v1/tracks/{track['id']}/analysis/mix.wav", headers=_bearer(maker)).json()
    assert abs(heard["tempo_bpm"] - 124) < 3 and heard["path"] == "mix.wav" and heard["duration_seconds"] > 9

    # a variation of it, made by the worker from the track's own folder
    bad = client.post(f"/v1/tracks/{track['id']}/variations", json={"kind": "louder"}, headers=_bearer(maker))
    assert bad.status_code == 400 and "louder" in bad.json()["error"]
    varied = client.post(f"/v1/tracks/{track['id']}/variations", json={"kind": "tempo", "options": {"tempo_bpm": 132}},
                         headers=_bearer(maker))
    assert varied.status_code == 202 and varied.json()["variation_of"] == track["id"]
    done = _wait(client, varied.json()["id"], _bearer(maker))
    assert done["status"] == "done", done
    second = client.get(f"/v1/tracks/{done['track_id']}", headers=_bearer(maker)).json()
    assert second["tempo"] == 132.0 and second["variation"]["kind"] == "tempo" and second["genre"] == "house"

    # another key sees none of it; an admin key sees everything; a read key cannot create
    _, reader = store.create_key("listener", ["read"])
    assert client.get("/v1/tracks", headers=_bearer(reader)).json() == []
    assert client.get(f"/v1/tracks/{track['id']}", headers=_bearer(reader)).status_code == 404
    assert client.get(f"/v1/jobs/{job['id']}", headers=_bearer(reader)).status_code == 404
    _, stranger = store.create_key("stranger", ["read", "create"])
    assert client.post(f"/v1/tracks/{track['id']}/variations", json={"kind": "reharmonize"},
                       headers=_bearer(stranger)).status_code == 404
    _, admin = store.create_key("ops", ["admin"])
    assert [t["id"] for t in client.get("/v1/tracks", headers=_bearer(admin)).json()] == [track["id"], second["id"]]
    assert client.get("/v1/rights", headers=_bearer(reader)).json() == {"artists": [], "works": [], "grants": []}
    assert client.get("/v1/ledger", headers=_bearer(maker)).status_code == 403
    ledger = client.get("/v1/ledger", headers=_bearer(admin)).json()
    assert ledger["ok"] and ledger["entries"] == 2  # the song's "created" and the variation's "remixed"
    refused = client.post("/v1/tracks", json=SONG, headers=_bearer(reader))
    assert refused.status_code == 403 and "may not create" in refused.json()["error"]


def test_requests_and_keys_are_checked_before_anything_is_queued(server):
    client, store = server
    _, maker = store.create_key("studio", ["create", "read"])
    assert client.get("/v1/tracks").status_code == 401
    assert client.get("/v1/tracks", headers=_bearer("mk_not-a-key")).status_code == 401
    bad = client.post("/v1/tracks", json={**SONG, "genre": "lofi"}, headers=_bearer(maker))
    assert bad.status_code == 400 and bad.json()["error"].startswith("unknown genre 'lofi'; did you mean 'lofi-chill'?")
    assert "unknown field(s) colour" in client.post("/v1/tracks", json={**SONG, "colour": "red"}, headers=_bearer(maker)).json()["error"]
    path = client.post("/v1/tracks", json={**SONG, "input": {"melody_midi": "/etc/hosts.mid"}}, headers=_bearer(maker))
    assert path.status_code == 400 and "melody_midi over the API is text" in path.json()["error"]
    assert client.post("/v1/tracks", content=b"[1, 2", headers={**_bearer(maker), "Content-Type": "application/json"}).status_code == 422
    with store.session() as session:
        from maestro_ai.server.store import Job
        assert session.query(Job).count() == 0
    assert "/v1/tracks" in client.get("/openapi.json").json()["paths"]


def test_a_job_a_stopped_server_left_running_is_done_again(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    url = f"sqlite:///{tmp_path / 'server.db'}"
    store = Store(url)
    key, secret = store.create_key("studio", ["create", "read"])
    job = store.enqueue(key.id, SONG)
    assert store.claim_next().status == RUNNING  # the server stopped here, mid-job
    with TestClient(create_app(Store(url), tmp_path / "tracks")) as client:  # a new server on the same database
        done = _wait(client, job.id, _bearer(secret))
    assert done["status"] == "done" and done["attempts"] == 2


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_maestro_serve_answers_over_a_socket_and_keys_come_from_the_shell(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'server.db'}"
    assert main(["keys", "create", "--name", "ci", "--scope", "read", "--db", db]) == 0
    secret = capsys.readouterr().out.split(": ", 1)[1].splitlines()[0]
    assert main(["keys", "create", "--name", "ci", "--scope", "write", "--db", db]) == 2
    assert "unknown scope(s) write" in capsys.readouterr().err
    port = _free_port()
    env = {**os.environ, "MAESTRO_HOME": str(tmp_path / "home")}
    server = subprocess.Popen([sys.executable, "-m", "maestro_ai.cli.main", "serve", "--port", str(port), "--db", db,
                               "--out", str(tmp_path / "tracks")], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/v1/tracks", headers=_bearer(secret), timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, server.stdout.read().decode()
                time.sleep(0.2)
        assert answer.status_code == 200 and answer.json() == []
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2).json()["info"]["title"] == "Maestro"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_store_runs_on_a_real_postgresql_server(postgres_url):
    pytest.importorskip("psycopg")
    store = Store(postgres_url)
    key, secret = store.create_key("studio", ["read", "create"])
    first, second = store.enqueue(key.id, SONG), store.enqueue(key.id, {**SONG, "seed": 4})
    other = Store(postgres_url)  # a second connection, as a second worker would hold
    assert store.claim_next().id == first.id and other.claim_next().id == second.id and store.claim_next() is None
    assert Store(postgres_url).requeue_interrupted() == 2
    claimed = other.claim_next()
    track = other.finish(claimed.id, "/tracks/job-1/rain", "Rain")
    assert store.job(claimed.id).to_dict()["status"] == "done" and store.job(claimed.id).attempts == 2
    assert [t.title for t in store.tracks(store.authenticate(secret))] == ["Rain"] and track.key_id == key.id


def test_a_key_past_its_rate_is_told_when_to_come_back(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    store = Store(f"sqlite:///{tmp_path / 'server.db'}")
    _, slow = store.create_key("slow", ["read"], rate=0.5)  # a burst of one, then one every two seconds
    _, free = store.create_key("ops", ["read"], rate=0)
    client = TestClient(create_app(store, tmp_path / "tracks", worker=False))
    assert client.get("/v1/tracks", headers=_bearer(slow)).status_code == 200
    refused = client.get("/v1/tracks", headers=_bearer(slow))
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "2"
    assert "may make 0.5 requests a second" in refused.json()["error"]
    assert all(client.get("/v1/tracks", headers=_bearer(free)).status_code == 200 for _ in range(50))
    with pytest.raises(Exception, match="rate is 0"):
        store.create_key("bad", ["read"], rate=-1)
