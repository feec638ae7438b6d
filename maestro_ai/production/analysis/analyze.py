"""`maestro analyze`: an open replacement for Spotify's closed audio-features endpoint.

Tempo and beats, key and mode with confidence, time signature, loudness (integrated, range, true
peak), duration, sections, chords, and seven 0-1 descriptors, from one audio file.

>>> import numpy as np, tempfile, pathlib
>>> from maestro_ai.io.audio import write_audio
>>> sr, t = 44100, np.arange(44100 * 8) / 44100
>>> tone = 0.2 * (np.sin(2 * np.pi * 261.6 * t) + np.sin(2 * np.pi * 329.6 * t) + np.sin(2 * np.pi * 392.0 * t))
>>> path = write_audio(pathlib.Path(tempfile.mkdtemp()) / "c.wav", np.stack([tone, tone]).astype(np.float32), sr)
>>> result = analyze_file(path)
>>> result.key, result.chords[0]["chord"], result.duration_seconds
('C major', 'C', 8.0)
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from maestro_ai.core.errors import InvalidRequest
from maestro_ai.core.results import Analysis
from maestro_ai.io.stream import Source
from maestro_ai.production.analysis.descriptors import Features, describe
from maestro_ai.production.analysis.rhythm import HOP, metre, tempo_and_beats
from maestro_ai.production.analysis.structure import sections
from maestro_ai.production.analysis.tonal import chords_from_chroma, estimate_key
from maestro_ai.production.loudness.meters import Meter, check_measured

RATE = 22050  # analysis rate: everything above 11 kHz is irrelevant to these features
CHROMA_HOP = 2048
TUNING_SECONDS = 60


def _read(path: Path) -> tuple[dict, np.ndarray]:
    """One pass over the file: loudness at its own rate, and a mono mix resampled to RATE."""
    import librosa

    source = Source(path)
    meter = Meter(source.channels, source.sample_rate)
    mono = []
    for block in source.blocks():
        meter.add(block)
        mono.append(block.mean(axis=0))
    result = check_measured(Path(path).name, "analyze", meter, source.sample_rate)
    result["duration_seconds"] = round(meter.frames / source.sample_rate, 3)
    result["sample_rate"], result["channels"] = source.sample_rate, source.channels
    y = librosa.resample(np.concatenate(mono), orig_sr=source.sample_rate, target_sr=RATE, res_type="soxr_hq")
    return result, y.astype(np.float32)


def _beat_edges(beats: np.ndarray, duration: float) -> np.ndarray:
    """Beat intervals covering the whole piece: start, the beats, the end."""
    inner = beats[(beats > 0.05) & (beats < duration - 0.05)]
    return np.concatenate([[0.0], inner, [duration]])


def _sync(features: np.ndarray, edges: np.ndarray, hop: int) -> np.ndarray:
    """Median of `features` (dims, frames at `hop`) over each beat interval."""
    frames = np.clip(np.round(edges * RATE / hop).astype(int), 0, features.shape[1])
    out = np.zeros((features.shape[0], edges.size - 1))
    for i, (a, b) in enumerate(zip(frames, frames[1:])):
        out[:, i] = np.median(features[:, a:max(b, a + 1)], axis=1) if a < features.shape[1] else 0.0
    return out


def _zscore(x: np.ndarray) -> np.ndarray:
    return (x - x.mean(axis=1, keepdims=True)) / (x.std(axis=1, keepdims=True) + 1e-9)


def _signal_features(y: np.ndarray, rhythm, loudness: dict, major: float) -> Features:
    import librosa

    power = np.abs(librosa.stft(y, n_fft=2048, hop_length=HOP)) ** 2
    freqs = librosa.fft_frequencies(sr=RATE, n_fft=2048)
    centroid = librosa.feature.spectral_centroid(S=np.sqrt(power), sr=RATE)[0]
    flatness = librosa.feature.spectral_flatness(S=np.sqrt(power))[0]
    frame_energy = power.sum(axis=0)
    loud = frame_energy > np.percentile(frame_energy, 20)
    voice = power[(freqs >= 300) & (freqs <= 3400)].sum(axis=0)
    envelope = np.log1p(voice / (voice.mean() + 1e-12))
    modulation = np.abs(np.fft.rfft(envelope - envelope.mean())) ** 2
    mod_freqs = np.fft.rfftfreq(envelope.size, HOP / RATE)
    band = modulation[(mod_freqs >= 2) & (mod_freqs <= 8)].sum() / max(modulation[(mod_freqs >= 0.5) & (mod_freqs <= 20)].sum(), 1e-12)
    rms = np.sqrt(frame_energy / power.shape[0])
    sounding = rms[rms > 0]
    floor = 20 * np.log10(np.percentile(sounding, 10) / np.median(sounding)) if sounding.size else -120.0
    onsets = librosa.onset.onset_detect(onset_envelope=rhythm.onset_envelope, sr=RATE, hop_length=HOP)
    duration = y.size / RATE
    intervals = np.diff(rhythm.beats)
    regularity = 1 - float(np.std(intervals) / np.mean(intervals)) if intervals.size > 2 else 0.0
    return Features(tempo=rhythm.tempo, pulse_clarity=rhythm.confidence, beat_regularity=max(0.0, regularity),
                    loudness_lufs=loudness["integrated_lufs"], onset_rate=onsets.size / max(duration, 1e-9),
                    centroid_hz=float(np.median(centroid[loud])) if loud.any() else 0.0, major=major,
                    crest_db=loudness["true_peak_dbtp"] - loudness["integrated_lufs"],
                    flatness=float(np.median(flatness[loud])) if loud.any() else 0.0, voice_modulation=float(band),
                    noise_floor_db=float(floor), high_ratio=float(power[freqs >= 5000].sum() / max(power.sum(), 1e-12)))


def tempo_and_key(y: np.ndarray) -> tuple:
    """The two figures the evaluation checks, from mono audio at RATE: the rhythm (tempo, beats)
    and the CQT chroma with the key estimate (key, confidence, candidates)."""
    import librosa

    rhythm = tempo_and_beats(y, RATE)
    tuning = librosa.estimate_tuning(y=y[:TUNING_SECONDS * RATE], sr=RATE)  # the whole song would take seconds
    chroma = librosa.feature.chroma_cqt(y=y, sr=RATE, hop_length=CHROMA_HOP, tuning=tuning)
    return rhythm, chroma, estimate_key(chroma)


def analyze_file(path: Path | str) -> Analysis:
    """Analyze an audio file (WAV, FLAC, MP3, OGG, AIFF); every figure of `maestro analyze --json`."""
    import librosa

    if not isinstance(path, (str, Path)) or not str(path).strip():
        raise InvalidRequest(f"the audio file to analyze must be a path, not {path!r:.40}")
    path = Path(path)
    loudness, y = _read(path)
    duration = loudness.pop("duration_seconds")
    rate, channels = loudness.pop("sample_rate"), loudness.pop("channels")
    rhythm, chroma, (key, key_confidence, candidates) = tempo_and_key(y)
    signature, signature_confidence = metre(rhythm)
    best_major = max((c for n, c in candidates if n.endswith("major")), default=-1.0)
    best_minor = max((c for n, c in candidates if n.endswith("minor")), default=-1.0)
    major = float(1 / (1 + np.exp(-10 * (best_major - best_minor))))
    edges = _beat_edges(rhythm.beats, y.size / RATE)
    beat_chroma = _sync(chroma, edges, CHROMA_HOP)
    mfcc = librosa.feature.mfcc(y=y, sr=RATE, hop_length=CHROMA_HOP, n_mfcc=13)[1:]
    structure = sections(np.vstack([_zscore(beat_chroma), 1.5 * _zscore(_sync(mfcc, edges, CHROMA_HOP))]), edges)
    for section in structure:
        section.pop("start_beat")
    features = _signal_features(y, rhythm, loudness, major)
    return Analysis(
        path=str(path), duration_seconds=duration, sample_rate=rate, channels=channels,
        tempo_bpm=round(rhythm.tempo, 2), tempo_confidence=round(rhythm.confidence, 3),
        beats=[round(float(b), 3) for b in rhythm.beats],
        time_signature=signature, time_signature_confidence=signature_confidence,
        key=key, key_confidence=key_confidence,
        key_candidates=[{"key": name, "correlation": score} for name, score in candidates],
        loudness=loudness, sections=structure, chords=chords_from_chroma(beat_chroma, edges),
        descriptors=describe(features),
        features={name: round(float(value), 4) for name, value in vars(features).items()},
    )
