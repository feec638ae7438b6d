"""Maestro's audio watermark: a keyed 64-bit payload hidden in the music's own spectrum, found
again after codecs, resampling, noise, gain, filtering, cutting and speed changes.

The mark is a patchwork over time-frequency tiles: 24 bands between 400 Hz and 3.6 kHz (about a
sixth of an octave each: kept by a 4 kHz low-pass, 22.05 kHz resampling and a 64 kbps MP3) by
tiles of 64 ms. A block of 125 tiles (8 s) repeats from the start of the file; the key spreads a
pseudo-random +-1 chip over each of its 3000 cells, and names each cell a sync cell (a quarter of
them) or one of the 258 coded bits of the payload (64 bits and a CRC-16 under a rate-1/3
convolutional code: `codes`). Embedding tilts each cell by STRENGTH_DB in the direction of its
chip times its bit (sync cells: +1): the band's lower half up, its upper half down. The mark
scales with the music and is nothing where the music is silent.

Detection reads the halves' levels back at 16 kHz; a tile's tilt (lower half over upper, in dB)
minus the tilts a tile before and after cancels the music's own spectral slope, its onsets (they
move both halves), a gain, an EQ and a codec's slow colouring; it is clipped at CLIP_MAD median
deviations. The audio is cut into windows of WINDOW_S or a little more (a 15-second excerpt is one
window, so is a 29-second one), and in
each the speed (SPEEDS: +-2 % in steps of 0.25 %: the time axis rescaled, then at the best speed
and its neighbours the bands moved too), the frame within a tile and the tile within the block
are searched for the strongest correlation with the sync chips (circular correlations by FFT).
That correlation, over its own square root of energy, is a sum of random signs weighted by the
music: under no watermark, Hoeffding's inequality bounds its chance of passing z by exp(-z^2/2),
whatever the music. `threshold()` sets z so that all the hypotheses tried, times the CRC's 2^-16,
stay under FALSE_ALARM (1e-9) per detection. Windows that pass add their soft bits, and the
Viterbi decoder and the CRC give the payload.

>>> rate = 44100
>>> music = np.random.default_rng(1).normal(0, 0.1, (2, rate * 20)).astype(np.float32)
>>> marked = embed(music, rate, 0xC0FFEE)
>>> found = detect(marked, rate)
>>> hex(found.payload), found.z > found.threshold
('0xc0ffee', True)
>>> detect(music, rate).payload is None
True
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import scipy.fft

from maestro_ai.io.audio import resample
from maestro_ai.provenance.codes import CODED_BITS, CRC_BITS, decode, encode, payload_bits, payload_of

KEY = b"maestro-ai watermark v1"  # Maestro's own key: any copy of Maestro finds its marks
STRENGTH_DB = 1.25  # 1.0 read 7 of 9 15-second cuts of a jazz mix, 1.25 all 9 (mark 22 dB under the music)
LOW_HZ, HIGH_HZ, BANDS = 400.0, 3600.0, 24
TILE_S = 0.064
BLOCK_TILES = 125
SYNC_SHARE = 0.25
RATE = 16000  # detection's sample rate
N_FFT, HOP = 1024, 128  # 32 ms frames every 8 ms: a tile is TILE_FRAMES frames
TILE_FRAMES = round(TILE_S * RATE / HOP)
WINDOW_S = 15.0
SPEEDS = tuple(1 + k * 0.0025 for k in range(-8, 9))
CLIP_MAD = 3.0
FALSE_ALARM = 1e-9
EMBED_FRAMES = 512  # STFT frames worked on at once
PASS_Z = 5.0  # a window adds its soft bits to the decoding once its sync reaches this (unmarked: 3-4.3)


@dataclass(frozen=True)
class Layout:
    """What the key makes of the block's cells (tile, band): each one's chip (+-1), and whether it
    is a sync cell or which coded bit it carries (-1 for sync)."""

    chips: np.ndarray  # (BLOCK_TILES, BANDS) of +-1
    carries: np.ndarray  # (BLOCK_TILES, BANDS): coded bit index, or -1 for a sync cell


@cache
def layout(key: bytes = KEY) -> Layout:
    rng = np.random.default_rng(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))
    cells = BLOCK_TILES * BANDS
    chips = rng.choice(np.array([-1.0, 1.0]), size=cells)
    order = rng.permutation(cells)
    carries = np.empty(cells, dtype=np.int64)
    sync = int(cells * SYNC_SHARE)
    carries[order[:sync]] = -1
    carries[order[sync:]] = np.arange(cells - sync) % CODED_BITS
    return Layout(chips.reshape(BLOCK_TILES, BANDS), carries.reshape(BLOCK_TILES, BANDS))


def band_edges() -> np.ndarray:
    """The edges (Hz) of the bands' halves, 2 BANDS + 1 of them, evenly spaced in log frequency."""
    return np.geomspace(LOW_HZ, HIGH_HZ, 2 * BANDS + 1)


