"""Mastering a file: to a loudness target, towards a reference or a tone target, never whole in memory.

Three streamed passes, so memory stays flat for any length:

1. analysis: loudness, true peak and mid/side spectra of the source (and of the reference);
2. processing: a matching or tone EQ (linear-phase FIR on mid and side), a glue compressor and
   stereo width, blended with the dry signal by `mix`, into a raw scratch file, measuring loudness;
3. loudness: the gain planned from that measurement and the true-peak limiter, into the encoder.
   The result is measured as it is written; a miss of more than 0.2 LU (or, for MP3, a decoded
   true peak over the ceiling) runs this pass again with a corrected plan.

>>> import numpy as np, tempfile, pathlib
>>> from maestro_ai.io.audio import write_audio
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> rng = np.random.default_rng(1)
>>> _ = write_audio(folder / "in.wav", 0.05 * rng.standard_normal((2, 44100 * 6)).astype(np.float32), 44100)
>>> report = master_file(folder / "in.wav", folder / "out.wav", MasterSettings(target="apple"))
>>> abs(report.output["integrated_lufs"] - -16.0) <= 0.2, report.output["true_peak_dbtp"] <= -1.0
(True, True)
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from pedalboard import Compressor
from pedalboard.io import AudioFile
from threadpoolctl import threadpool_limits

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.results import MasterPlan, MasterReport
from maestro_ai.io.atomic import atomic_path, remove_stale
from maestro_ai.io.audio import WRITE_OPTIONS
from maestro_ai.io.digest import file_sha256
from maestro_ai.io.outputs import check_file, write_error
from maestro_ai.io.sidecar import Sidecar, run_beside
from maestro_ai.io.stream import BLOCK, Scratch, Source, with_context
from maestro_ai.production.clearance import clear
from maestro_ai.production.loudness.meters import Meter, PeakMeter, PreciseTrack, dbfs
from maestro_ai.production.mastering.chain import SLOT, Chain, analyze, choose_target, plan_chain
from maestro_ai.production.mastering.report import build_report, write_report
from maestro_ai.production.mastering.settings import MasterSettings
from maestro_ai.production.mastering.song import limited, plan_gain
from maestro_ai.production.mastering.spectrum import FIRFilter, SpectrumMeter, design_fir, fft_size
from maestro_ai.production.mastering.targets import Target
from maestro_ai.provenance.credentials import AI_MADE, MIME, make_manifest, read_credentials
from maestro_ai.provenance.disclosure import mastered
from maestro_ai.provenance.seal import Seal, payload_of_record, signing_identity, unsealed
from maestro_ai.provenance.watermark import detect, embed_stream

WRITABLE = (".wav", ".flac", ".mp3")
MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
TOLERANCE_LU = 0.2
MAX_ROUNDS = 5
PRECISE_SAFETY_DB = 0.1  # other meters (ffmpeg's) read the 8x peak to about this, and round to 0.1 dB
PRECISE_SEARCH_DB = 1.5  # an 8x peak lies within this of its 4x neighbours; quieter samples are skipped
CODEC_MARGIN_DB = 0.5  # MP3 decoding overshoots the limiter's peaks by about this much at loud levels
MARK_CHECK_SECONDS = 60  # a source already marked shows it in its first minute (a 15 s window suffices)


class _Processed:
    """Pass 2's other core: appends each processed block to the scratch file and meters it; it
    also finds the source's true peak, reading the same frames of the decoded source (work that
    would otherwise lengthen pass 1, where this core is busier)."""

    def __init__(self, scratch: Scratch, source: Scratch, rate: int):
        self.scratch, self.source = scratch, source
        self.meter = Meter(scratch.channels, rate, loudness_range=False, peaks=False)
        self.source_peaks = PeakMeter()

    def add(self, block: np.ndarray) -> None:
        start = self.scratch.frames
        self.scratch.append(block)
        self.meter.add(block)
        self.source_peaks.add(self.source.read(start, start + block.shape[1]))

    def finish(self) -> tuple[float, int, dict]:
        self.scratch.flush()
        return self.meter.integrated, self.scratch.frames, self.source_peaks.result()


def _process(source: Scratch, rate: int, chain: Chain, mix: float, scratch: Scratch,
             parallel: bool) -> tuple[float, list[float], dict]:
    """Pass 2: the chain, blended with the dry signal, into `scratch`; its integrated loudness,
    the compressor's gain reduction per SLOT (dB) and the source's peaks."""
    stereo = source.channels == 2
    size = fft_size(rate)
    mid_fir = FIRFilter(design_fir(chain.mid_db, size)) if chain.mid_db is not None else None
    side_fir = None
    if mid_fir is not None and stereo:
        same = chain.side_db is chain.mid_db or np.array_equal(chain.side_db, chain.mid_db)
        side_fir = mid_fir if same else FIRFilter(design_fir(chain.side_db, size))
    context = mid_fir.delay if mid_fir else 0
    compressor = Compressor(**chain.compressor) if chain.compressor else None
    reduction: list[float] = []
    side_car = Sidecar(lambda: _Processed(scratch, source, rate), parallel)
    try:
        for dry, extended in with_context(source.blocks(), context):
            wet = dry
            if stereo and (mid_fir is not None or chain.width != 1.0):
                mid = (extended[0] + extended[1]) * 0.5
                side = (extended[0] - extended[1]) * 0.5
                if mid_fir is not None:
                    mid, side = mid_fir(mid), side_fir(side)
                else:
                    mid, side = mid[context:context + dry.shape[1]], side[context:context + dry.shape[1]]
                side = side * np.float32(chain.width)
                wet = np.stack([mid + side, mid - side])
            elif mid_fir is not None:
                wet = mid_fir(extended)
            if compressor is not None:
                before = wet
                wet = compressor(wet, rate, reset=False)
                reduction += _slot_ratio_db(wet, before)
            out = wet if mix >= 1.0 else dry + np.float32(mix) * (wet - dry)
            side_car.add(np.ascontiguousarray(out, dtype=np.float32))
        integrated, scratch.frames, source_peaks = side_car.finish()
    except BaseException:
        side_car.abort()
        raise
    return integrated, reduction, source_peaks


def _slot_ratio_db(after: np.ndarray, before: np.ndarray) -> list[float]:
    """Level change per SLOT of frames, in dB (negative: reduced)."""
    n = after.shape[1] // SLOT * SLOT
    if n == 0:
        return []
    pa = np.square(after[:, :n]).reshape(after.shape[0], -1, SLOT).sum(axis=(0, 2))
    pb = np.square(before[:, :n]).reshape(before.shape[0], -1, SLOT).sum(axis=(0, 2))
    ratio = np.where(pb > 1e-12, pa / np.maximum(pb, 1e-12), 1.0)
    return np.round(10 * np.log10(np.maximum(ratio, 1e-12)), 2).tolist()


@dataclass
class Written:
    """What pass 3 delivered: its loudness, mid spectrum, frames and the limiter's reduction per SLOT."""

    loudness: dict
    freqs: np.ndarray
    mid: np.ndarray
    frames: int
    limiter_db: list[float]
    precise_dbtp: float


