"""Splits and training windows over the corpus (no torch here: the n-gram baseline and the
evaluation use the same windows as training).

>>> from training.corpus import Bar, Piece
>>> pieces = [Piece(f"p{i}", 0, "major", "4/4", 16, [Bar([(0, 60, 4)])] * 4) for i in range(40)]
>>> split = split_pieces(pieces)
>>> len(split["train"]), len(split["validation"]), len(split["test"])
(36, 2, 2)
"""
from __future__ import annotations

import hashlib
import math
import pickle
from pathlib import Path

import numpy as np

from maestro_ai.models.runtime import Composer
from maestro_ai.models.tokens import Vocabulary
from training import corpus
from training.corpus import Piece, load_corpus
from training.encoding import Sequence, encode, rhythm_ngrams

SPLIT_SEED = 2026
SPLIT = {"train": 0.9, "validation": 0.05, "test": 0.05}
TRANSPOSITIONS = range(-5, 7)
CACHE = Path.home() / ".cache" / "maestro"  # the parsed corpus, kept between runs


def _figures(piece: Piece, n: int = 8) -> set[tuple]:
    """The piece's n-note figures (intervals and durations: transpositions match)."""
    return set(rhythm_ngrams(piece.timeline(), n))


def tune_families(pieces: list[Piece], share: float = 0.5) -> list[int]:
    """A family number per piece: pieces that share at least `share` of the smaller one's 8-note
    figures are versions of one tune (collections overlap: the same reel appears in O'Neill's and
    in Ryan's) and must not straddle the train/test split. Figures common to many pieces (scale
    runs, stock cadences) do not link pieces."""
    figures = [_figures(p) for p in pieces]
    holders: dict[tuple, list[int]] = {}
    for i, figs in enumerate(figures):
        for f in figs:
            holders.setdefault(f, []).append(i)
    parent = list(range(len(pieces)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, figs in enumerate(figures):
        shared: dict[int, int] = {}
        for f in figs:
            others = holders[f]
            if len(others) <= 20:
                for j in others:
                    if j > i:
                        shared[j] = shared.get(j, 0) + 1
        for j, count in shared.items():
            if count >= share * max(1, min(len(figs), len(figures[j]))):
                parent[root(i)] = root(j)
    return [root(i) for i in range(len(pieces))]


def split_pieces(pieces: list[Piece], seed: int = SPLIT_SEED) -> dict[str, list[Piece]]:
    """Train/validation/test by tune family (never by window, never one tune on both sides), with
    a fixed seed: families are shuffled and dealt until each held-out split has its share of pieces."""
    families = tune_families(pieces)
    members: dict[int, list[int]] = {}
    for i, family in enumerate(families):
        members.setdefault(family, []).append(i)
    groups = [members[k] for k in sorted(members)]
    order = np.random.default_rng(seed).permutation(len(groups))
    n_val = max(1, round(SPLIT["validation"] * len(pieces)))
    n_test = max(1, round(SPLIT["test"] * len(pieces)))
    out: dict[str, list[Piece]] = {"validation": [], "test": [], "train": []}
    for g in order:
        name = "validation" if len(out["validation"]) < n_val else "test" if len(out["test"]) < n_test else "train"
        out[name] += [pieces[i] for i in groups[g]]
    return out


def cached_corpus(cache_dir: Path) -> tuple[list[Piece], dict[str, str]]:
    """`load_corpus()`, kept in `cache_dir` keyed by music21's version and this project's extractor
    source, since parsing takes minutes."""
    import music21

    digest = hashlib.sha256(Path(corpus.__file__).read_bytes() + music21.__version__.encode()).hexdigest()[:16]
    path = Path(cache_dir) / f"corpus-{digest}.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    result = load_corpus()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(result))
    tmp.replace(path)
    return result


class Windows:
    """Random training windows: a piece, a transposition that keeps it in range, and a stretch of
    whole bars under the header, `context` tokens at most."""

    def __init__(self, pieces: list[Piece], vocab: Vocabulary, context: int, seed: int) -> None:
        self.pieces, self.vocab, self.context = pieces, vocab, context
        self.rng = np.random.default_rng(seed)
        self.cache: dict[tuple[int, int], Sequence | None] = {}
        lengths = np.array([max(1, p.note_count) for p in pieces], dtype=float)
        self.weights = lengths / lengths.sum()

    def sequence(self, index: int, transpose: int) -> Sequence | None:
        key = (index, transpose)
        if key not in self.cache:
            self.cache[key] = encode(self.pieces[index], self.vocab, transpose)
        return self.cache[key]

    def sample(self) -> Sequence:
        while True:
            index = int(self.rng.choice(len(self.pieces), p=self.weights))
            seq = self.sequence(index, int(self.rng.choice(list(TRANSPOSITIONS))))
            if seq is not None:
                return crop(seq, self.context, self.rng)

    def batch(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(tokens, positions, phrase bars), each (size, context), PAD-filled."""
        out = np.zeros((3, size, self.context), dtype=np.int64)
        for row in range(size):
            seq = self.sample()
            n = len(seq.tokens)
            out[0, row, :n], out[1, row, :n], out[2, row, :n] = seq.tokens, seq.positions, seq.phrase_bars
        return out[0], out[1], out[2]


def crop(seq: Sequence, context: int, rng: np.random.Generator | None = None, start_bar: int = 0,
         end_bar: int | None = None) -> Sequence:
    """The header, then whole bars from `start_bar` (random with `rng`), `context` tokens at most."""
    if len(seq.tokens) <= context and end_bar is None:
        return seq
    header, starts = int(seq.bar_starts[0]), seq.bar_starts
    if rng is not None:
        start_bar = int(rng.integers(len(starts)))
    begin = int(starts[start_bar])
    stop = int(starts[end_bar]) if end_bar is not None and end_bar < len(starts) else len(seq.tokens)
    keep = np.r_[np.arange(header), np.arange(begin, min(stop, begin + context - header))]
    bar_starts = starts[start_bar:end_bar] - begin + header
    return Sequence(seq.tokens[keep], seq.positions[keep], seq.phrase_bars[keep], bar_starts[bar_starts < len(keep)])


def evaluation_windows(pieces: list[Piece], vocab: Vocabulary, context: int) -> list[Sequence]:
    """Every piece untransposed, in consecutive windows of whole bars (each under the header), so
    that every token after the header is scored exactly once."""
    windows = []
    for piece in pieces:
        seq = encode(piece, vocab)
        if seq is None or not len(seq.bar_starts):
            continue
        header, starts = int(seq.bar_starts[0]), list(seq.bar_starts) + [len(seq.tokens)]
        first = 0
        while first < len(seq.bar_starts):
            last = first + 1
            while last < len(seq.bar_starts) and starts[last + 1] - starts[first] + header <= context:
                last += 1
            windows.append(crop(seq, context, start_bar=first, end_bar=last if last < len(seq.bar_starts) else None))
            first = last
    return windows


def model_bits(model: Composer, windows) -> float:
    """Bits per token of the numpy model over the windows' tokens after the header."""
    total, count = 0.0, 0
    for w in windows:
        logits = model.feed(model.start(), w.tokens, w.positions, w.phrase_bars, all_logits=True)[:-1].astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        targets = w.tokens[1:]
        total -= float(logp[np.arange(4, len(targets)), targets[4:]].sum())
        count += len(targets) - 4
    return total / count / math.log(2)