def cell_signs(payload: int, key: bytes = KEY) -> np.ndarray:
    """Each cell's direction, +-1: its chip times its bit (+1 for sync)."""
    plan = layout(key)
    bits = 2.0 * encode(payload_bits(payload)) - 1
    return plan.chips * np.where(plan.carries < 0, 1.0, bits[np.maximum(plan.carries, 0)])


def _frames(rate: int) -> tuple[int, int]:
    """Embedding's STFT: frames of about 40 ms, a new one every quarter frame (every half frame
    cost 40 % less, but read fewer payloads from sparse recordings: violins and flute)."""
    n_fft = 1 << max(8, round(math.log2(rate * 0.04)))
    return n_fft, n_fft // 4


def embed(audio: np.ndarray, rate: int, payload: int, key: bytes = KEY, strength_db: float = STRENGTH_DB,
          start: int = 0) -> np.ndarray:
    """`audio` ((channels, samples) float32) with the watermark of `payload` (0 to 2^64-1) in it;
    `start`: where `audio` begins in the whole file (a multiple of the hop: see `embed_stream`).

    The change is worked out on the channels' mean (the mid, which detection reads) and added to
    every channel (`mark_change`). (The side channel is left alone: a part panned hard left gets
    its marked change, 22 dB down, on both sides.)
    """
    audio = np.asarray(audio, dtype=np.float32)
    return audio + mark_change(audio, rate, payload, key, strength_db, start)