class _Delivery:
    """Pass 3's helper process: encodes each mastered block into the output file and meters its
    loudness, while this process limits (two threads working ahead) and checks peaks and the
    spectrum in order."""

    def __init__(self, path: Path | None, rate: int, channels: int):
        options = dict(WRITE_OPTIONS[path.suffix.lower()]) if path else {}
        self.file = AudioFile(str(path), "w", rate, channels, **options) if path else None
        self.meter = Meter(channels, rate, peaks=False)  # the limiter knows the 4x true peaks it leaves

    def add(self, block: np.ndarray) -> None:
        if self.file:
            self.file.write(block)
        self.meter.add(block)

    def finish(self) -> tuple[dict, int]:
        if self.file:
            self.file.close()
        return self.meter.result(), self.meter.frames

    def abort(self) -> None:
        if self.file:
            self.file.close()


class _LastWindow:
    """A reader that keeps the last window it read: the limiter reads a block with its context,
    and the block itself then comes from memory, not from the disk again."""

    def __init__(self, read):
        self._read, self._lo, self._data = read, 0, None

    def __call__(self, lo: int, hi: int) -> np.ndarray:
        if self._data is None or lo < self._lo or hi > self._lo + self._data.shape[1]:
            self._data, self._lo = self._read(lo, hi), lo
        return self._data[:, lo - self._lo:hi - self._lo]


