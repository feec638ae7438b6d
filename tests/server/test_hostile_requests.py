"""Requests a careless or hostile client sends (the findings of a red-team pass over the API):
each gets a JSON error with the status that fits, never a 500, and no answer shows the server's
own folders or whether a path exists on it."""
import io
import json
import wave

import numpy as np
import pytest
from fastapi.testclient import TestClient

from maestro_ai.server.app import create_app
from maestro_ai.server.context import scrub
from maestro_ai.server.store import Store

BIG = 99999999999999999999999


def _wav(seconds=1.0, rate=8000):
    """A 440 Hz tone as a 16-bit mono WAV file."""
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(int(seconds * rate)) / rate) * 32767).astype("<i2")
    data = io.BytesIO()
    with wave.open(data, "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(rate)
        out.writeframes(tone.tobytes())
    return data.getvalue()


@pytest.fixture
def api(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MAESTRO_RIGHTS_DB", raising=False)
    store = Store(f"sqlite:///{tmp_path / 'server.db'}")
    _, secret = store.create_key("a", ["read", "create"], rate=0)
    with TestClient(create_app(store, tmp_path / "work", worker=False)) as client:
        client.headers["Authorization"] = f"Bearer {secret}"
        yield client, tmp_path / "work"


def test_huge_and_mistyped_ids_are_refused_not_crashed_on(api):
    client, _ = api
    upload = client.post("/v1/uploads?name=a.wav", content=_wav()).json()["id"]
    for method, path, body in [("GET", f"/v1/tracks/{BIG}", None), ("GET", f"/v1/jobs/{BIG}", None),
                               ("GET", f"/v1/uploads/{2**63}", None), ("GET", f"/v1/tracks/{BIG}/piano-roll", None),
                               ("POST", f"/v1/uploads/{BIG}/master", {}), ("POST", f"/v1/rights/grants/{BIG}/revoke", None),
                               ("GET", f"/v1/rights/check?work={BIG}&artist=b&scope=remix", None),
                               ("POST", f"/v1/uploads/{upload}/master", {"reference": BIG}),
                               ("POST", f"/v1/uploads/{upload}/master", {"reference": True}),
                               ("POST", "/v1/rights/works", {"upload": "1"}), ("POST", "/v1/rights/works", {"upload": [1]}),
                               ("POST", "/v1/rights/works", {"upload": {"a": 1}}),
                               ("POST", "/v1/rights/grants", {"work": True, "to": "b", "scope": "remix"}),
                               ("POST", "/v1/tracks", {"genre": "house", "input": {"melody_upload": True}}),
                               ("POST", "/v1/tracks", {"genre": "house", "input": {"melody_upload": BIG}})]:
        answer = client.request(method, path, json=body)
        assert answer.status_code in (400, 404, 422) and "error" in answer.json(), (method, path, body, answer.text)


def test_mistyped_rights_fields_are_400s(api):
    client, _ = api
    for body in ({"name": 123}, {"name": ["a"]}):
        assert client.post("/v1/rights/artists", json=body).status_code == 400
    assert client.post("/v1/rights/artists", json={"name": "a"}).status_code == 201
    upload = client.post("/v1/uploads?name=a.wav", content=_wav()).json()["id"]
    for body in ({"upload": upload, "title": ["x"]}, {"upload": upload, "shares": {"a": 1e308}},
                 {"upload": upload, "shares": {"a": float("nan")}}, {"upload": upload, "shares": {}}):
        answer = client.post("/v1/rights/works", content=json.dumps(body), headers={"Content-Type": "application/json"})
        assert answer.status_code == 400, (body, answer.text)
    work = client.post("/v1/rights/works", json={"upload": upload}).json()["id"]
    for body in ({"work": work, "to": ["b"], "scope": "remix"}, {"work": work, "to": "a", "scope": "remix", "territory": ["FR"]},
                 {"work": work, "to": "a", "scope": "remix", "territory": "ZZZ"},
                 {"work": work, "to": "a", "scope": "remix", "expires": "1999-01-01"}):
        assert client.post("/v1/rights/grants", json=body).status_code == 400, body
    assert client.get(f"/v1/rights/check?work={work}&artist=a&scope=nope").status_code == 400
    grant = client.post("/v1/rights/grants", json={"work": work, "to": "a", "scope": "remix"}).json()["id"]
    assert client.post(f"/v1/rights/grants/{grant}/revoke").status_code == 200
    again = client.post(f"/v1/rights/grants/{grant}/revoke")
    assert again.status_code == 409 and "already revoked" in again.json()["error"]


def test_no_answer_tells_what_is_on_the_servers_disk(api):
    client, work_dir = api
    song = {"genre": "house", "duration_seconds": 10, "quality": "draft"}
    here = client.post("/v1/tracks", json={**song, "input": {"melody_midi": "/etc/passwd"}}).json()["error"]
    absent = client.post("/v1/tracks", json={**song, "input": {"melody_midi": "/etc/no_such_file"}}).json()["error"]
    assert here == absent and "melody_midi over the API is text" in here
    assert client.post("/v1/tracks", json={**song, "input": {"melody_midi": "Cmaj7 C/E Am7/G"}}).status_code == 202
    for body in (b"RIFF\x24\x00\x00\x00WAVEfmt ", b"RIFF0000WAVE", _wav()[:40]):  # a WAV's first bytes and nothing more
        assert client.post("/v1/uploads?name=t.wav", content=body).status_code == 415
    upload = client.post("/v1/uploads?name=a.wav", content=_wav(3, 44100)).json()["id"]
    mastered = client.post(f"/v1/uploads/{upload}/master", json={"mode": "loudness", "lufs": -20})
    report = client.get(f"/v1/uploads/{upload}/files/master-1.report.json").text
    assert mastered.status_code == 200 and str(work_dir) not in mastered.text and str(work_dir) not in report
    assert scrub(f"cannot read '{work_dir}/upload-4/source.wav'", client.app.state.maestro) == "cannot read 'upload-4/source.wav'"
    assert client.get("/studio/studio.js/").status_code == 404  # no redirect that follows the Host header
    for body in ({**song, "time_signature": [4, 4]}, {**song, "input": {"key_phrases": "rain"}}):
        assert client.post("/v1/tracks", json=body).status_code == 400
