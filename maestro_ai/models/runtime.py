"""The composer's forward pass in numpy, with a key/value cache: no torch at run time.

Each new token costs one pass through the layers against the cached keys and values of the tokens
before it, so generating a melody is linear in its length. `Composer.load()` reads the weights
that ship in the package (see MODEL_CARD.md).

>>> model = Composer.load()
>>> state = model.start()
>>> logits = model.feed(state, [1, 4, 16, 30], [0, 0, 0, 0], [0, 0, 0, 0])
>>> logits.shape == (model.vocab.size,) and state.length == 4
True
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from maestro_ai.models.tokens import Vocabulary

WEIGHTS = Path(__file__).parent / "weights" / "composer.npz"


@dataclass
class State:
    """What the model remembers of a sequence: cached keys and values, and how many tokens."""

    keys: np.ndarray  # (layers, heads, context, head_dim)
    values: np.ndarray
    length: int = 0

    def copy(self) -> State:
        return State(self.keys.copy(), self.values.copy(), self.length)


def _normalize(x: np.ndarray) -> np.ndarray:
    """Layer norm without its gain and bias (those are folded into the next matrix)."""
    centred = x - np.add.reduce(x, axis=-1, keepdims=True) * np.float32(1.0 / x.shape[-1])
    var = np.add.reduce(centred * centred, axis=-1, keepdims=True) * np.float32(1.0 / x.shape[-1])
    return centred / np.sqrt(var + np.float32(1e-5))


def _fold(gain: np.ndarray, bias: np.ndarray, weight: np.ndarray, weight_bias: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(norm(x) * gain + bias) @ W.T + c  ==  norm(x) @ W' + c' : the folded W' and c'."""
    w = weight.T.astype(np.float64)
    folded = gain.astype(np.float64)[:, None] * w
    shift = bias.astype(np.float64) @ w + (0.0 if weight_bias is None else weight_bias.astype(np.float64))
    return np.ascontiguousarray(folded, dtype=np.float32), shift.astype(np.float32)


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))


