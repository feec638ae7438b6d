"""The baseline the composer must beat: an interpolated Kneser-Ney n-gram model over the same tokens.

>>> model = KneserNey(order=3, vocab_size=5)
>>> model.fit([[1, 2, 3, 2, 3, 4], [1, 2, 3, 4]])
>>> p = model.prob((2, 3), 4)
>>> 0 < p < 1 and abs(sum(model.prob((2, 3), w) for w in range(5)) - 1) < 1e-9
True
"""
from __future__ import annotations

import math
from collections import defaultdict

START = -1  # pads the left of every sequence, so each token has a full context


class KneserNey:
    """Interpolated Kneser-Ney smoothing (Chen & Goodman 1998) with one absolute discount.

    The highest order counts n-grams; each lower order counts continuations (how many distinct
    tokens precede the shorter gram); the lowest interpolates with the uniform distribution over
    the vocabulary, so every token keeps some probability."""

    def __init__(self, order: int, vocab_size: int, discount: float = 0.75) -> None:
        self.order, self.vocab_size, self.discount = order, vocab_size, discount
        self.counts: list[dict[tuple, int]] = [{} for _ in range(order + 1)]
        self.totals: list[dict[tuple, int]] = [{} for _ in range(order + 1)]
        self.types: list[dict[tuple, int]] = [{} for _ in range(order + 1)]

    def fit(self, sequences) -> None:
        n = self.order
        top: dict[tuple, int] = defaultdict(int)
        for seq in sequences:
            padded = [START] * (n - 1) + list(seq)
            for i in range(n - 1, len(padded)):
                top[tuple(padded[i - n + 1:i + 1])] += 1
        self.counts[n] = dict(top)
        for k in range(n - 1, 0, -1):
            lower: dict[tuple, int] = defaultdict(int)
            for gram in self.counts[k + 1]:
                lower[gram[1:]] += 1
            self.counts[k] = dict(lower)
        for k in range(1, n + 1):
            totals: dict[tuple, int] = defaultdict(int)
            types: dict[tuple, int] = defaultdict(int)
            for gram, count in self.counts[k].items():
                totals[gram[:-1]] += count
                types[gram[:-1]] += 1
            self.totals[k], self.types[k] = dict(totals), dict(types)

    def prob(self, context: tuple, word: int) -> float:
        """P(word | the last order-1 tokens of context)."""
        context = ((START,) * self.order + tuple(context))[-(self.order - 1):] if self.order > 1 else ()
        p = 1.0 / self.vocab_size
        for k in range(1, self.order + 1):
            ctx = context[len(context) - (k - 1):] if k > 1 else ()
            total = self.totals[k].get(ctx, 0)
            if total:
                count = self.counts[k].get(ctx + (word,), 0)
                p = max(count - self.discount, 0.0) / total + self.discount * self.types[k][ctx] / total * p
        return p

    def bits(self, sequences, skip: int = 5) -> float:
        """Mean bits per token over every token after the first `skip` of each sequence (the header)."""
        total, count = 0.0, 0
        for seq in sequences:
            seq = list(seq)
            for i in range(skip, len(seq)):
                total -= math.log2(self.prob(tuple(seq[max(0, i - self.order + 1):i]), seq[i]))
                count += 1
        return total / max(count, 1)
