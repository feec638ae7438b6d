"""The scaled-out configuration, every part real: `maestro serve` and two `maestro worker`s as
separate programs, a Redis server as the Celery broker, a PostgreSQL server for the store and
moto's S3 server for the files. A worker killed mid-song leaves its job to the next worker, which
makes it again from the start; the track's files are in the bucket (read back with boto3, not
through Maestro) and served from there; an upload is kept and mastered there too."""
import io
import os
import signal
import subprocess
import sys
import time
import zipfile

import boto3
import httpx
import pytest
import soundfile

from maestro_ai.cli.main import main
from tests.postgres import fresh_database
from tests.services import free_port, wait_for_port

SONG = {"genre": "house", "mood": "euphoric", "duration_seconds": 10, "seed": 3, "quality": "draft", "formats": ["wav"],
        "input": {"key_phrases": ["sunrise on the dance floor"], "tempo_bpm": 124}}


def _maestro(*args, env):
    return subprocess.Popen([sys.executable, "-m", "maestro_ai.cli.main", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _until(check, seconds, what):
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, what
        time.sleep(0.2)
    return found


def test_jobs_run_on_celery_workers_with_files_in_s3(tmp_path, capsys, postgres_url, redis_url, s3_endpoint):
    pytest.importorskip("psycopg")
    db = fresh_database(postgres_url)
    boto3.client("s3").create_bucket(Bucket="songs")
    files = "s3://songs/maestro"
    assert main(["keys", "create", "--name", "studio", "--scope", "read", "--scope", "create", "--db", db]) == 0
    secret = capsys.readouterr().out.split(": ", 1)[1].splitlines()[0]
    headers = {"Authorization": f"Bearer {secret}"}
    env = {**os.environ, "MAESTRO_HOME": str(tmp_path / "home"), "MAESTRO_VISIBILITY_SECONDS": "3"}
    common = ["--db", db, "--files", files, "--broker", redis_url]
    port = free_port()
    server = _maestro("serve", "--port", str(port), "--out", str(tmp_path / "server"), *common, env=env)
    first = _maestro("worker", "--out", str(tmp_path / "worker-1"), *common, env=env)
    second = None
    try:
        wait_for_port(port, server, 60)
        api = httpx.Client(base_url=f"http://127.0.0.1:{port}/v1", headers=headers, timeout=60)
        job = api.post("/tracks", json=SONG).json()
        # the first worker takes the job; it is killed in the middle of the song
        _until(lambda: api.get(f"/jobs/{job['id']}").json()["stage"] in ("render", "mix", "seal"), 120,
               "the first worker never got far into the job")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert api.get(f"/jobs/{job['id']}").json()["status"] == "running"
        time.sleep(3.5)  # past the broker's visibility timeout: the task goes to the next worker
        second = _maestro("worker", "--out", str(tmp_path / "worker-2"), *common, env=env)
        done = _until(lambda: (j := api.get(f"/jobs/{job['id']}").json())["status"] in ("done", "failed") and j, 240,
                      "the second worker never finished the job")
        assert done["status"] == "done" and done["attempts"] == 2, done

        track = api.get(f"/tracks/{done['track_id']}").json()
        objects = {o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket="songs", Prefix="maestro/")["Contents"]}
        assert f"maestro/job-{job['id']}/mix.wav" in objects and all(f"maestro/job-{job['id']}/{f}" in objects
                                                                    for f in track["files"])
        mix = api.get(f"/tracks/{track['id']}/files/mix.wav")
        audio, rate = soundfile.read(io.BytesIO(mix.content))
        assert mix.status_code == 200 and abs(len(audio) / rate - 10) < 0.5
        with zipfile.ZipFile(io.BytesIO(api.get(f"/tracks/{track['id']}/archive").content)) as archive:
            assert [n.split("/", 1)[1] for n in archive.namelist()] == track["files"]
        assert not list((tmp_path / "worker-2").glob("job-*/*"))  # the worker's copy went once the bucket had it
        proof = api.get(f"/tracks/{track['id']}/provenance/mix.wav").json()
        assert proof["credentials"]["signed"] and not proof["credentials"]["tampered"]

        # an upload is kept in the bucket, not on the server's disk, and mastered from there
        upload = api.post("/uploads?name=mix.wav", content=mix.content).json()
        assert f"maestro/upload-{upload['id']}/source.wav" in {
            o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket="songs", Prefix="maestro/upload")["Contents"]}
        assert not list((tmp_path / "server").glob("upload-*"))
        mastered = api.post(f"/uploads/{upload['id']}/master", json={"target": "spotify"}).json()
        assert mastered["file"] == "master-1.wav" and abs(mastered["output"]["integrated_lufs"] + 14) < 1
        assert "master-1.wav" in api.get(f"/uploads/{upload['id']}").json()["files"]
    finally:
        for program in (server, first, second):
            if program is not None and program.poll() is None:
                program.terminate()
                try:
                    program.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    program.kill()


def test_a_worker_without_a_broker_or_a_bucket_that_is_not_there_is_a_clear_error(capsys, s3_endpoint, tmp_path):
    assert main(["worker", "--out", str(tmp_path)]) == 2
    assert "needs the broker" in capsys.readouterr().err
    assert main(["worker", "--broker", "redis://127.0.0.1:1/0", "--files", "s3://no-such-bucket", "--out", str(tmp_path)]) == 2
    assert "cannot reach the bucket 'no-such-bucket'" in capsys.readouterr().err
    assert main(["serve", "--files", "songs-without-scheme", "--out", str(tmp_path)]) == 2
    assert "s3://bucket[/prefix]" in capsys.readouterr().err