def _in_order(work, items, threads: int, ahead: int = 3):
    """work(item) for each item, computed up to `ahead` items in advance on `threads` threads,
    yielded in order (so memory holds only a few blocks, however long the file)."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        pending: deque = deque()
        for item in items:
            pending.append(pool.submit(work, item))
            if len(pending) > ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _limit_and_write(scratch: Scratch, plan: MasterPlan, path: Path | None, rate: int, parallel: bool) -> Written:
    """Pass 3: gain and true-peak limiting, block by block, into the encoder (or only metered,
    without `path`)."""
    limiter: list[float] = []
    gain = 10 ** (plan.gain_db / 20)
    peak = sample_peak = 0.0
    precise = PreciseTrack(plan.ceiling * 10 ** (-PRECISE_SEARCH_DB / 20))
    spectrum = SpectrumMeter(scratch.channels, rate, stride=4)
    side_car = Sidecar(lambda: _Delivery(path, rate, scratch.channels), parallel)

    def limit(start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        read, stop = _LastWindow(scratch.read), min(scratch.frames, start + BLOCK)
        curve, peaks = limited(read, scratch.frames, start, stop, gain, plan.ceiling, rate)
        return curve, peaks, read(start, stop) * curve

    try:
        # The limiter's blocks are independent: two threads work ahead while this one feeds the
        # encoder and the meters in order.
        for curve, peaks, out in _in_order(limit, range(0, scratch.frames, BLOCK), threads=2 if parallel else 1):
            peak = max(peak, float(peaks.max()))
            n = curve.size // SLOT * SLOT
            if n:
                least = curve[:n].reshape(-1, SLOT).min(axis=1) / gain
                limiter.extend(np.round(20 * np.log10(np.maximum(least, 1e-6)), 2).tolist())
            side_car.add(out)
            sample_peak = max(sample_peak, float(np.abs(out).max()))
            precise.add(out)
            spectrum.add(out)
        loudness, frames = side_car.finish()
    except BaseException:
        side_car.abort()
        raise
    loudness["true_peak_dbtp"], loudness["sample_peak_dbfs"] = dbfs(peak), dbfs(sample_peak)
    return Written(loudness, spectrum.freqs, spectrum.mid(), frames, limiter, precise.dbtp)


def _output_rate(path: Path, rate: int) -> int:
    if path.suffix.lower() == ".mp3" and rate not in MP3_RATES:
        return 48000 if rate > 48000 else min(r for r in MP3_RATES if r >= rate)
    return rate


def report_paths(output: Path) -> tuple[Path, Path]:
    """Where the report of a master goes: beside it, OUT.report.json and OUT.report.png."""
    return output.with_name(output.stem + ".report.json"), output.with_name(output.stem + ".report.png")


def master_file(source_path: Path | str, output: Path | str, settings: MasterSettings | None = None,
                force: bool = False, report: bool = True, parallel: bool = True, seal: bool = True,
                artist: str | None = None) -> MasterReport:
    """Master `source_path` into `output` (.wav/.flac/.mp3, 24-bit for WAV and FLAC); return the report.

    With `report`, OUT.report.json and OUT.report.png are written beside the output. `parallel`
    uses a second process for metering and encoding (see io/sidecar.py). With `seal`, the master
    carries Maestro's watermark (the source's own, if it has one; else a new id) and Content
    Credentials that name the source as its parent (see `_seal`), and the mastering is logged in
    the custody ledger. A reference that is another artist's registered work needs their style
    grant to `artist` (default: the login name; production.clearance).
    """
    if not isinstance(seal, bool):
        raise InvalidRequest(f"seal must be True or False, not {seal!r:.40}")
    clock = time.perf_counter()
    settings = (settings or MasterSettings()).check()
    if not isinstance(source_path, (str, Path)) or not str(source_path).strip():
        raise InvalidRequest(f"the audio file to master must be a path, not {source_path!r:.40}")
    source_path = Path(source_path)
    output = check_file(output, force=force, inputs=(source_path, settings.reference), suffixes=WRITABLE)
    if report:
        for path in report_paths(output):
            check_file(path, force=force, inputs=(source_path, settings.reference), what="report")
    inputs = [clear(settings.reference, "reference", artist)] if settings.reference else []
    remove_stale(output.parent)  # what killed runs left here
    # BLAS does little here (small matrices); OpenBLAS's idle threads would spin beside the passes.
    with threadpool_limits(limits=1, user_api="blas"):
        result, sealed = _master(source_path, output, settings, Source(source_path), report, parallel, clock, seal)
    recorded = [c.to_dict() for c in inputs]
    if recorded:
        result.provenance["inputs"] = recorded
    if sealed.enabled:
        sealed.log("mastered", {"source": str(source_path), "source_sha256": file_sha256(source_path),
                                "output": str(output), "output_sha256": file_sha256(output),
                                "from": [i["work"] for i in recorded if i["work"]]})
    return result


def _master(source_path: Path, output: Path, settings: MasterSettings, probe: Source, report: bool,
            parallel: bool, clock: float, seal_it: bool = True) -> tuple[MasterReport, Seal]:
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    rate = _output_rate(output, probe.sample_rate)
    source = probe if rate == probe.sample_rate else Source(source_path, rate)
    reference = Source(settings.reference, rate) if settings.reference else None
    try:
        with contextlib.ExitStack() as stack:
            decoded, scratch = (stack.enter_context(Scratch(source.channels)) for _ in range(2))
            # The master and its report are staged together: all appear at the end, or none.
            staged = stack.enter_context(atomic_path(output))
            staged_report = [stack.enter_context(atomic_path(p)) for p in report_paths(output)] if report else None
            pending = run_beside(analyze, reference, False, False, None, "use as a reference",
                                 parallel=parallel) if reference else None
            src = analyze(source, peaks=False, keep=decoded)  # its peaks come in pass 2
            ref = pending.result() if pending else None
            target = choose_target(settings, src, ref)
            chain = plan_chain(settings, src, ref)
            mix = settings.mix if settings.mode != "loudness" else 1.0
            lap("analysis")
            processed, compressor_db, source_peaks = _process(decoded, rate, chain, mix, scratch, parallel)
            src.loudness.update(source_peaks)
            lap("processing")
            seal = unsealed()
            if seal_it:
                seal, scratch = _seal(source_path, settings, decoded, scratch, rate, stack)
                lap("watermark")
            codec_margin = CODEC_MARGIN_DB if output.suffix.lower() == ".mp3" else 0.0
            plan = plan_gain(scratch.read, scratch.frames, rate, processed, target.lufs, target.true_peak - codec_margin)
            plan, written, delivered, rounds = _deliver(scratch, plan, target, staged, rate, parallel)
            missed = target.lufs - delivered["integrated_lufs"]
            if abs(missed) > TOLERANCE_LU:
                chain.notes.append(_missed_note(target, delivered["integrated_lufs"], missed))
            lap("limiting_and_writing")
            if seal.enabled:
                seal.sign(staged, _manifest(source_path, output, seal), _ingredients(source_path, settings))
                lap("signing")
            result = build_report(source_path, output, settings, target, chain, src, ref, plan, delivered,
                                  written, compressor_db, rounds, rate, source.native_rate, SLOT)
            result.provenance = seal.record()
            if staged_report:
                write_report(result, written, src, ref, *staged_report, png_name=report_paths(output)[1])
            lap("report")
            result.timings_seconds = timings
            result.seconds = round(sum(timings.values()), 3)
    except (OSError, RuntimeError) as exc:  # pedalboard reports a full disk as RuntimeError
        raise write_error(output, exc) from None
    return result, seal


def _seal(source_path: Path, settings: MasterSettings, decoded: Scratch, processed: Scratch, rate: int,
          stack: contextlib.ExitStack) -> tuple[Seal, Scratch]:
    """The seal of a master, and the audio to limit: a source that already carries Maestro's
    watermark (found in its first minute) keeps it, unmarked again (a second mark over the first
    would garble both); any other is marked, before the limiter, with an id made from the source
    file and the settings."""
    found = detect(decoded.read(0, min(decoded.frames, MARK_CHECK_SECONDS * rate)), rate)
    if found.payload is not None:
        return Seal(found.payload, signing_identity(), kept=True), processed
    settings_text = json.dumps(dataclasses.asdict(settings), sort_keys=True, default=str)
    seal = Seal(payload_of_record({"source_sha256": file_sha256(source_path), "settings": settings_text}),
                signing_identity())
    marked = stack.enter_context(Scratch(processed.channels))
    embed_stream(processed.read, processed.frames, rate, seal.payload, marked.append)
    marked.flush()
    return seal, marked


def _manifest(source_path: Path, output: Path, seal: Seal) -> dict:
    """A master's Content Credentials: edited by Maestro from the source (created from it, where
    C2PA cannot name the source: OGG, AIFF), made by AI if the source says it was, else by AI
    with a person's material; the source's disclosure with the mastering added."""
    parent = read_credentials(source_path) if source_path.suffix.lower() in MIME else {"signed": False}
    credits = mastered(parent.get("credits", {}) if parent["signed"] else {}, seal.identity.name)
    return make_manifest(output.stem, human_input=not (parent["signed"] and parent["source_type"] == AI_MADE),
                         credits=credits, action="c2pa.edited" if source_path.suffix.lower() in MIME else "c2pa.created",
                         watermark=seal.payload)


def _ingredients(source_path: Path, settings: MasterSettings) -> list[tuple[Path, str]]:
    """The source (the parent, its own credentials kept) and the reference, where C2PA can read them."""
    files = [(source_path, "parentOf")]
    if settings.reference is not None:
        files.append((Path(settings.reference), "inputTo"))
    return [(path, relation) for path, relation in files if path.suffix.lower() in MIME]


def _missed_note(target: Target, reached: float, missed: float) -> str:
    """Why a master did not land on its target."""
    if missed > 0:
        return (f"target not reached: {target.lufs:g} LUFS asks more than the limiter can give under a "
                f"{target.true_peak:g} dBTP ceiling without crushing the mix; the master is {reached:.1f} LUFS. "
                "Lower the target or raise the true-peak ceiling.")
    return (f"target not reached: the master is {reached:.1f} LUFS, {-missed:.1f} LU above {target.lufs:g} LUFS "
            "(the correction ran out of rounds)")


def _deliver(scratch: Scratch, plan: MasterPlan, target: Target, staged: Path, rate: int,
             parallel: bool) -> tuple[MasterPlan, Written, dict, int]:
    """Pass 3, repeated until the loudness is within TOLERANCE_LU of the target (the gain corrected
    each round) and the 8x true peak of what is delivered (for MP3, as decoded) is under the
    ceiling by PRECISE_SAFETY_DB (the limiter's ceiling lowered by the excess). MP3 rounds only
    meter until the loudness is right, then encode. Returns the plan of the file written, what
    was written, its loudness, and the rounds."""
    lossy = staged.suffix.lower() == ".mp3"
    allowed = target.true_peak - PRECISE_SAFETY_DB
    tried: list[tuple[float, float]] = []
    written_plan = None
    for rounds in range(1, MAX_ROUNDS + 1):  # noqa: B007  (returned)
        written = _limit_and_write(scratch, plan, None if lossy else staged, rate, parallel)
        delivered = written.loudness
        written_plan = plan if not lossy else written_plan
        error = target.lufs - delivered["integrated_lufs"]
        over = written.precise_dbtp - allowed
        if abs(error) <= TOLERANCE_LU and over <= 0 and lossy:
            written = _limit_and_write(scratch, plan, staged, rate, parallel)
            delivered, written_plan = _decoded(staged, plan.ceiling), plan
            over = delivered["true_peak_8x_dbtp"] - allowed
            error = target.lufs - delivered["integrated_lufs"]
        if over > 0:  # lower the ceiling by the excess; the loudness is corrected next round
            plan = replace(plan, ceiling=plan.ceiling * 10 ** (-(over + 0.05) / 20))
            tried = []
            continue
        if abs(error) <= TOLERANCE_LU:
            break
        tried.append((plan.gain_db, delivered["integrated_lufs"]))
        plan = replace(plan, gain_db=plan.gain_db + error / _slope(tried))
    if written_plan is not plan:  # out of rounds: deliver the last plan as it comes
        written = _limit_and_write(scratch, plan, staged, rate, parallel)
        delivered, written_plan = (_decoded(staged, plan.ceiling) if lossy else written.loudness), plan
    if not lossy:
        delivered = {**delivered, "true_peak_8x_dbtp": written.precise_dbtp}
    return written_plan, written, delivered, rounds


def _slope(tried: list[tuple[float, float]]) -> float:
    """How much louder the master got per dB of gain in the last two rounds: under heavy limiting
    much less than 1, so a plain correction would fall short round after round."""
    if len(tried) < 2 or tried[-1][0] == tried[-2][0]:
        return 1.0
    (g0, m0), (g1, m1) = tried[-2], tried[-1]
    return float(np.clip((m1 - m0) / (g1 - g0), 0.1, 1.5))


def _decoded(path: Path, ceiling: float) -> dict:
    """Loudness and true peaks (4x and 8x) of an encoded file as a player decodes it."""
    source = Source(path)
    meter = Meter(source.channels, source.sample_rate)
    precise = PreciseTrack(ceiling * 10 ** (-PRECISE_SEARCH_DB / 20))
    for block in source.blocks():
        meter.add(block)
        precise.add(block)
    return {**meter.result(), "true_peak_8x_dbtp": precise.dbtp}
