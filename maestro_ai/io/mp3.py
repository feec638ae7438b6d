"""MP3 encoding on several cores: encode frame-aligned chunks at once and splice their frames.

LAME (inside pedalboard) is the slowest writer of a song and runs on one core. An MP3 is a
sequence of 1,152-sample frames; with the bit reservoir off, each frame carries all of its own
data, so chunks encoded by separate encoders can be joined frame by frame. Each chunk is encoded
with a frame-aligned lead-in of the audio before it (the encoder's delay plus one frame, so its
filterbank and psychoacoustic model have settled) and a little audio after it; the frames that
cover the lead-in are dropped. The joined stream starts exactly at the first sample and gets one
Xing header (frame and byte counts, seek table) for the whole file, with LAME's extension rewritten
for it (no encoder delay, the padding at the end, both CRCs): gapless decoders such as ffmpeg's then
play exactly the song, sample for sample where the WAV has it.

Only each chunk's first frame is its header: frames are found by walking their lengths, never by
searching for the "Xing"/"Info" text, which audio data can contain by chance.

>>> import numpy as np
>>> tone = np.sin(np.arange(44100 * 12) * 2 * np.pi * 440 / 44100).astype(np.float32) * 0.3
>>> data = encode_mp3(np.stack([tone, tone]), 44100, chunks=2)
>>> xing = read_xing(data)
>>> xing["frames"] == len(frame_spans(data)) - 1 and xing["bytes"] == len(data)
True
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from pedalboard.io import AudioFile, WriteableAudioFileFlag

FRAME = 1152  # samples per MPEG-1 Layer III frame
MPEG1_RATES = (44100, 48000, 32000)
MPEG1_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0)
WARMUP_FRAMES = 1  # audio before a chunk that its encoder hears but that is not kept
TAIL_FRAMES = 2  # audio after a chunk, for the overlap of its last frames
MIN_CHUNK_SECONDS = 5.0  # shorter audio is encoded in one piece
DECODER_DELAY = 529  # samples an MP3 decoder's filterbank lags its input (gapless players skip them)
XING_FLAGS = 0x0F  # frames, bytes, seek table, quality


def frame_spans(data: bytes) -> list[tuple[int, int]]:
    """(offset, length) of every MPEG-1 Layer III frame of an MP3 that LAME wrote, in order.

    Raises ValueError where the bytes are not a frame, rather than skipping ahead.
    """
    spans, pos = [], 0
    while pos < len(data):
        if pos + 4 > len(data) or data[pos] != 0xFF or (data[pos + 1] & 0xFE) != 0xFA:
            raise ValueError(f"no MPEG-1 Layer III frame at byte {pos}")
        kbps, rate_index = MPEG1_KBPS[data[pos + 2] >> 4], (data[pos + 2] >> 2) & 3
        if not kbps or rate_index == 3:
            raise ValueError(f"unsupported frame header at byte {pos}")
        length = 144_000 * kbps // MPEG1_RATES[rate_index] + ((data[pos + 2] >> 1) & 1)
        if pos + length > len(data):
            raise ValueError(f"the frame at byte {pos} is cut short")
        spans.append((pos, length))
        pos += length
    return spans


def _xing_offset(frame: bytes) -> int:
    """Where the Xing/Info tag starts in a header frame: after the frame header, its CRC (if any)
    and the side information (17 bytes mono, 32 stereo)."""
    crc = 0 if frame[1] & 1 else 2
    side = 17 if frame[3] >> 6 == 3 else 32
    return 4 + crc + side


def read_xing(data: bytes) -> dict:
    """The Xing/Info header of an MP3's first frame: frames, bytes, the 100-entry seek table,
    quality, and LAME's encoder delay and padding where its extension is present."""
    offset = _xing_offset(data)
    if data[offset:offset + 4] not in (b"Xing", b"Info"):
        raise ValueError("the first frame holds no Xing/Info header")
    flags = int.from_bytes(data[offset + 4:offset + 8], "big")
    pos, out = offset + 8, {"flags": flags}
    for bit, name, size in ((1, "frames", 4), (2, "bytes", 4), (4, "toc", 100), (8, "quality", 4)):
        if flags & bit:
            raw = data[pos:pos + size]
            out[name] = list(raw) if name == "toc" else int.from_bytes(raw, "big")
            pos += size
    if data[pos:pos + 4] == b"LAME":
        packed = data[pos + 21:pos + 24]
        out["encoder_delay"] = (packed[0] << 4) | (packed[1] >> 4)
        out["padding"] = ((packed[1] & 0x0F) << 8) | packed[2]
    return out


