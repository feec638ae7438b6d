"""Pass 1 of mastering and the decisions it leads to: what the source (and the reference) measure,
which EQ, compressor and width to apply, and which loudness to reach.

>>> import numpy as np
>>> freqs = np.linspace(0, 22050, 5)
>>> m = Measured({"integrated_lufs": -20.0}, freqs, np.ones(5), np.ones(5) * 0.5, 44100, 44100, 2, np.zeros(10))
>>> plan_chain(MasterSettings(mode="width", width=1.5), m, None).width
1.5
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from maestro_ai.io.stream import Scratch, Source
from maestro_ai.production.loudness.meters import Meter, check_audio, check_measured
from maestro_ai.production.mastering.settings import MasterSettings
from maestro_ai.production.mastering.spectrum import SpectrumMeter, centred, matching_curve, tone_curve
from maestro_ai.production.mastering.targets import Target, load_tone_target, resolve_target

SLOT = 4096  # frames per point of the gain-reduction curves (93 ms at 44.1 kHz)
GLUE_SHARE = 0.1
MATCHED_WIDTH_RANGE = (0.5, 2.0)  # how far matching a reference may narrow or widen the stereo image


@dataclass
class Measured:
    """What pass 1 learns of a file."""

    loudness: dict
    freqs: np.ndarray
    mid: np.ndarray
    side: np.ndarray
    frames: int
    sample_rate: int
    channels: int
    slot_levels_db: np.ndarray  # the RMS level of each SLOT of frames, in dBFS


def analyze(source: Source, loudness_range: bool = True, peaks: bool = True, keep: Scratch | None = None,
            task: str = "master") -> Measured:
    """Pass 1: loudness (its range and the peaks unless not wanted) and average mid/side spectra,
    streamed; the decoded audio is kept in `keep` when given (decoding an MP3 again would cost more).
    `task` names what the file is for, in the message that refuses it."""
    meter = Meter(source.channels, source.sample_rate, loudness_range=loudness_range, peaks=peaks)
    spectrum = SpectrumMeter(source.channels, source.sample_rate, stride=4)
    slot_power = []
    for block in source.blocks():
        if not np.isfinite(block).all():  # before anything computes with it
            check_audio(source.path.name, task, block.shape[1], source.sample_rate, False, False)
        meter.add(block)
        spectrum.add(block)
        usable = block.shape[1] // SLOT * SLOT
        slot_power.append(np.square(block[:, :usable]).reshape(block.shape[0], -1, SLOT).mean(axis=(0, 2)))
        if keep is not None:
            keep.append(block)
    loudness = check_measured(source.path.name, task, meter, source.sample_rate)
    loudness["duration_seconds"] = round(meter.frames / source.sample_rate, 3)
    levels_db = 10 * np.log10(np.maximum(np.concatenate(slot_power), 1e-12))
    return Measured(loudness, spectrum.freqs, spectrum.mid(), spectrum.side(), meter.frames,
                    source.sample_rate, source.channels, levels_db)


@dataclass
class Chain:
    """The processing of pass 2: EQ curves (dB per FFT bin) for mid and side, width, compressor."""

    mid_db: np.ndarray | None = None
    side_db: np.ndarray | None = None
    width: float = 1.0
    compressor: dict | None = None
    notes: list[str] = field(default_factory=list)


def _side_ratio(a: Measured) -> float:
    band = (a.freqs >= 100) & (a.freqs <= 8000)
    return float(a.side[band].sum() / max(a.mid[band].sum(), 1e-20))


def plan_chain(settings: MasterSettings, src: Measured, ref: Measured | None) -> Chain:
    """Decide the EQ, compressor and width from the analyses."""
    chain = Chain()
    stereo = src.channels == 2
    if settings.mode in ("full", "tone"):
        if ref is not None:
            mid = matching_curve(src.freqs, src.mid, ref.mid)
            chain.mid_db = centred(src.freqs, mid, src.mid)
            if stereo and ref.channels == 2:
                side = matching_curve(src.freqs, src.side, ref.side)
                # Full mode keeps the reference's side-to-mid balance (its width); tone mode only its shape.
                chain.side_db = side - (mid - chain.mid_db) if settings.mode == "full" else centred(src.freqs, side, src.side)
            else:
                chain.side_db = chain.mid_db
            chain.notes.append(f"EQ matches the reference's mid{'/side' if stereo else ''} spectrum (third-octave)")
        else:
            tone = load_tone_target(settings.tone)
            chain.mid_db = chain.side_db = tone_curve(src.freqs, src.mid, list(tone.bands_hz), list(tone.levels_db),
                                                      tone.strength, tone.limit_db)
            chain.notes.append(f"EQ moves {tone.strength:.0%} of the way to the {tone.name!r} tone target "
                               f"(at most {tone.limit_db:g} dB)")
    if stereo and settings.mode in ("full", "width"):
        width = 1.0
        if ref is not None and ref.channels == 2 and settings.mode == "width":
            ratio = _side_ratio(ref) / max(_side_ratio(src), 1e-9)
            width = float(np.clip(np.sqrt(ratio), *MATCHED_WIDTH_RANGE))
            chain.notes.append(f"width {width:.2f} matches the reference's side-to-mid balance")
        chain.width = width * (settings.width if settings.width is not None else 1.0)
    if settings.mode == "full" and ref is None and settings.glue:
        # Glue: 2:1 on the loudest moments only, the top GLUE_SHARE of the song's 93 ms levels
        # (the compressor's detector follows the average level, not the peaks).
        sounding = src.slot_levels_db[src.slot_levels_db > src.loudness["integrated_lufs"] - 20]
        threshold = float(np.percentile(sounding, 100 * (1 - GLUE_SHARE))) if sounding.size else -10.0
        chain.compressor = {"threshold_db": round(threshold, 1), "ratio": 2.0, "attack_ms": 30.0, "release_ms": 250.0}
        chain.notes.append(f"glue compressor 2:1 above {threshold:.1f} dBFS, 30 ms attack, 250 ms release")
    return chain


def choose_target(settings: MasterSettings, src: Measured, ref: Measured | None) -> Target:
    """The loudness to reach: what was asked, else the reference's, else (tone and width modes)
    the source's own, else spotify's."""
    explicit = settings.target is not None or settings.lufs is not None
    base = resolve_target(settings.target, settings.lufs, settings.true_peak)
    if explicit or settings.mode == "loudness" and ref is None:
        return base
    if settings.mode in ("tone", "width"):
        return Target("source", src.loudness["integrated_lufs"], base.true_peak, "the source's own loudness")
    if ref is not None:
        return Target("reference", ref.loudness["integrated_lufs"], base.true_peak, "the reference's loudness")
    return base
