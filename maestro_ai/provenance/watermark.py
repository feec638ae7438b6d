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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import scipy.fft

from maestro_ai.io.bandlimit import resample_band
from maestro_ai.provenance.codes import CODED_BITS, CRC_BITS, decode, encode, payload_bits, payload_of

KEY = b"maestro-ai watermark v1"  # Maestro's own key: any copy of Maestro finds its marks
STRENGTH_DB = 1.25  # 1.0 read 7 of 9 15-second cuts of a jazz mix, 1.25 all 9 (mark 22 dB under the music)
LOW_HZ, HIGH_HZ, BANDS = 400.0, 3600.0, 24
TILE_S = 0.064
BLOCK_TILES = 125
SYNC_SHARE = 0.25
RATE = 16000  # detection's sample rate
DETECT_PASS_HZ = 6000.0  # the audio is brought to RATE flat to here (the bands end at 3.6 kHz, 3.7 at 2 % fast)
N_FFT, HOP = 1024, 128  # 32 ms frames every 8 ms: a tile is TILE_FRAMES frames
TILE_FRAMES = round(TILE_S * RATE / HOP)
WINDOW_S = 15.0
SPEEDS = tuple(1 + k * 0.0025 for k in range(-8, 9))
CLIP_MAD = 3.0
FALSE_ALARM = 1e-9
EMBED_FRAMES = 512  # STFT frames worked on at once
MARK_RATE_MIN = 10000  # the mark is worked out at no less than this rate (Hz): see _decimation
MARK_PASS_HZ = 4000.0  # and brought down to it and back flat to here (the bands end at 3.6 kHz)
CHANGE_CONTEXT = 1024  # low-rate samples either side of a part of a change brought up (the filter's reach: 256)
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


def _decimation(rate: int) -> int:
    """How many times slower than `rate` the mark is worked out: the largest power of two that
    keeps the rate at MARK_RATE_MIN or more and divides the rate and the STFT's hop (4 at 44.1 and
    48 kHz). The mark lives under 3.6 kHz: at a quarter of the rate its STFTs cost a quarter.

    >>> _decimation(44100), _decimation(48000), _decimation(22050), _decimation(16000)
    (4, 4, 2, 1)
    """
    hop = _frames(rate)[1]
    q = 1
    while rate // (2 * q) >= MARK_RATE_MIN and rate % (2 * q) == 0 and hop % (2 * q) == 0:
        q *= 2
    return q


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
    """What marking adds to every channel of `audio`: (samples,) float32 (`change_of`, brought up
    to the audio's rate)."""
    return change_of(audio, rate, payload, key, strength_db, start).full()


