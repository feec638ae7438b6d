"""Lyrics with timings as an LRC file (the karaoke players' and music apps' format): one
"[mm:ss.xx]line" per sung line, in order.

>>> print(lrc_text([(1.5, "rainy city lights"), (65.25, "take me higher")], "Rain"), end="")
[ti:Rain]
[re:Maestro]
[00:01.50]rainy city lights
[01:05.25]take me higher
"""
from __future__ import annotations

from pathlib import Path

from maestro_ai.io.atomic import atomic_path


def _stamp(seconds: float) -> str:
    centis = int(round(max(0.0, seconds) * 100))
    return f"[{centis // 6000:02d}:{centis // 100 % 60:02d}.{centis % 100:02d}]"


def lrc_text(lines: list[tuple[float, str]], title: str) -> str:
    """The LRC text of (start seconds, line) pairs."""
    head = [f"[ti:{title.replace(']', ')')}]", "[re:Maestro]"]
    return "\n".join(head + [f"{_stamp(at)}{text}" for at, text in lines]) + "\n"


def write_lrc(path: Path, lines: list[tuple[float, str]], title: str) -> Path:
    """Write the LRC file atomically."""
    with atomic_path(Path(path)) as tmp:
        tmp.write_text(lrc_text(lines, title), encoding="utf-8")
    return Path(path)
