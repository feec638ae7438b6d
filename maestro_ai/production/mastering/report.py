"""The mastering report beside each master: JSON (every figure) and a PNG (spectra before and
after, gain reduction over time).

>>> import numpy as np
>>> freqs = np.linspace(0, 22050, 2049)
>>> eq_bands(freqs, np.full(2049, 1.5), None)["mid"]["1000"]
1.5
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from maestro_ai.core.results import MasterReport
from maestro_ai.production.mastering.chart import Canvas
from maestro_ai.production.mastering.spectrum import smooth, to_db

OCTAVES_HZ = (31.5, 63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000)


def eq_bands(freqs: np.ndarray, mid_db: np.ndarray | None, side_db: np.ndarray | None) -> dict | None:
    """The EQ curves read at the octave centres, in dB (None when no EQ was applied)."""
    if mid_db is None:
        return None

    def at(curve: np.ndarray) -> dict[str, float]:
        return {f"{f:g}": round(float(np.interp(f, freqs, curve)), 2) for f in OCTAVES_HZ}

    return {"mid": at(mid_db), "side": at(side_db if side_db is not None else mid_db)}


def spectrum_points(freqs: np.ndarray, power: np.ndarray, per_octave: int = 6) -> tuple[list[float], list[float]]:
    """A third-octave-smoothed spectrum in dB, read at `per_octave` points an octave, 20 Hz-20 kHz."""
    points = 20.0 * 2 ** (np.arange(0, 10 * per_octave + 1) / per_octave)
    points = points[points <= min(20000.0, freqs[-1])]
    level = np.interp(points, freqs, to_db(smooth(freqs, power)))
    return [round(float(f), 1) for f in points], [round(float(v), 2) for v in level]


def build_report(source_path: Path, output: Path, settings, target, chain, src, ref, plan, delivered: dict, written,
                 compressor_db: list[float], rounds: int, rate: int, native_rate: int, slot: int) -> MasterReport:
    """Every figure of a master (mastering.file's passes hand them over)."""
    limiter = np.array(written.limiter_db or [0.0])
    return MasterReport(
        input={"path": str(source_path), "sample_rate": native_rate, "processed_at": src.sample_rate,
               "channels": src.channels, **src.loudness},
        output={"path": str(output), "sample_rate": rate, **delivered,
                "loudness_range_lu": written.loudness["loudness_range_lu"],
                "duration_seconds": round(written.frames / rate, 3)},
        reference={"path": str(settings.reference), **ref.loudness} if ref else None,
        target={"name": target.name, "lufs": round(target.lufs, 2), "true_peak_dbtp": target.true_peak, "note": target.note},
        mode=settings.mode, mix=settings.mix if settings.mode != "loudness" else 1.0,
        processing={"eq_db": eq_bands(src.freqs, chain.mid_db, chain.side_db), "width": round(chain.width, 3),
                    "compressor": chain.compressor, "gain_db": round(plan.gain_db, 2),
                    "limiter_ceiling_dbtp": round(float(20 * np.log10(plan.ceiling)), 2), "notes": chain.notes},
        limiter={"max_reduction_db": round(float(-limiter.min()), 2),
                 "seconds_limited": round(float((limiter < -0.5).sum()) * slot / rate, 2)},
        gain_reduction={"seconds_per_point": round(slot / rate, 4), "limiter_db": written.limiter_db,
                        "compressor_db": compressor_db},
        rounds=rounds,
    )


def write_report(report: MasterReport, written, src, ref, json_path: Path, png_path: Path, png_name: Path) -> None:
    """Add the spectra to `report` and write it as JSON and as a PNG figure (to the paths given:
    the caller stages them with the master, so all three appear together or not at all);
    `png_name` is where the figure will be once moved into place, as the JSON records it."""
    hz, before = spectrum_points(src.freqs, src.mid)
    spectra = {"hz": hz, "before_db": before, "after_db": spectrum_points(written.freqs, written.mid)[1]}
    if ref is not None:
        spectra["reference_db"] = spectrum_points(ref.freqs, ref.mid)[1]
    report.spectrum_mid = spectra
    report.report_png = str(png_name)
    data = {k: v for k, v in report.to_dict().items() if k not in ("timings_seconds", "seconds")}  # not known yet
    Path(json_path).write_text(json.dumps(data, indent=2), encoding="utf-8")
    _figure(data, Path(png_path))


def _figure(report: dict, path: Path) -> None:
    """Spectra before/after (and the reference), loudness-aligned; gain reduction over time."""
    spectra, reduction = report["spectrum_mid"], report["gain_reduction"]
    canvas = Canvas(900, 650)
    # Spectra are compared at equal loudness: each is shifted by its file's integrated loudness.
    curves = [("before", "#888888", spectra["before_db"], report["input"]["integrated_lufs"]),
              ("after", "#1f5fbf", spectra["after_db"], report["output"]["integrated_lufs"])]
    if "reference_db" in spectra:
        curves.append(("reference", "#d08a00", spectra["reference_db"], report["reference"]["integrated_lufs"]))
    shifted = [(label, colour, np.array(values) - lufs) for label, colour, values, lufs in curves]
    top_db = max(float(v.max()) for _, _, v in shifted)
    name = f"{Path(report['input']['path']).name} -> {Path(report['output']['path']).name}: " \
           f"{report['output']['integrated_lufs']:.1f} LUFS, {report['output']['true_peak_dbtp']:.1f} dBTP"
    upper = canvas.panel((0, 0, 900, 340), (20, 20000), (top_db - 60, top_db + 5), log_x=True, title=name)
    for label, colour, values in shifted:
        upper.line(spectra["hz"], values, colour, label)
    upper.finish("Hz", "dB (mid, 1/3 octave, loudness-aligned)")
    series = [(label, colour, _envelope(np.array(reduction[key]), reduction["seconds_per_point"]))
              for key, label, colour in (("limiter_db", "limiter", "#c0392b"), ("compressor_db", "glue compressor", "#27ae60"))
              if reduction[key]]
    length = max([float(t[-1]) for _, _, (t, _) in series if t.size] + [1.0])
    lowest = min([-3.0] + [float(v.min()) - 0.5 for _, _, (_, v) in series if v.size])
    lower = canvas.panel((0, 340, 900, 650), (0, length), (lowest, 0.5), title="Gain reduction over time")
    for label, colour, (times, values) in series:
        lower.line(times, values, colour, label, width=1)
    lower.finish("seconds", "gain reduction (dB)")
    canvas.save(path)


def _envelope(values: np.ndarray, step: float, points: int = 1500) -> tuple[np.ndarray, np.ndarray]:
    """At most `points` points, each the deepest reduction of its stretch (a plot needs no more)."""
    group = max(1, int(np.ceil(values.size / points)))
    usable = values.size // group * group
    lows = values[:usable].reshape(-1, group).min(axis=1) if usable else values
    return np.arange(lows.size) * step * group, lows
