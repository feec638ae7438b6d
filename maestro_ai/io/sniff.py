"""What a file is, by its first bytes rather than its name: the audio formats Maestro reads
(WAV, FLAC, Ogg, MP3, AIFF) and Standard MIDI files. An upload is judged by this, so a file
named song.wav that holds something else is refused.

>>> sniff(b"RIFF\\x24\\x00\\x00\\x00WAVEfmt ")
('audio', 'wav')
>>> sniff(b"MThd\\x00\\x00\\x00\\x06"), sniff(b"<html>")
(('midi', 'mid'), None)
"""
from __future__ import annotations

from pathlib import Path

import mido
from pedalboard.io import AudioFile

HEAD_BYTES = 16  # enough for every signature below


def _mpeg_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, a known version and layer III (an MP3)."""
    return len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] & 0x18) != 0x08 \
        and (head[1] & 0x06) == 0x02


def sniff(head: bytes) -> tuple[str, str] | None:
    """(kind, format) of a file whose first bytes are `head`: ('audio', 'wav' | 'flac' | 'ogg' |
    'mp3' | 'aiff') or ('midi', 'mid'); None for anything else."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio", "wav"
    if head[:4] == b"fLaC":
        return "audio", "flac"
    if head[:4] == b"OggS":
        return "audio", "ogg"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "audio", "aiff"
    if head[:3] == b"ID3" or _mpeg_frame(head):
        return "audio", "mp3"
    if head[:4] == b"MThd":
        return "midi", "mid"
    return None


def readable(path: Path, kind: str) -> bool:
    """Whether the file at `path` opens as what its first bytes say: audio with at least one
    frame (pedalboard reads its header), or a MIDI file mido parses."""
    try:
        if kind == "midi":
            mido.MidiFile(str(path))
            return True
        with AudioFile(str(path)) as audio:
            return audio.frames > 0 and audio.samplerate > 0
    except Exception:  # every way a file can fail to open is the same answer here
        return False
