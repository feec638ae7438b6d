"""Compare a rebuilt composer with the shipped one: bit for bit, or how far apart.

    python -m training.train --out /tmp/rebuild          # about 30 minutes on 2 cores
    python -m training.check /tmp/rebuild/weights/composer.npz [--bits]

Prints both SHA-256s and the largest differences, array by array. With torch's CPU kernels pinned
(training/train.py does it) a rebuild is the same file, bit for bit. Unpinned, on a CPU whose
kernels add in another order, the weights land within about 2e-5, but the attention's key
biases, which the loss does not depend on at all (softmax ignores a shift shared by every key),
drift freely by up to ~3e-3: so the weights are not the test of an unpinned rebuild, its
behaviour is. With --bits both models score the held-out pieces with the numpy runtime Maestro
uses (the figures the card reports, to 4 decimals). Exits 0 for an identical rebuild, or for one
whose held-out figures are the same; 1 otherwise.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

from maestro_ai.models.runtime import WEIGHTS, Composer
from training.dataset import CACHE, cached_corpus, evaluation_windows, model_bits, split_pieces


def compare(rebuilt: Path, shipped: Path = WEIGHTS) -> dict:
    """SHA-256 of each file, and the largest absolute difference per array (arrays that differ)."""
    digests = {name: hashlib.sha256(Path(p).read_bytes()).hexdigest() for name, p in (("rebuilt", rebuilt),
                                                                                       ("shipped", shipped))}
    with np.load(rebuilt) as a, np.load(shipped) as b:
        if sorted(a.files) != sorted(b.files):
            return {**digests, "same_arrays": False, "differences": {}, "max_difference": float("inf")}
        differences = {}
        for name in a.files:
            x, y = a[name], b[name]
            if x.shape == y.shape and np.array_equal(x, y):
                continue
            comparable = x.shape == y.shape and x.dtype.kind == "f"
            differences[name] = float(np.abs(x.astype(np.float64) - y.astype(np.float64)).max()) if comparable else float("inf")
    return {**digests, "same_arrays": True, "differences": differences,
            "max_difference": max(differences.values(), default=0.0)}


def held_out_bits(weights: Path, split: dict[str, list]) -> dict[str, float]:
    """Bits per token on the validation and test pieces, as the card reports them."""
    model = Composer.load(weights)
    return {name: round(model_bits(model, evaluation_windows(split[name], model.vocab, model.context)), 4)
            for name in ("validation", "test")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rebuilt", type=Path)
    parser.add_argument("--shipped", type=Path, default=WEIGHTS)
    parser.add_argument("--bits", action="store_true", help="score both on the held-out pieces too")
    args = parser.parse_args(argv)
    result = compare(args.rebuilt, args.shipped)
    print(f"shipped  {result['shipped']}\nrebuilt  {result['rebuilt']}")
    for name, diff in sorted(result["differences"].items(), key=lambda item: -item[1])[:10]:
        print(f"  {name}: differs by up to {diff:.3g}")
    if result["rebuilt"] == result["shipped"]:
        print("identical, bit for bit")
        return 0
    print(f"not identical (largest difference {result['max_difference']:.3g})")
    if not args.bits or not result["same_arrays"]:
        print("run with --bits to compare what the two models do on the held-out pieces")
        return 1
    split = split_pieces(cached_corpus(CACHE)[0])
    bits = {name: held_out_bits(path, split) for name, path in (("shipped", args.shipped), ("rebuilt", args.rebuilt))}
    same = bits["shipped"] == bits["rebuilt"]
    print(f"held-out bits per token: shipped {bits['shipped']}, rebuilt {bits['rebuilt']}: "
          f"{'the same figures' if same else 'DIFFERENT figures'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
