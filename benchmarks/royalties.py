"""How long a royalty run takes on a synthetic month, and how much memory it needs: users,
tracks (a tenth of them remixes of earlier tracks, a twentieth AI-generated) and plays made by
DuckDB, then `maestro royalties run` for each model as its own process, timed, its peak memory
read from the kernel (wait4).

    .venv/bin/python benchmarks/royalties.py [--users 100000] [--tracks 1000000] [--plays 100000000]
                                            [--models pro-rata,user-centric,artist-centric] [--folder DIR]

The target (issue 16): every model under 5 minutes and under 4 GB on 2 cores, for 100,000 users,
1,000,000 tracks and 100 million plays. Prints the time to make the data, then per model the
seconds and the peak resident memory.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb


def make_month(folder: Path, users: int, tracks: int, plays: int) -> None:
    """catalog.csv, plays.parquet and pool.csv for October 2026 in `folder`."""
    db = duckdb.connect()
    db.execute(f"SET temp_directory = '{folder / 'tmp'}'")
    artists = max(1, tracks // 10)
    db.execute(f"""COPY (
        WITH t AS (SELECT i, 't' || i AS track_id, i % 10 = 9 AND i > 0 AS remix, i % 20 = 7 AS ai FROM range({tracks}) r(i))
        SELECT track_id, 'a' || (hash(i) % {artists}) AS holder_id, CASE WHEN remix THEN '0.7' ELSE '1' END AS share,
               '' AS parent_track_id, CAST(ai AS VARCHAR) AS ai FROM t
        UNION ALL
        SELECT track_id, '', '0.3', 't' || (hash(i * 7) % i), CAST(ai AS VARCHAR) FROM t WHERE remix
    ) TO '{folder / "catalog.csv"}' (HEADER)""")
    # popularity follows a power law (track index = tracks * u^3); a listener keeps one country
    # and one tier all month, as a real account does
    db.execute(f"""COPY (
        SELECT 'u' || u AS user_id, 't' || CAST(floor({tracks} * pow(random(), 3)) AS BIGINT) AS track_id,
               TIMESTAMPTZ '2026-10-01 00:00:00+00' + to_seconds(CAST(random() * 31 * 86400 AS BIGINT)) AS played_at,
               CAST(10000 + random() * 230000 AS BIGINT) AS ms_played,
               CASE WHEN hash(u * 3) % 5 = 0 THEN 'free' ELSE 'premium' END AS tier,
               ['FR', 'DE', 'US', 'BR'][1 + CAST(hash(u * 5) % 4 AS INT)] AS country,
               ['search', 'library', 'radio', 'autoplay'][1 + CAST(floor(random() * 4) AS INT)] AS source
        FROM (SELECT hash(i) % {users} AS u FROM range({plays}) r(i))
    ) TO '{folder / "plays.parquet"}' (FORMAT parquet)""")
    with open(folder / "pool.csv", "w") as out:
        out.write("period,country,tier,amount,currency\n")
        for n, country in enumerate(("FR", "DE", "US", "BR")):
            for tier, amount in (("premium", 900_000_00), ("free", 120_000_00)):
                out.write(f"2026-10,{country},{tier},{amount + n * 1_000_00},EUR\n")
    db.close()


def run_model(folder: Path, model: str) -> tuple[float, float, int]:
    """Seconds, peak resident MB and exit status of `maestro royalties run` for `model`."""
    out = folder / f"statements-{model}"
    shutil.rmtree(out, ignore_errors=True)  # the last run's: a closed period is not written again
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "maestro_ai.cli.main", "royalties", "run", "--period", "2026-10",
                                "--model", model, "--plays", str(folder / "plays.parquet"), "--pool", str(folder / "pool.csv"),
                                "--catalog", str(folder / "catalog.csv"), "--out", str(out)])
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - began, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--tracks", type=int, default=1_000_000)
    parser.add_argument("--plays", type=int, default=100_000_000)
    parser.add_argument("--models", default="pro-rata,user-centric,artist-centric")
    parser.add_argument("--folder", type=Path, help="where the month is made and kept (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="maestro-royalties-bench-") as temporary:
        folder = args.folder or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        if not (folder / "plays.parquet").exists():
            make_month(folder, args.users, args.tracks, args.plays)
        print(f"{args.users} users, {args.tracks} tracks, {args.plays} plays made in {time.perf_counter() - began:.1f} s")
        for model in args.models.split(","):
            seconds, megabytes, status = run_model(folder, model)
            verdict = "ok" if status == 0 else f"FAILED (exit status {status})"
            print(f"{model:<15} {seconds:7.1f} s (target < 300 s), peak {megabytes:7.0f} MB (target < 4096 MB)  {verdict}")


if __name__ == "__main__":
    main()