class Composer:
    """The trained transformer: `start()` a state, `feed()` it tokens, get next-token logits."""

    def __init__(self, arrays: dict[str, np.ndarray], version: str) -> None:
        config = json.loads(str(arrays["config"]))
        self.config = config
        self.version = version
        self.vocab = Vocabulary()
        if list(arrays["vocabulary"]) != self.vocab.names:
            raise ValueError("composer weights were trained with another vocabulary; retrain them")
        self.d, self.heads, self.context = config["d_model"], config["heads"], config["context"]
        self.head_dim = self.d // self.heads
        self.token = arrays["token/weight"]
        self.place, self.beat, self.phrase = arrays["place/weight"], arrays["beat/weight"], arrays["phrase/weight"]
        self.layers = []
        scale = np.ones(3 * self.d, dtype=np.float32)
        scale[: self.d] = 1.0 / np.sqrt(self.head_dim)  # the attention scale, folded into the queries
        for i in range(config["layers"]):
            p = f"blocks/{i}/"
            qkv_w, qkv_b = _fold(arrays[p + "ln1/weight"], arrays[p + "ln1/bias"], arrays[p + "qkv/weight"], arrays[p + "qkv/bias"])
            up_w, up_b = _fold(arrays[p + "ln2/weight"], arrays[p + "ln2/bias"], arrays[p + "up/weight"], arrays[p + "up/bias"])
            self.layers.append((qkv_w * scale, qkv_b * scale, np.ascontiguousarray(arrays[p + "proj/weight"].T),
                                arrays[p + "proj/bias"], up_w, up_b, np.ascontiguousarray(arrays[p + "down/weight"].T),
                                arrays[p + "down/bias"]))
        self.out_w, self.out_b = _fold(arrays["ln_f/weight"], arrays["ln_f/bias"], self.token, None)

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Composer:
        """The packaged model (cached per path)."""
        return _load(str(path))

    def start(self) -> State:
        shape = (len(self.layers), self.heads, self.context, self.head_dim)
        return State(np.zeros(shape, np.float32), np.zeros(shape, np.float32))

    def feed(self, state: State, tokens, positions, phrases, all_logits: bool = False) -> np.ndarray:
        """Run `tokens` (with their metrical features) after what `state` holds; return the logits
        for the token after the last one (or after each, with `all_logits`)."""
        n, start = len(tokens), state.length
        end = start + n
        if end > self.context:
            raise ValueError(f"sequence longer than the model's context ({self.context} tokens)")
        if n == 1 and not all_logits:
            return self._step(state, int(tokens[0]), int(positions[0]), int(phrases[0]))
        x = self.token[tokens] + self.place[start:end] + self.beat[positions] + self.phrase[phrases]
        h, dh, d = self.heads, self.head_dim, self.d
        mask = np.triu(np.full((n, end), -np.inf, dtype=np.float32), k=start + 1) if n > 1 else None
        for i, (qkv_w, qkv_b, proj_w, proj_b, up_w, up_b, down_w, down_b) in enumerate(self.layers):
            qkv = _normalize(x) @ qkv_w + qkv_b
            q = qkv[:, :d].reshape(n, h, dh).transpose(1, 0, 2)
            keys, values = state.keys[i], state.values[i]
            keys[:, start:end] = qkv[:, d:2 * d].reshape(n, h, dh).transpose(1, 0, 2)
            values[:, start:end] = qkv[:, 2 * d:].reshape(n, h, dh).transpose(1, 0, 2)
            scores = q @ keys[:, :end].transpose(0, 2, 1)  # (h, n, end)
            if mask is not None:
                scores += mask
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= np.add.reduce(scores, axis=-1, keepdims=True)
            x = x + (scores @ values[:, :end]).transpose(1, 0, 2).reshape(n, d) @ proj_w + proj_b
            x = x + _gelu(_normalize(x) @ up_w + up_b) @ down_w + down_b
        state.length = end
        logits = _normalize(x if all_logits else x[-1:]) @ self.out_w + self.out_b
        return logits if all_logits else logits[0]

    def _step(self, state: State, token: int, position: int, phrase: int) -> np.ndarray:
        """`feed` for one token: the same arithmetic on vectors, with fewer numpy calls (a melody
        is written one token at a time, so this is the hot path)."""
        start = state.length
        end = start + 1
        x = self.token[token] + self.place[start] + self.beat[position] + self.phrase[phrase]
        h, dh, d = self.heads, self.head_dim, self.d
        inv_d = np.float32(1.0 / d)
        eps = np.float32(1e-5)
        for i, (qkv_w, qkv_b, proj_w, proj_b, up_w, up_b, down_w, down_b) in enumerate(self.layers):
            c = x - x.sum() * inv_d
            qkv = (c / np.sqrt(c @ c * inv_d + eps)) @ qkv_w + qkv_b
            keys, values = state.keys[i], state.values[i]
            keys[:, start] = qkv[d:2 * d].reshape(h, dh)
            values[:, start] = qkv[2 * d:].reshape(h, dh)
            scores = np.matmul(keys[:, :end], qkv[:d].reshape(h, dh, 1))  # (h, end, 1)
            scores = np.exp(scores - scores.max(axis=1, keepdims=True))
            weights = (scores / scores.sum(axis=1, keepdims=True)).reshape(h, 1, end)
            x = x + np.matmul(weights, values[:, :end]).reshape(d) @ proj_w + proj_b
            c = x - x.sum() * inv_d
            u = (c / np.sqrt(c @ c * inv_d + eps)) @ up_w + up_b
            x = x + _gelu(u) @ down_w + down_b
        state.length = end
        c = x - x.sum() * inv_d
        return (c / np.sqrt(c @ c * inv_d + eps)) @ self.out_w + self.out_b

    def branches(self, state: State, tokens: np.ndarray, positions, phrases) -> np.ndarray:
        """Log-probabilities after each token of several continuations of the same state, in one
        pass, leaving the state as it was. `tokens` is (branches, n); the metrical features are
        shared. Returns (branches, n, vocabulary)."""
        tokens = np.asarray(tokens, dtype=np.int64)
        b, n = tokens.shape
        start, end = state.length, state.length + n
        if end > self.context:
            raise ValueError(f"sequence longer than the model's context ({self.context} tokens)")
        x = self.token[tokens] + (self.place[start:end] + self.beat[np.asarray(positions)] + self.phrase[np.asarray(phrases)])
        h, dh, d = self.heads, self.head_dim, self.d
        mask = np.triu(np.full((n, n), -np.inf, dtype=np.float32), k=1)
        for i, (qkv_w, qkv_b, proj_w, proj_b, up_w, up_b, down_w, down_b) in enumerate(self.layers):
            qkv = _normalize(x) @ qkv_w + qkv_b  # (b, n, 3d)
            q, k, v = (qkv[..., j * d:(j + 1) * d].reshape(b, n, h, dh).transpose(0, 2, 1, 3) for j in range(3))
            past_k, past_v = state.keys[i, :, :start], state.values[i, :, :start]  # (h, start, dh)
            old = q @ past_k.transpose(0, 2, 1)[None]  # (b, h, n, start)
            new = q @ k.transpose(0, 1, 3, 2) + mask  # (b, h, n, n)
            top = np.maximum(old.max(axis=-1, keepdims=True) if start else -np.inf, new.max(axis=-1, keepdims=True))
            old, new = np.exp(old - top), np.exp(new - top)
            total = old.sum(axis=-1, keepdims=True) + new.sum(axis=-1, keepdims=True)
            attended = (old @ past_v[None] + new @ v) / total  # (b, h, n, dh)
            x = x + attended.transpose(0, 2, 1, 3).reshape(b, n, d) @ proj_w + proj_b
            x = x + _gelu(_normalize(x) @ up_w + up_b) @ down_w + down_b
        logits = _normalize(x) @ self.out_w + self.out_b
        logits -= logits.max(axis=-1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))


@cache
def _load(path: str) -> Composer:
    data = Path(path).read_bytes()
    with np.load(path) as npz:
        arrays = {name: npz[name] for name in npz.files}
    return Composer(arrays, f"sha256:{hashlib.sha256(data).hexdigest()[:12]}")