def _encode(audio: np.ndarray, sample_rate: int, quality: str, reservoir: bool = True) -> bytes:
    options = {} if reservoir else {"codec_options": {WriteableAudioFileFlag.Mp3EnableBitReservoir: False}}
    return AudioFile.encode(np.ascontiguousarray(audio), sample_rate, "mp3", audio.shape[0], quality=quality, **options)


def _crc16_tables() -> tuple[np.ndarray, np.ndarray]:
    """CRC-16/ARC (reflected 0x8005), the LAME tag's checksum: the table for one byte, and the one
    for two (a 16-bit register takes two bytes at once: r' = TWO[r ^ word])."""
    one = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        one = np.where(one & 1, (one >> 1) ^ 0xA001, one >> 1)
    two = np.arange(1 << 16, dtype=np.uint32)
    for _ in range(2):
        two = (two >> 8) ^ one[two & 0xFF]
    return one.astype(np.uint32), two.astype(np.uint32)


CRC16_ONE, CRC16_TWO = _crc16_tables()


def _crc16_step(register: int, data: bytes) -> int:
    for byte in data:
        register = (register >> 8) ^ int(CRC16_ONE[(register ^ byte) & 0xFF])
    return register


def crc16(data: bytes, lanes: int = 4096) -> int:
    """CRC-16/ARC of `data`, as LAME's tag records it (music CRC, tag CRC).

    Long data is cut into `lanes` equal runs whose CRCs numpy computes side by side, two bytes a
    step, then joined: the CRC is linear, so crc(A + B) = zeros(crc(A), len(B)) ^ crc(B), where
    zeros(r, n) is the register r after n zero bytes.

    >>> crc16(b"123456789") == 0xBB3D  # the catalogue's check value
    True
    """
    if len(data) < 4096:
        return _crc16_step(0, data)
    lanes = min(lanes, len(data) // 64)  # at least 32 steps a lane
    words = len(data) // (2 * lanes)
    columns = np.frombuffer(data, dtype="<u2", count=words * lanes).reshape(lanes, words).T.astype(np.uint32)
    registers = np.zeros(lanes, dtype=np.uint32)
    for column in columns:
        registers = CRC16_TWO[registers ^ column]
    # The register after a run of zero bytes, for every register value (linear: built from 16 bits).
    after_zeros = np.zeros(1 << 16, dtype=np.uint32)
    values = np.arange(1 << 16, dtype=np.uint32)
    for bit in range(16):
        image = 1 << bit
        for _ in range(words):
            image = int(CRC16_TWO[image])
        after_zeros ^= np.where(values & (1 << bit), image, 0).astype(np.uint32)
    total = 0
    for register in registers.tolist():
        total = int(after_zeros[total]) ^ register
    return _crc16_step(total, data[2 * words * lanes:])


def _header_frame(template: bytes, body: bytes, starts: list[int], samples: int) -> bytes:
    """The joined stream's header frame, built on the first chunk's (same frame header, quality and
    LAME settings): new frame and byte counts and seek table, and in LAME's extension no encoder
    delay (the lead-in frames are gone), the padding after the last sample, the file's length and
    both CRCs, so gapless players play exactly the song."""
    offset = _xing_offset(template)
    xing = read_xing(template)
    total = len(template) + len(body)
    toc = bytes(min(255, (len(template) + starts[len(starts) * i // 100]) * 256 // total) for i in range(100))
    fields = (b"Xing" + XING_FLAGS.to_bytes(4, "big") + len(starts).to_bytes(4, "big") + total.to_bytes(4, "big")
              + toc + xing.get("quality", 0).to_bytes(4, "big"))
    frame = bytearray(len(template))
    frame[:offset] = template[:offset]
    frame[offset:offset + len(fields)] = fields
    lame = offset + len(fields)
    if "encoder_delay" in xing and lame + 36 <= len(frame):  # LAME's extension: 36 bytes after the Xing fields
        padding = len(starts) * FRAME - samples
        frame[lame:lame + 36] = template[lame:lame + 36]
        frame[lame + 21:lame + 24] = bytes([0, padding >> 8, padding & 0xFF])
        frame[lame + 28:lame + 32] = total.to_bytes(4, "big")
        frame[lame + 32:lame + 34] = crc16(body).to_bytes(2, "big")
        frame[lame + 34:lame + 36] = crc16(bytes(frame[:lame + 34])).to_bytes(2, "big")
    return bytes(frame)


def encode_mp3(audio: np.ndarray, sample_rate: int, quality: str = "V2", chunks: int = 4,
               threads: int = 2) -> bytes:
    """Encode (channels, frames) float32 audio to MP3 bytes as `chunks` pieces, `threads` at once
    (more pieces than threads, so that the threads finish together). The bytes depend only on the
    audio, the quality and `chunks`."""
    audio = np.atleast_2d(np.asarray(audio, dtype=np.float32))
    total = audio.shape[1]
    chunks = max(1, min(chunks, int(total / sample_rate / MIN_CHUNK_SECONDS)))
    if chunks == 1 or sample_rate not in MPEG1_RATES:
        return _encode(audio, sample_rate, quality)
    probe = _encode(audio[:, :FRAME * 4], sample_rate, quality, reservoir=False)
    delay = read_xing(probe).get("encoder_delay", 576)
    lead = (-delay) % FRAME + WARMUP_FRAMES * FRAME  # encoder delay + lead-in = whole frames
    drop = (delay + lead) // FRAME
    per_chunk = -(-total // FRAME) // chunks * FRAME
    bounds = [(i * per_chunk, total if i == chunks - 1 else (i + 1) * per_chunk) for i in range(chunks)]

    def encode_chunk(bound: tuple[int, int]) -> tuple[bytes, bytes, list[int]]:
        """The chunk's header frame, its kept frames joined, and where each of those starts."""
        start, stop = bound
        padded = np.zeros((audio.shape[0], lead + (stop - start) + TAIL_FRAMES * FRAME), dtype=np.float32)
        lo, hi = max(0, start - lead), min(total, stop + TAIL_FRAMES * FRAME)
        padded[:, lo - (start - lead):hi - (start - lead)] = audio[:, lo:hi]
        data = _encode(padded, sample_rate, quality, reservoir=False)
        spans = frame_spans(data)
        # Keep the frames of this chunk's own audio; the last chunk keeps enough to sound to its end
        # through the decoder's delay.
        keep = -(-(stop - start + (DECODER_DELAY if stop == total else 0)) // FRAME)
        if 1 + drop + keep > len(spans):
            raise RuntimeError("the MP3 encoder returned fewer frames than its chunk needs")
        kept = spans[1 + drop:1 + drop + keep]
        return data[:spans[0][1]], data[kept[0][0]:kept[-1][0] + kept[-1][1]], [a - kept[0][0] for a, _ in kept]

    with ThreadPoolExecutor(max_workers=threads) as pool:
        encoded = list(pool.map(encode_chunk, bounds))
    body = b"".join(frames for _, frames, _ in encoded)
    starts, offset = [], 0
    for _, frames, chunk_starts in encoded:  # frame positions in the joined body
        starts += [offset + start for start in chunk_starts]
        offset += len(frames)
    return _header_frame(encoded[0][0], body, starts, total) + body
