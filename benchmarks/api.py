"""How fast `maestro serve` answers reads: the server started as its own process on loopback,
driven from this one by keep-alive HTTP clients on several threads for a few seconds.

    .venv/bin/python benchmarks/api.py [--seconds 10] [--clients 8]

The target (issue 15): at least 500 requests a second with a p99 latency under 50 ms for reads,
on 2 cores. The database holds 50 tracks and their jobs; the reads are GET /v1/tracks (the key's
list), GET /v1/jobs/{id} and GET /v1/tracks/{id} (a track.json read from disk), in turn. Prints
the throughput and the p50/p99 latency.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from maestro_ai.server.store import Store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/server.db"
        store = Store(db)
        key, secret = store.create_key("bench", ["read", "create"], rate=0)
        ids = []
        for n in range(50):  # tracks as the worker records them, each with its track.json
            folder = Path(tmp) / f"job-{n}" / f"song-{n}"
            folder.mkdir(parents=True)
            (folder / "track.json").write_text(json.dumps({"title": f"Song {n}", "genre": "house", "tempo": 124.0}))
            job = store.enqueue(key.id, {"genre": "house"})
            store.claim_next()
            ids.append((job.id, store.finish(job.id, str(folder), f"Song {n}").id))
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "maestro_ai.cli.main", "serve", "--port", str(port), "--db", db,
                                   "--out", f"{tmp}/tracks"], env={**os.environ, "MAESTRO_HOME": f"{tmp}/home"},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {secret}"}
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"{base}/openapi.json", timeout=1)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.2)
            paths = ["/v1/tracks"] + [f"/v1/jobs/{j}" for j, _ in ids[:5]] + [f"/v1/tracks/{t}" for _, t in ids[:5]]
            latencies: list[float] = []
            errors = []
            stop = time.monotonic() + args.seconds

            def client(offset: int) -> None:
                mine = []
                with httpx.Client(base_url=base, headers=headers, timeout=10) as http:
                    n = offset
                    while time.monotonic() < stop:
                        began = time.perf_counter()
                        answer = http.get(paths[n % len(paths)])
                        mine.append(time.perf_counter() - began)
                        if answer.status_code != 200:
                            errors.append(answer.status_code)
                        n += 1
                latencies.extend(mine)

            began = time.monotonic()
            threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - began
        finally:
            server.terminate()
            server.wait(timeout=30)
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))]
    print(f"{len(latencies)} reads in {elapsed:.1f} s from {args.clients} clients: {len(latencies) / elapsed:.0f} requests/s "
          f"(target >= 500), p50 {1000 * statistics.median(latencies):.1f} ms, p99 {1000 * p99:.1f} ms (target < 50 ms); "
          f"{len(errors)} errors")


if __name__ == "__main__":
    main()
