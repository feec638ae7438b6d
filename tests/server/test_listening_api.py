"""The listening side over HTTP (POST /v1/plays, POST /v1/taste/train, GET /v1/recommendations):
the same functions as `maestro plays import`, `maestro taste train` and `maestro recommend`, an
admin key importing and training, each listener's recommendations private to an admin key or the
key that acts as them."""
import pytest
from fastapi.testclient import TestClient

import maestro_ai
from maestro_ai.server.app import create_app
from maestro_ai.server.store import Store
from tests.catalog.test_notices import mail  # noqa: F401 (the fixture: an SMTP server on loopback)


@pytest.fixture
def api(tmp_path, monkeypatch):
    monkeypatch.setenv("MAESTRO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MAESTRO_RIGHTS_DB", raising=False)
    store = Store(f"sqlite:///{tmp_path / 'server.db'}")
    with TestClient(create_app(store, tmp_path / "work", worker=False)) as client:
        yield client, store, tmp_path


def test_plays_imported_a_model_trained_and_recommendations_read_over_http(api):
    client, store, folder = api
    _, admin = store.create_key("ops", ["read", "create", "admin"])
    _, ann = store.create_key("ann", ["read"], artist="ann")
    ids = [maestro_ai.MusicGenerator(genre, "energetic", seed=seed, output_dir=folder / "songs", formats=("wav",), quality="draft")
           .generate({}, duration_seconds=6).to_dict()["provenance"]["watermark"] for genre, seed in (("house", 1), ("techno", 2),
                                                                                                    ("folk", 3))]
    rows = ["user_id,track_id,played_at,ms_played,tier,country,source"]
    rows += [f"ann,{ids[0]},2026-10-0{d}T20:00:00Z,6000,premium,de,library" for d in range(1, 6)]
    rows += [f"bob,{ids[0]},2026-10-0{d}T20:00:00Z,6000,premium,de,radio" for d in range(1, 6)]
    rows += [f"bob,{ids[1]},2026-10-0{d}T21:00:00Z,6000,premium,de,radio" for d in range(1, 6)]
    log = ("\n".join(rows) + "\n").encode()
    headers = {"Authorization": f"Bearer {admin}", "Content-Type": "application/octet-stream"}

    assert client.post("/v1/taste/train", headers=headers).status_code == 400  # nothing imported yet
    assert client.post("/v1/plays", content=log, headers={**headers, "Authorization": f"Bearer {ann}"}).status_code == 403
    bad = client.post("/v1/plays", content=log.replace(b"6000,premium", b"-1,premium", 1), headers=headers)
    assert bad.status_code == 400 and "ms_played '-1'" in bad.json()["error"]
    done = client.post("/v1/plays?name=october.csv", content=log, headers=headers)
    assert done.status_code == 201 and done.json()["plays"] == 15 and done.json()["listeners"] == 2
    assert client.post("/v1/plays", content=log, headers=headers).status_code == 409
    assert client.post("/v1/plays", content=b"", headers=headers).status_code == 400
    learnt = client.post("/v1/taste/train", headers=headers).json()
    assert (learnt["plays"], learnt["listeners"], learnt["tracks"]) == (15, 2, 3)

    mine = client.get("/v1/recommendations?user=ann&n=2", headers={"Authorization": f"Bearer {ann}"})
    assert mine.status_code == 200, mine.text
    assert ids[0] not in [p["id"] for p in mine.json()] and mine.json()[0]["id"] == ids[1]
    assert client.get("/v1/recommendations?user=bob", headers={"Authorization": f"Bearer {ann}"}).status_code == 403
    assert client.get("/v1/recommendations?user=bob&n=1", headers=headers).json()[0]["id"] == ids[2]
    for bad_query in ("user=ann&n=0", "user=ann&diversity=2", "n=3"):
        assert client.get(f"/v1/recommendations?{bad_query}", headers=headers).status_code == 422
    made = client.get("/v1/playlists?context=party&minutes=1&user=ann", headers={"Authorization": f"Bearer {ann}"})
    assert made.status_code == 200, made.text
    assert made.json()["context"] == "party" and {t["id"] for t in made.json()["tracks"]} <= set(ids)
    assert client.get("/v1/playlists?context=party&user=bob", headers={"Authorization": f"Bearer {ann}"}).status_code == 403
    assert client.get("/v1/playlists?context=party&minutes=0", headers=headers).status_code == 422


