"""Typed results of the production tools and the master stage, each with `to_dict()` for JSON.

>>> t = Transcription(path="hum.mid", notes=12, model="nmp.onnx", range=(60, 72), seconds=4.5)
>>> t.to_dict()["range"]
[60, 72]
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields


def _plain(value):
    """JSON-ready: tuples become lists, nested results dicts."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Result:
    def to_dict(self) -> dict:
        """Every field, in order, as JSON holds it."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class MasterPlan:
    """What a master needs before its first block: the gain and the limiter's ceiling."""

    source_lufs: float
    gain_db: float
    ceiling: float  # linear, margin included
    target_lufs: float
    ceiling_dbtp: float

    def report(self, integrated: float, true_peak: float) -> Loudness:
        """The loudness figures of the master this plan made, measured as `integrated` and `true_peak`."""
        return Loudness(round(self.source_lufs, 2), round(self.gain_db, 2), round(integrated, 2),
                        round(true_peak, 2), self.target_lufs, self.ceiling_dbtp)


@dataclass(frozen=True)
class Loudness(_Result):
    """A song's master: the mix's loudness, the gain applied, and the master's loudness and true
    peak against its target and ceiling."""

    source_lufs: float
    gain_db: float
    integrated_lufs: float
    true_peak_dbtp: float
    target_lufs: float
    ceiling_dbtp: float

    def to_dict(self) -> dict:
        return {f.name: float(getattr(self, f.name)) for f in fields(self)}


@dataclass
class MasterReport(_Result):
    """Every figure of `maestro master`: loudness before (`input`) and after (`output`), the
    `reference`'s, the `target`, what was done (`processing`, `limiter`, `gain_reduction` curves),
    the correction `rounds`, the spectra, and the time each pass took."""

    input: dict
    output: dict
    reference: dict | None
    target: dict
    mode: str
    mix: float
    processing: dict
    limiter: dict
    gain_reduction: dict
    rounds: int
    spectrum_mid: dict | None = None
    report_png: str | None = None
    timings_seconds: dict = field(default_factory=dict)
    seconds: float = 0.0
    provenance: dict = field(default_factory=dict)  # the seal: watermark payload, whether kept, signer

    def to_dict(self) -> dict:
        out = super().to_dict()
        for optional in ("spectrum_mid", "report_png"):
            if out[optional] is None:
                del out[optional]
        return out


@dataclass
class Analysis(_Result):
    """What `maestro analyze` finds in a recording (docs/analysis.md defines every figure)."""

    path: str
    duration_seconds: float
    sample_rate: int
    channels: int
    tempo_bpm: float
    tempo_confidence: float
    beats: list[float]
    time_signature: str
    time_signature_confidence: float
    key: str
    key_confidence: float
    key_candidates: list[dict]
    loudness: dict
    sections: list[dict]
    chords: list[dict]
    descriptors: dict[str, float]
    features: dict[str, float]


@dataclass
class Transcription(_Result):
    """A recording transcribed to MIDI: the file written, how many notes, the model, the pitch
    range (lowest, highest MIDI note; None without notes) and the seconds the notes span."""

    path: str
    notes: int
    model: str
    range: tuple[int, int] | None
    seconds: float
