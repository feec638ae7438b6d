"""Real services for the scaled-out server's tests, each started by the test from Debian's or
PyPI's own programs on a free loopback port and stopped after: a Redis server (Debian's
redis-server, the Celery broker) and an S3 endpoint (moto's standalone server, `moto_server`).
Without a program the tests that need it are skipped."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the service on port {port} did not start (exit status {process.poll()})") from None
            time.sleep(0.1)


@pytest.fixture
def redis_url(tmp_path):
    program = shutil.which("redis-server")
    if program is None:
        pytest.skip("Redis (Debian's redis-server) is not installed")
    port = free_port()
    server = subprocess.Popen([program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, server)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def s3_endpoint(monkeypatch):
    """moto's S3 server; boto3 in this process (and in programs started with os.environ) reaches
    it through AWS_ENDPOINT_URL, with test credentials."""
    program = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
    if program is None:
        pytest.skip("moto's standalone server (pip install 'moto[server]') is not installed")
    port = free_port()
    server = subprocess.Popen([program, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, server)
        endpoint = f"http://127.0.0.1:{port}"
        for name, value in (("AWS_ENDPOINT_URL", endpoint), ("AWS_ACCESS_KEY_ID", "testing"),
                            ("AWS_SECRET_ACCESS_KEY", "testing"), ("AWS_DEFAULT_REGION", "us-east-1")):
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)