def test_reserved_over_http_holds_seats_for_an_artists_superfans(api, monkeypatch, mail):  # noqa: F811 (the fixture)
    from maestro_ai.production.clearance import register_work
    from maestro_ai.rights.registry import Registry

    client, store, folder = api
    monkeypatch.setenv("MAESTRO_RIGHTS_DB", f"sqlite:///{folder / 'rights.db'}")
    monkeypatch.setenv("MAESTRO_RESERVED_DB", f"sqlite:///{folder / 'reserved.db'}")
    registry = Registry(f"sqlite:///{folder / 'rights.db'}")
    registry.add_artist("Ada")
    songs = [maestro_ai.MusicGenerator("folk", "peaceful", seed=seed, output_dir=folder / "songs", formats=("wav",), quality="draft")
             .generate({}, duration_seconds=32) for seed in (1, 2)]  # plays under 30 s are not a fan's (the royalty rule)
    works = [register_work(registry, s.mix_path, title=s.title, owner="Ada", acting="Ada").id for s in songs]
    _, admin = store.create_key("ops", ["read", "create", "admin"])
    _, ada = store.create_key("ada", ["read", "create"], artist="Ada")
    _, ann = store.create_key("ann", ["read", "create"], artist="ann")
    _, ben = store.create_key("ben", ["read", "create"], artist="ben")
    rows = ["user_id,track_id,played_at,ms_played,tier,country,source"]
    rows += [f"ann,{w},2026-10-0{d}T20:00:00Z,32000,premium,de,library" for d in range(1, 8) for w in works]
    rows += [f"ben,{works[0]},2026-10-0{d}T20:00:00Z,31000,premium,de,radio" for d in range(1, 3)]
    head = {"Content-Type": "application/octet-stream"}
    assert client.post("/v1/plays", content=("\n".join(rows) + "\n").encode(),
                       headers={**head, "Authorization": f"Bearer {admin}"}).status_code == 201

    def call(method, url, secret, **kw):
        return client.request(method, url, headers={"Authorization": f"Bearer {secret}"}, **kw)

    fans = call("GET", "/v1/reserved/fans/Ada", ada).json()
    assert [f["listener"] for f in fans] == ["ann", "ben"]
    assert call("GET", "/v1/reserved/fans/Ada", ann).status_code == 403
    concert = {"artist": "Ada", "venue": "Roundhouse", "date": "2027-03-01", "capacity": 10, "share": 0.1, "hold_hours": 24}
    assert call("POST", "/v1/reserved/concerts", ann, json=concert).status_code == 403
    assert call("POST", "/v1/reserved/concerts", ada, json={**concert, "date": "soon"}).status_code == 400
    made = call("POST", "/v1/reserved/concerts", ada, json=concert).json()
    assert made["held"] == 1
    assert call("PUT", "/v1/reserved/contact", ann, json={"email": "ann@"}).status_code == 400
    assert call("PUT", "/v1/reserved/contact", ann, json={"email": "ann@example.org"}).json() == \
        {"listener": "ann", "email": "ann@example.org"}
    assert [h["listener"] for h in call("POST", f"/v1/reserved/concerts/{made['id']}/allocate", ada).json()] == ["ann"]
    inbox, url, _ = mail
    monkeypatch.setenv("MAESTRO_SMTP_URL", url)
    assert call("POST", "/v1/reserved/notify", ada).status_code == 403  # an admin's task
    assert call("POST", "/v1/reserved/notify", admin).json()["sent"] == ["ann"]
    assert [to for to, _ in inbox.mails] == [["ann@example.org"]]
    assert call("POST", f"/v1/reserved/concerts/{made['id']}/claim", ben).status_code == 404  # nothing held for ben
    assert call("POST", f"/v1/reserved/concerts/{made['id']}/claim", ann).json()["status"] == "claimed"
    assert call("POST", f"/v1/reserved/concerts/{made['id']}/claim", ann).status_code == 409
    assert call("POST", f"/v1/reserved/concerts/{made['id']}/buy", ben).status_code == 409  # nothing released
    state = call("GET", f"/v1/reserved/concerts/{made['id']}", ada).json()
    assert [(h["listener"], h["status"]) for h in state["holds"]] == [("ann", "claimed")]
    assert call("GET", "/v1/reserved/concerts/99", ada).status_code == 404