@dataclass(frozen=True)
class Change:
    """What marking adds to a piece of audio, held at the rate the mark was worked out at
    (`low`, at rate // `_decimation(rate)`; None: nothing) until `full` brings it up to `frames`
    samples at `rate`. Changes add up: the changes of a song's stems make the change of their sum.

    >>> music = np.random.default_rng(4).normal(0, 0.1, (2, 44100 * 3)).astype(np.float32)
    >>> parts = change_of(music * 0.25, 44100, 9) + change_of(music * 0.75, 44100, 9)
    >>> bool(np.allclose(parts.full(), mark_change(music, 44100, 9), atol=1e-6))
    True
    >>> pieces = np.concatenate([parts.full(k, k + 40000) for k in range(0, parts.frames, 40000)])
    >>> bool(np.allclose(pieces, parts.full(), atol=1e-7))
    True
    """

    low: np.ndarray | None
    rate: int
    frames: int

    def __add__(self, other: Change) -> Change:
        if (self.rate, self.frames) != (other.rate, other.frames):
            raise ValueError("watermark: changes of audio of different lengths or rates do not add up")
        if self.low is None or other.low is None:
            return other if self.low is None else self
        return Change(self.low + other.low, self.rate, self.frames)

    def full(self, first: int = 0, last: int | None = None) -> np.ndarray:
        """The change at the audio's rate, frames [first, last) of it (all by default): float32.
        A part is brought up with CHANGE_CONTEXT samples of the low rate on each side, where the
        resampling filter has died away, so parts put together are the whole (a long song's
        stems are written 30 s at a time, with no whole change at the full rate in memory)."""
        last = self.frames if last is None else min(last, self.frames)
        if self.low is None:
            return np.zeros(max(0, last - first), dtype=np.float32)
        q = _decimation(self.rate)
        if q == 1:
            return self.low[first:last]
        lo, hi = max(0, first // q - CHANGE_CONTEXT), min(self.low.size, -(-last // q) + CHANGE_CONTEXT)
        up = resample_band(self.low[lo:hi], self.rate // q, self.rate, MARK_PASS_HZ, self.rate / q / 2)
        return up[first - lo * q:last - lo * q]


def change_of(audio: np.ndarray, rate: int, payload: int, key: bytes = KEY, strength_db: float = STRENGTH_DB,
              start: int = 0) -> Change:
    """The mark's change to `audio` ((channels, samples)), added to every channel. Each STFT bin
    of the mid in a band is scaled by its cell's gain (the frame's tile, counted from the file's
    start, modulo the block), and only the change is transformed back, so the rest of the signal
    passes bit for bit. The change is linear in the audio: the changes of a song's stems add up to
    the change of their sum, so marked stems still sum to the marked mix.

    The STFTs run at a fraction of the rate (`_decimation`): the mid is brought down to it by
    `resample_band`, flat to MARK_PASS_HZ, well above the bands (and `Change.full` brings the
    change back up). The frames (40 ms, every 10 ms) and their bins (21.5 Hz apart at 44.1 kHz)
    are the same at either rate.
    """
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim != 2 or audio.shape[1] == 0:
        raise ValueError("watermark: audio must be (channels, samples)")
    n_fft, hop = _frames(rate)
    if start % hop:
        raise ValueError(f"watermark: a part of a file must start on a hop ({hop} samples)")
    # the mid: a stereo pair summed and halved (the same float32 numbers as mean(axis=0), three times faster)
    if audio.shape[0] == 2:
        mid = np.add(audio[0], audio[1])
        mid *= np.float32(0.5)
    else:
        mid = audio.mean(axis=0)
    frames = -(-mid.size // hop) + 1
    # a frame of silence (a stem's rests) adds nothing: only the frames with sound are transformed
    hop_sounds = np.zeros(frames + n_fft // hop, dtype=bool)
    whole_hops = mid.size // hop
    hop_sounds[n_fft // 2 // hop:n_fft // 2 // hop + whole_hops] = mid[:whole_hops * hop].reshape(-1, hop).any(axis=1)
    if mid.size > whole_hops * hop:
        hop_sounds[n_fft // 2 // hop + whole_hops] = mid[whole_hops * hop:].any()
    sounding = np.lib.stride_tricks.sliding_window_view(hop_sounds, n_fft // hop)[:frames].any(axis=1)
    if not sounding.any():
        return Change(None, rate, mid.size)
    q = _decimation(rate)
    low_rate = rate // q
    low = resample_band(mid, rate, low_rate, MARK_PASS_HZ, low_rate / 2) if q > 1 else mid
    gains = _gain_table(payload, key, strength_db, low_rate, n_fft // q)
    return Change(_band_change(low, low_rate, n_fft // q, hop // q, start // q, sounding, gains), rate, mid.size)


def _gain_table(payload: int, key: bytes, strength_db: float, rate: int, n_fft: int) -> tuple[int, np.ndarray]:
    """The first in-band bin of an `n_fft` frame at `rate`, and for every block tile the gain
    minus one of each in-band bin from it: the change a frame adds."""
    half = np.searchsorted(band_edges(), np.fft.rfftfreq(n_fft, 1 / rate), side="right") - 1
    bins = np.flatnonzero((half >= 0) & (half < 2 * BANDS))  # one run of bins
    band, polarity = half[bins] // 2, 1 - 2 * (half[bins] % 2)  # a band's lower half up, its upper half down
    return int(bins[0]), (10 ** (strength_db * cell_signs(payload, key)[:, band] * polarity / 20) - 1).astype(np.float32)


def _band_change(mid: np.ndarray, rate: int, n_fft: int, hop: int, start: int, sounding: np.ndarray,
                 gains: tuple[int, np.ndarray]) -> np.ndarray:
    """The mark's change to `mid` at `rate`: its STFT (sqrt-Hann frames of `n_fft` every `hop`,
    the first centred on sample 0), each sounding frame's in-band bins times their tile's gains
    minus one, transformed back and overlapped."""
    low, table = gains
    high = low + table.shape[1]
    frames = sounding.size
    tiles = ((np.arange(frames) * hop + start) / rate // TILE_S).astype(np.int64) % BLOCK_TILES
    window = np.hanning(n_fft + 1)[:-1].astype(np.float32) ** 0.5  # sqrt-Hann in and out: Hann overlapped
    padded = np.zeros(frames * hop + n_fft, dtype=np.float32)
    padded[n_fft // 2:n_fft // 2 + mid.size] = mid[:padded.size - n_fft // 2]
    view = np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop][:frames]
    added = np.zeros((frames + n_fft // hop, hop), dtype=np.float32)
    synthesis = window * np.float32(2 * hop / n_fft)  # sqrt-Hann squares overlapped add up to n_fft / (2 hop)
    overlap = n_fft // hop  # frames covering each hop
    changed = np.zeros((min(EMBED_FRAMES, frames), n_fft // 2 + 1), dtype=np.complex64)  # zero outside the bands
    # FFTs on this thread alone: sealing works out two stems' changes at a time on the pipeline's
    # workers, where FFT worker threads only add switching (eight marks on two threads: 1.63 s against 2.24 s)
    for first in range(0, frames, EMBED_FRAMES):  # a few seconds at a time: small arrays stay in cache
        last = min(frames, first + EMBED_FRAMES)
        rows = np.flatnonzero(sounding[first:last]) + first
        if rows.size == 0:
            continue
        whole = rows.size == last - first
        spectrum = scipy.fft.rfft((view[first:last] if whole else view[rows]) * window, axis=1)
        np.multiply(spectrum[:, low:high], table[tiles[rows]], out=changed[:rows.size, low:high])
        pieces = scipy.fft.irfft(changed[:rows.size], n=n_fft, axis=1)
        pieces *= synthesis
        for k in range(overlap):  # overlap-add: each frame's k-th hop lands k hops on
            if whole:
                added[first + k:last + k] += pieces[:, k * hop:(k + 1) * hop]
            else:
                added[rows + k] += pieces[:, k * hop:(k + 1) * hop]  # rows are distinct: += adds each once
    return added.reshape(-1)[n_fft // 2:n_fft // 2 + mid.size]


def embed_stream(read, frames: int, rate: int, payload: int, write, key: bytes = KEY,
                 block_seconds: float = 30.0) -> None:
    """Mark audio too long to hold whole: `read(lo, hi)` gives its frames [lo, hi) as
    (channels, hi - lo) float32 (silence outside it), `write(block)` takes the marked audio in
    order. Each block is marked with three STFT frames' worth of context on both sides, so it comes
    out the same as `embed` on the whole (a frame changes only the samples it covers, and the
    resampling filters reach less than a frame further).

    >>> music = np.random.default_rng(2).normal(0, 0.1, (2, 44100 * 3)).astype(np.float32)
    >>> parts = []
    >>> embed_stream(lambda lo, hi: music[:, max(lo, 0):hi], music.shape[1], 44100, 7, parts.append, block_seconds=1)
    >>> bool(np.allclose(np.concatenate(parts, axis=1), embed(music, 44100, 7), atol=1e-6))
    True
    """
    n_fft, hop = _frames(rate)
    step = max(hop, int(block_seconds * rate) // hop * hop)
    context = 3 * n_fft  # a frame's reach, and the resampling filters' on either side of it
    for first in range(0, frames, step):
        last = min(frames, first + step)
        lo, hi = max(0, first - context), min(frames, last + context)  # first - context is a multiple of the hop too
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
    if rate != RATE:  # only the bands matter: flat to DETECT_PASS_HZ, 2.5 times faster than a polyphase filter
        stop = min(rate, RATE) / 2
        mono = resample_band(mono, rate, RATE, min(DETECT_PASS_HZ, 0.9 * stop), stop)
    if mono.size < N_FFT:
        return np.zeros((0, N_FFT // 2 + 1), dtype=np.float32)
    view = np.lib.stride_tricks.sliding_window_view(mono, N_FFT)[::HOP]
    return np.abs(scipy.fft.rfft(view * np.hanning(N_FFT).astype(np.float32), axis=1, workers=2)) ** 2


def _levels(power: np.ndarray, speed: float = 1.0) -> np.ndarray:
    """Each half band's power per frame, (2 BANDS, frames), the bands moved by `speed` (a piece
    played 2 % fast has every band 2 % higher)."""
    half = np.searchsorted(band_edges() * speed, np.fft.rfftfreq(N_FFT, 1 / RATE), side="right") - 1
    weights = np.zeros((2 * BANDS, power.shape[1]), dtype=np.float32)
    inside = (half >= 0) & (half < 2 * BANDS)
    weights[half[inside], np.flatnonzero(inside)] = 1.0
    return weights @ power.T


def _contrast(levels: np.ndarray) -> np.ndarray:
    """Each band's tilt (`_tilts`) minus the mean of the same a tile before and after, over its
    median deviation, clipped (`_normalised`): (BANDS, frames), frame j the tile from j. (The
    music's own tilt and its onsets, which move both halves, cancel.) `levels`: (2 BANDS,
    frames), as `_levels` gives them."""
    return _normalised(_tilts(levels))


def _tilts(levels: np.ndarray) -> np.ndarray:
    """Each band's lower half over its upper half (dB) in each tile-long stretch: (BANDS, frames -
    TILE_FRAMES + 1). Band-major, so each band's frames lie together."""
    tile = np.zeros((2 * BANDS, levels.shape[1] + 1))
    np.cumsum(levels, axis=1, out=tile[:, 1:])
    sums = tile[:, TILE_FRAMES:] - tile[:, :-TILE_FRAMES]
    sums += 1e-9
    return 10 * np.log10(sums[0::2] / sums[1::2])  # one logarithm of the ratio, not one of each half


def _normalised(tilts: np.ndarray) -> np.ndarray:
    """Tilts minus the mean of those a tile before and after, over their median deviation (each
    band its own), clipped at CLIP_MAD: (BANDS, frames), zero at the ends."""
    if tilts.shape[1] <= 2 * TILE_FRAMES:
        return np.zeros((BANDS, 0))
    diff = tilts[:, TILE_FRAMES:-TILE_FRAMES] - (tilts[:, :-2 * TILE_FRAMES] + tilts[:, 2 * TILE_FRAMES:]) / 2
    diff -= _row_medians(diff.copy())[:, None]  # partitions along each band's own row: three times faster
    spread = _row_medians(np.abs(diff)) * 1.4826 + 1e-6
    out = np.zeros((BANDS, tilts.shape[1]))
    np.clip(diff / spread[:, None], -CLIP_MAD, CLIP_MAD, out=out[:, TILE_FRAMES:-TILE_FRAMES])
    return out


def _row_medians(rows: np.ndarray) -> np.ndarray:
    """np.median(rows, axis=1) for rows with no NaN, worked out in place (numpy's own also looks
    for NaNs, a third selection).

    >>> _row_medians(np.array([[3.0, 1.0, 2.0], [4.0, 1.0, 3.0]]))
    array([2., 3.])
    """
    n = rows.shape[1]
    if n % 2:
        rows.partition(n // 2, axis=1)
        return rows[:, n // 2]
    rows.partition((n // 2 - 1, n // 2), axis=1)
    return (rows[:, n // 2 - 1] + rows[:, n // 2]) / 2


@cache
def _sync_spectra(key: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The conjugate spectra (along the block) of the sync chips and of the sync cells: what
    `_search` correlates every fold with."""
    plan = layout(key)
    sync = np.where(plan.carries < 0, plan.chips, 0.0)
    used = (plan.carries < 0).astype(np.float64)
    return np.conj(np.fft.rfft(sync, axis=0)), np.conj(np.fft.rfft(used, axis=0))


def _search(contrast: np.ndarray, key: bytes) -> tuple[float, int, int]:
    """The best (z, frame within the tile, block tile at the first whole tile) over the folds of
    `contrast` (BANDS, frames): every frame within the tile at once."""
    sync_f, used_f = _sync_spectra(key)
    folded = _folds(contrast)  # (TILE_FRAMES, BLOCK_TILES, BANDS)
    # score(m) = sum_k sum_b sync[k, b] * folded[(k + m) % N, b]: a circular correlation
    score = np.fft.irfft((np.fft.rfft(folded, axis=1) * sync_f).sum(axis=2), n=BLOCK_TILES, axis=1)
    energy = np.fft.irfft((np.fft.rfft(folded ** 2, axis=1) * used_f).sum(axis=2), n=BLOCK_TILES, axis=1)
    z = score / np.sqrt(np.maximum(energy, 1e-12))
    z[~folded.any(axis=(1, 2))] = -np.inf  # a frame offset with nothing in it is no hypothesis
    offset, m = np.unravel_index(int(np.argmax(z)), z.shape)
    return float(z[offset, m]), int(offset), int(m)


def _folds(contrast: np.ndarray) -> np.ndarray:
    """For each frame within the tile, the tiles from it summed modulo the block:
    (TILE_FRAMES, BLOCK_TILES, BANDS)."""
    frames = contrast.shape[1]
    tiles = -(-frames // TILE_FRAMES)
    blocks = -(-tiles // BLOCK_TILES)
    grid = np.zeros((BANDS, blocks * BLOCK_TILES * TILE_FRAMES))
    grid[:, :frames] = contrast
    # grid[b, (block * BLOCK_TILES + tile) * TILE_FRAMES + offset]: summed over the blocks
    return grid.reshape(BANDS, blocks, BLOCK_TILES, TILE_FRAMES).sum(axis=1).transpose(2, 1, 0)


def _soft_bits(contrast: np.ndarray, offset: int, shift: int, key: bytes) -> np.ndarray:
    plan = layout(key)
    folded = np.roll(_folds(contrast)[offset], -shift, axis=0)  # block tile t at row t
    data = plan.carries >= 0
    return np.bincount(plan.carries[data], weights=(plan.chips * folded)[data], minlength=CODED_BITS)


def _at_speed(levels: np.ndarray, speed: float) -> np.ndarray:
    """Band levels or tilts ((bands, frames)) as they were before the audio was played `speed`
    times faster: frame j of the original was at j / speed."""
    if speed == 1.0:
        return levels
    count = int(levels.shape[1] * speed)
    at = np.arange(count) / speed
    low = np.minimum(at.astype(np.int64), levels.shape[1] - 1)
    high = np.minimum(low + 1, levels.shape[1] - 1)
    w = (at - low).astype(np.float32)
    return levels[:, low] * (1 - w) + levels[:, high] * w


def detect(audio: np.ndarray, rate: int, key: bytes = KEY) -> Detection:
    """The watermark in `audio` ((channels, samples) or mono, any rate), if there is one."""
    power = _spectrum(audio, rate)
    # as many windows as WINDOW_S fits whole, sharing the audio out evenly (20 s is one window)
    count = max(1, power.shape[0] // int(WINDOW_S * RATE / HOP))
    window = -(-power.shape[0] // count)
    pieces = [power[start:start + window] for start in range(0, power.shape[0], window)]
    limit = threshold(len(pieces))
    # the windows are searched two at a time: most of the work is numpy's, which lets go of the GIL
    with ThreadPoolExecutor(min(2, len(pieces))) as pool:
        found = list(pool.map(lambda piece: _search_window(piece, key), pieces))
    soft, best, carried = np.zeros(CODED_BITS), (-np.inf, 1.0), 0
    for z, speed, bits in found:  # in order: the soft bits add up the same way every time
        if z > best[0]:
            best = (z, speed)
        if bits is not None:
            soft += bits / (np.abs(bits).mean() + 1e-12)
            carried += 1
    payload = None
    if best[0] >= limit:
        payload = payload_of(decode(soft))
    return Detection(payload, round(best[0], 2), round(limit, 2), round(best[1], 4), (carried, len(pieces)))


def _search_window(power: np.ndarray, key: bytes) -> tuple[float, float, np.ndarray | None]:
    """A window's best sync z, the speed it was found at, and its soft bits if z reaches PASS_Z.
    Every speed is tried on the tilts as they are, stretched in time (cheap: a tile of 8 frames
    read as one of 7.84 to 8.16 changes little), then the best one and its neighbours again with
    the band levels stretched and the bands moved by the speed too."""
    piece = _levels(power)
    tilts = _tilts(piece)
    stretched = {speed: _normalised(_at_speed(tilts, speed)) for speed in SPEEDS}
    coarse = SPEEDS.index(max(SPEEDS, key=lambda speed: _search(stretched[speed], key)[0]))
    tried = []
    for speed in SPEEDS[max(0, coarse - 1):coarse + 2]:  # at speed 1 nothing moves: the coarse contrast is the one
        contrast = stretched[speed] if speed == 1.0 else _contrast(_at_speed(_levels(power, speed), speed))
        tried.append((*_search(contrast, key), speed, contrast))
    z, offset, shift, speed, contrast = max(tried, key=lambda t: t[0])
    return z, speed, _soft_bits(contrast, offset, shift, key) if z >= PASS_Z else None