def mark_change(audio: np.ndarray, rate: int, payload: int, key: bytes = KEY, strength_db: float = STRENGTH_DB,
                start: int = 0) -> np.ndarray:
    """What marking adds to every channel of `audio`: (samples,) float32. Each STFT bin of the mid
    in a band is scaled by its cell's gain (the frame's tile, counted from the file's start,
    modulo the block), and only the change is transformed back, so the rest of the signal passes
    bit for bit. The change is linear in the audio: the changes of a song's stems add up to the
    change of their sum, so marked stems still sum to the marked mix.
    """
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim != 2 or audio.shape[1] == 0:
        raise ValueError("watermark: audio must be (channels, samples)")
    n_fft, hop = _frames(rate)
    if start % hop:
        raise ValueError(f"watermark: a part of a file must start on a hop ({hop} samples)")
    half = np.searchsorted(band_edges(), np.fft.rfftfreq(n_fft, 1 / rate), side="right") - 1
    bins = np.flatnonzero((half >= 0) & (half < 2 * BANDS))
    band, polarity = half[bins] // 2, 1 - 2 * (half[bins] % 2)  # a band's lower half up, its upper half down
    # the gain minus one of every block tile at every in-band bin: the change a frame adds
    table = (10 ** (strength_db * cell_signs(payload, key)[:, band] * polarity / 20) - 1).astype(np.float32)
    frames = -(-audio.shape[1] // hop) + 1
    tiles = ((np.arange(frames) * hop + start) / rate // TILE_S).astype(np.int64) % BLOCK_TILES
    window = np.hanning(n_fft + 1)[:-1].astype(np.float32) ** 0.5  # sqrt-Hann in and out: Hann overlapped
    # the mid: a stereo pair summed and halved (the same float32 numbers as mean(axis=0), three times faster)
    mid = (audio[0] + audio[1]) * np.float32(0.5) if audio.shape[0] == 2 else audio.mean(axis=0)
    mid = np.pad(mid, (n_fft // 2, n_fft + hop))
    view = np.lib.stride_tricks.sliding_window_view(mid, n_fft)[::hop][:frames]
    added = np.zeros((frames + n_fft // hop, hop), dtype=np.float32)
    low, high = bins[0], bins[-1] + 1  # the band's bins are one run; irfft pads the bins above with zeros
    synthesis = window * np.float32(2 * hop / n_fft)  # sqrt-Hann squares overlapped add up to n_fft / (2 hop)
    overlap = n_fft // hop  # frames covering each hop
    # a frame of silence (a stem's rests) adds nothing: only the frames with sound are transformed
    hop_sounds = mid[:mid.size // hop * hop].reshape(-1, hop).any(axis=1)
    sounding = np.lib.stride_tricks.sliding_window_view(hop_sounds, overlap)[:frames].any(axis=1)
    # FFTs on this thread alone: sealing marks two stems at a time on the writer threads, where
    # FFT worker threads only add switching (eight marks on two threads: 1.63 s against 2.24 s)
    for first in range(0, frames, EMBED_FRAMES):  # a few seconds at a time: small arrays stay in cache
        last = min(frames, first + EMBED_FRAMES)
        rows = np.flatnonzero(sounding[first:last]) + first
        if rows.size == 0:
            continue
        whole = rows.size == last - first
        spectrum = scipy.fft.rfft((view[first:last] if whole else view[rows]) * window, axis=1)
        delta = np.zeros((rows.size, high), dtype=spectrum.dtype)
        delta[:, low:] = spectrum[:, low:high] * table[tiles[rows]]
        pieces = scipy.fft.irfft(delta, n=n_fft, axis=1)
        pieces *= synthesis
        for k in range(overlap):  # overlap-add: each frame's k-th hop lands k hops on
            if whole:
                added[first + k:last + k] += pieces[:, k * hop:(k + 1) * hop]
            else:
                added[rows + k] += pieces[:, k * hop:(k + 1) * hop]  # rows are distinct: += adds each once
    return added.reshape(-1)[n_fft // 2:n_fft // 2 + audio.shape[1]]


def embed_stream(read, frames: int, rate: int, payload: int, write, key: bytes = KEY,
                 block_seconds: float = 30.0) -> None:
    """Mark audio too long to hold whole: `read(lo, hi)` gives its frames [lo, hi) as
    (channels, hi - lo) float32 (silence outside it), `write(block)` takes the marked audio in
    order. Each block is marked with an STFT frame's worth of context on both sides, so it comes
    out the same as `embed` on the whole (a frame changes only the samples it covers).

    >>> music = np.random.default_rng(2).normal(0, 0.1, (2, 44100 * 3)).astype(np.float32)
    >>> parts = []
    >>> embed_stream(lambda lo, hi: music[:, max(lo, 0):hi], music.shape[1], 44100, 7, parts.append, block_seconds=1)
    >>> bool(np.allclose(np.concatenate(parts, axis=1), embed(music, 44100, 7), atol=1e-6))
    True
    """
    n_fft, hop = _frames(rate)
    step = max(hop, int(block_seconds * rate) // hop * hop)
    for first in range(0, frames, step):
        last = min(frames, first + step)
        lo, hi = max(0, first - n_fft), min(frames, last + n_fft)  # first - n_fft is a multiple of the hop too
        marked = embed(read(lo, hi), rate, payload, key, start=lo)
        write(marked[:, first - lo:last - lo])


@dataclass(frozen=True)
class Detection:
    """What `detect` found: the payload (None: no watermark, or one too damaged to read), the
    strongest sync correlation `z` against the `threshold`, the speed it was found at, and how many
    windows carried the mark out of how many were searched."""

    payload: int | None
    z: float
    threshold: float
    speed: float
    windows: tuple[int, int] = field(default=(0, 0))

    @property
    def found(self) -> bool:
        return self.payload is not None

    def to_dict(self) -> dict:
        """For JSON: whether a mark was found, its payload in hex, the sync z and its threshold."""
        return {"found": self.found, "payload": None if self.payload is None else f"0x{self.payload:016x}",
                "z": self.z, "threshold": self.threshold, "speed": self.speed,
                "windows_marked": self.windows[0], "windows": self.windows[1]}


def mark_snr_db(music: np.ndarray, marked: np.ndarray) -> float:
    """How far under the music the mark lies: the music's energy over the change's, in dB.

    >>> round(mark_snr_db(np.ones(4), np.full(4, 1.1)), 1)
    20.0
    """
    change = np.sum((np.asarray(marked, dtype=np.float64) - music) ** 2)
    return float(10 * np.log10(np.sum(np.asarray(music, dtype=np.float64) ** 2) / change)) if change > 0 else math.inf


def threshold(windows: int) -> float:
    """The z a window's best sync must reach: the hypotheses tried (speeds x frames within a
    tile x tiles in the block, in every window) times Hoeffding's exp(-z^2/2) times the CRC's
    2^-16 stay under FALSE_ALARM.

    >>> round(threshold(1), 2), round(threshold(12), 2)
    (6.22, 6.61)
    """
    hypotheses = windows * len(SPEEDS) * TILE_FRAMES * BLOCK_TILES
    return math.sqrt(2 * math.log(hypotheses * 2.0 ** -CRC_BITS / FALSE_ALARM))


def _spectrum(audio: np.ndarray, rate: int) -> np.ndarray:
    """The power spectrum of the mono sum every 8 ms at 16 kHz: (frames, N_FFT // 2 + 1)."""
    mono = np.asarray(audio, dtype=np.float32)
    mono = mono.mean(axis=0) if mono.ndim == 2 else mono
    mono = resample(mono, rate, RATE).astype(np.float32, copy=False)
    if mono.size < N_FFT:
        return np.zeros((0, N_FFT // 2 + 1), dtype=np.float32)
    view = np.lib.stride_tricks.sliding_window_view(mono, N_FFT)[::HOP]
    return np.abs(scipy.fft.rfft(view * np.hanning(N_FFT).astype(np.float32), axis=1, workers=2)) ** 2


def _levels(power: np.ndarray, speed: float = 1.0) -> np.ndarray:
    """Each half band's power per frame, (frames, 2 BANDS), the bands moved by `speed` (a piece
    played 2 % fast has every band 2 % higher)."""
    half = np.searchsorted(band_edges() * speed, np.fft.rfftfreq(N_FFT, 1 / RATE), side="right") - 1
    weights = np.zeros((power.shape[1], 2 * BANDS), dtype=np.float32)
    inside = (half >= 0) & (half < 2 * BANDS)
    weights[np.flatnonzero(inside), half[inside]] = 1.0
    return power @ weights


def _contrast(levels: np.ndarray) -> np.ndarray:
    """Each band's lower half over its upper half (dB) in each tile-long stretch, minus the mean of
    the same a tile before and after, over its median deviation, clipped: (frames, BANDS), frame j
    the tile from j. (The music's own tilt and its onsets, which move both halves, cancel.)"""
    tile = np.cumsum(np.vstack([np.zeros((1, 2 * BANDS)), levels]), axis=0)
    halves = 10 * np.log10(tile[TILE_FRAMES:] - tile[:-TILE_FRAMES] + 1e-9)
    tiles = halves[:, 0::2] - halves[:, 1::2]
    if tiles.shape[0] <= 2 * TILE_FRAMES:
        return np.zeros((0, BANDS))
    diff = tiles[TILE_FRAMES:-TILE_FRAMES] - (tiles[:-2 * TILE_FRAMES] + tiles[2 * TILE_FRAMES:]) / 2
    diff -= np.median(diff, axis=0)
    spread = np.median(np.abs(diff), axis=0) * 1.4826 + 1e-6
    out = np.zeros((tiles.shape[0], BANDS))
    out[TILE_FRAMES:-TILE_FRAMES] = np.clip(diff / spread, -CLIP_MAD, CLIP_MAD)
    return out


@cache
def _sync_spectra(key: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The conjugate spectra (along the block) of the sync chips and of the sync cells: what
    `_search` correlates every fold with."""
    plan = layout(key)
    sync = np.where(plan.carries < 0, plan.chips, 0.0)
    used = (plan.carries < 0).astype(np.float64)
    return np.conj(np.fft.rfft(sync, axis=0)), np.conj(np.fft.rfft(used, axis=0))


def _search(contrast: np.ndarray, key: bytes) -> tuple[float, int, int]:
    """The best (z, frame within the tile, block tile at the first whole tile) over the folds."""
    sync_f, used_f = _sync_spectra(key)
    best = (-np.inf, 0, 0)
    for offset in range(TILE_FRAMES):
        seq = contrast[offset::TILE_FRAMES]
        folded = _fold(seq)
        if not folded.any():
            continue
        # score(m) = sum_k sum_b sync[k, b] * folded[(k + m) % N, b]: a circular correlation
        score = np.fft.irfft((np.fft.rfft(folded, axis=0) * sync_f).sum(axis=1), n=BLOCK_TILES)
        energy = np.fft.irfft((np.fft.rfft(folded ** 2, axis=0) * used_f).sum(axis=1), n=BLOCK_TILES)
        z = score / np.sqrt(np.maximum(energy, 1e-12))
        m = int(np.argmax(z))
        if z[m] > best[0]:
            best = (float(z[m]), offset, m)
    return best


def _fold(seq: np.ndarray) -> np.ndarray:
    """A sequence of tiles summed modulo the block."""
    whole = -(-seq.shape[0] // BLOCK_TILES) * BLOCK_TILES
    return np.pad(seq, ((0, whole - seq.shape[0]), (0, 0))).reshape(-1, BLOCK_TILES, BANDS).sum(axis=0)


def _soft_bits(contrast: np.ndarray, offset: int, shift: int, key: bytes) -> np.ndarray:
    plan = layout(key)
    folded = np.roll(_fold(contrast[offset::TILE_FRAMES]), -shift, axis=0)  # block tile t at row t
    data = plan.carries >= 0
    return np.bincount(plan.carries[data], weights=(plan.chips * folded)[data], minlength=CODED_BITS)


def _at_speed(levels: np.ndarray, speed: float) -> np.ndarray:
    """Band levels as they were before the audio was played `speed` times faster: frame j of the
    original was at j / speed."""
    if speed == 1.0:
        return levels
    count = int(levels.shape[0] * speed)  # (frames, half bands)
    at = np.arange(count) / speed
    low = np.minimum(at.astype(np.int64), levels.shape[0] - 1)
    high = np.minimum(low + 1, levels.shape[0] - 1)
    w = (at - low)[:, None]
    return levels[low] * (1 - w) + levels[high] * w


def detect(audio: np.ndarray, rate: int, key: bytes = KEY) -> Detection:
    """The watermark in `audio` ((channels, samples) or mono, any rate), if there is one."""
    power = _spectrum(audio, rate)
    levels = _levels(power)
    # as many windows as WINDOW_S fits whole, sharing the audio out evenly (20 s is one window)
    count = max(1, levels.shape[0] // int(WINDOW_S * RATE / HOP))
    window = -(-levels.shape[0] // count)
    starts = list(range(0, levels.shape[0], window))
    limit = threshold(len(starts))
    soft, best, carried = np.zeros(CODED_BITS), (-np.inf, 1.0), 0
    for start in starts:
        # every speed with the bands where they were (cheap), then the best one again with the
        # bands moved by it too
        piece = levels[start:start + window]
        coarse = SPEEDS.index(max(SPEEDS, key=lambda s: _search(_contrast(_at_speed(piece, s)), key)[0]))
        tried = []
        for speed in SPEEDS[max(0, coarse - 1):coarse + 2]:
            moved = _levels(power[start:start + window], speed) if speed != 1.0 else piece
            contrast = _contrast(_at_speed(moved, speed))
            tried.append((*_search(contrast, key), speed, contrast))
        z, offset, shift, speed, contrast = max(tried, key=lambda t: t[0])
        if z > best[0]:
            best = (z, speed)
        if z >= PASS_Z:
            bits = _soft_bits(contrast, offset, shift, key)
            soft += bits / (np.abs(bits).mean() + 1e-12)
            carried += 1
    payload = None
    if best[0] >= limit:
        payload = payload_of(decode(soft))
    return Detection(payload, round(best[0], 2), round(limit, 2), round(best[1], 4), (carried, len(starts)))
