"""Train the composer from the licence-clean corpus and write its weights and model card.

    pip install -e '.[train]'                 # torch==2.13.0, CPU
    python -m training.train         # about 40 min on 2 cores; rewrites composer.npz + MODEL_CARD.md
    python -m training.train --steps 20 --out /tmp/try   # a quick try elsewhere

Everything is seeded and torch runs deterministic kernels on a fixed number of threads. torch's
own CPU kernels (ATen) are pinned to their AVX2 versions: by default a CPU with AVX-512 gets other
kernels (softmax and the attention sums in another order) and other weights (within about 2e-5;
the attention's key biases, which the loss ignores, further), with the same curve and held-out
bits. So any x86-64 machine with AVX2 and the same torch (2.13.0, CPU), numpy and music21 versions
gives the same weights bit for bit; the card records the SHA-256, and `python -m training.check`
compares a rebuild with the shipped weights.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from maestro_ai.models.tokens import MAX_POSITION, PHRASE_BARS, Vocabulary
from training.card import MODELS, write_model_card
from training.dataset import CACHE, SPLIT_SEED, Windows, cached_corpus, evaluation_windows, split_pieces

# Before torch is imported: the kernels every AVX2 machine has (see the module's docstring).
os.environ.setdefault("ATEN_CPU_CAPABILITY", "avx2")


@dataclass(frozen=True)
class Hyper:
    d_model: int = 128
    layers: int = 4
    heads: int = 4
    d_ff: int = 512
    context: int = 256
    batch: int = 32
    steps: int = 1200
    warmup: int = 100
    lr: float = 2e-3
    min_lr: float = 1e-4
    weight_decay: float = 0.05
    dropout: float = 0.1
    seed: int = 1234
    threads: int = 2


def build_model(vocab_size: int, hp: Hyper):
    """The decoder-only transformer (pre-norm, GELU(tanh) MLP, tied input/output embedding);
    `maestro_ai.models.runtime` runs the same arithmetic in numpy."""
    from torch import nn
    from torch.nn import functional as F

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ln1, self.ln2 = nn.LayerNorm(hp.d_model), nn.LayerNorm(hp.d_model)
            self.qkv, self.proj = nn.Linear(hp.d_model, 3 * hp.d_model), nn.Linear(hp.d_model, hp.d_model)
            self.up, self.down = nn.Linear(hp.d_model, hp.d_ff), nn.Linear(hp.d_ff, hp.d_model)
            self.drop = nn.Dropout(hp.dropout)

        def forward(self, x):
            b, t, d = x.shape
            q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
            q, k, v = (z.view(b, t, hp.heads, d // hp.heads).transpose(1, 2) for z in (q, k, v))
            att = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=hp.dropout if self.training else 0.0)
            x = x + self.drop(self.proj(att.transpose(1, 2).reshape(b, t, d)))
            return x + self.drop(self.down(F.gelu(self.up(self.ln2(x)), approximate="tanh")))

    class Composer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.token = nn.Embedding(vocab_size, hp.d_model)
            self.place = nn.Embedding(hp.context, hp.d_model)
            self.beat = nn.Embedding(MAX_POSITION, hp.d_model)
            self.phrase = nn.Embedding(PHRASE_BARS, hp.d_model)
            self.blocks = nn.ModuleList(Block() for _ in range(hp.layers))
            self.ln_f = nn.LayerNorm(hp.d_model)
            self.drop = nn.Dropout(hp.dropout)
            nn.init.normal_(self.token.weight, std=0.02)
            for emb in (self.place, self.beat, self.phrase):
                nn.init.normal_(emb.weight, std=0.01)

        def forward(self, tokens, positions, phrases):
            t = tokens.shape[1]
            x = self.token(tokens) + self.place.weight[:t] + self.beat(positions) + self.phrase(phrases)
            x = self.drop(x)
            for block in self.blocks:
                x = block(x)
            return self.ln_f(x) @ self.token.weight.T

    return Composer()


def export(model, hp: Hyper, vocab: Vocabulary, path: Path, check: dict) -> str:
    """Weights as float32 arrays in an .npz (with the config, the vocabulary and a reference
    forward pass for the numpy runtime's test); returns the file's SHA-256."""
    arrays = {name.replace(".", "/"): t.detach().cpu().numpy().astype(np.float32) for name, t in model.state_dict().items()}
    arrays["config"] = np.array(json.dumps(asdict(hp)))
    arrays["vocabulary"] = np.array(vocab.names)
    arrays.update({f"check/{k}": v for k, v in check.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def bits_per_token(model, windows, hp: Hyper, header: int = 5) -> float:
    """Mean bits per token over every scored token (those after each window's header)."""
    import torch
    from torch.nn import functional as F

    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(windows), 64):
            chunk = windows[i:i + 64]
            width = max(len(w.tokens) for w in chunk)
            arr = np.zeros((3, len(chunk), width), dtype=np.int64)
            for row, w in enumerate(chunk):
                arr[:, row, :len(w.tokens)] = w.tokens, w.positions, w.phrase_bars
            tokens, positions, phrases = (torch.from_numpy(a) for a in arr)
            logits = model(tokens, positions, phrases)[:, :-1]
            target = tokens[:, 1:].clone()
            target[:, : header - 1] = 0  # the header is given, not predicted
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=0, reduction="sum")
            total += float(loss)
            count += int((target != 0).sum())
    model.train()
    return total / count / math.log(2)


def train(hp: Hyper, out: Path, cache: Path, log=print) -> dict:
    import torch
    from torch.nn import functional as F

    torch.manual_seed(hp.seed)
    torch.set_num_threads(hp.threads)
    torch.use_deterministic_algorithms(True)
    vocab = Vocabulary()
    started = time.perf_counter()
    pieces, flagged = cached_corpus(cache)
    split = split_pieces(pieces)
    log(f"corpus: {len(pieces)} pieces ({time.perf_counter() - started:.0f} s); "
        + ", ".join(f"{k} {len(v)}" for k, v in split.items()))
    windows = Windows(split["train"], vocab, hp.context, hp.seed)
    validation = evaluation_windows(split["validation"], vocab, hp.context)
    model = build_model(vocab.size, hp)
    params = sum(p.numel() for p in model.parameters())
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optim = torch.optim.AdamW([{"params": decay, "weight_decay": hp.weight_decay},
                               {"params": no_decay, "weight_decay": 0.0}], lr=hp.lr, betas=(0.9, 0.95))
    curve = []
    t0 = time.perf_counter()
    for step in range(1, hp.steps + 1):
        lr = hp.lr * step / hp.warmup if step <= hp.warmup else \
            hp.min_lr + 0.5 * (hp.lr - hp.min_lr) * (1 + math.cos(math.pi * (step - hp.warmup) / max(1, hp.steps - hp.warmup)))
        for group in optim.param_groups:
            group["lr"] = lr
        tokens, positions, phrases = (torch.from_numpy(a) for a in windows.batch(hp.batch))
        logits = model(tokens, positions, phrases)[:, :-1]
        target = tokens[:, 1:].clone()
        target[:, :4] = 0
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=0)
        optim.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optim.step()
        if step % 100 == 0 or step == hp.steps:
            val = bits_per_token(model, validation, hp)
            curve.append({"step": step, "train_bits": round(float(loss.detach()) / math.log(2), 4), "validation_bits": round(val, 4),
                          "seconds": round(time.perf_counter() - t0, 1)})
            log(json.dumps(curve[-1]))
    seconds = time.perf_counter() - t0
    test = bits_per_token(model, evaluation_windows(split["test"], vocab, hp.context), hp)
    model.eval()
    probe = validation[0]
    with torch.no_grad():
        check_logits = model(*(torch.from_numpy(a[None]) for a in (probe.tokens, probe.positions, probe.phrase_bars)))[0]
    check = {"tokens": probe.tokens, "positions": probe.positions, "phrases": probe.phrase_bars,
             "logits": check_logits.numpy().astype(np.float32)}
    sha = export(model, hp, vocab, out / "weights" / "composer.npz", check)
    report = {"hyper": asdict(hp), "parameters": params, "train_seconds": round(seconds, 1), "curve": curve,
              "validation_bits": curve[-1]["validation_bits"], "test_bits": round(test, 4), "sha256": sha,
              "machine": f"{platform.machine()}, {hp.threads} threads, {platform.processor() or 'cpu'}",
              "cpu_kernels": torch.backends.cpu.get_cpu_capability(),
              "python": platform.python_version(), "torch": torch.__version__, "split_seed": SPLIT_SEED,
              "flagged_files": flagged}
    (out / "weights" / "training.json").write_text(json.dumps(report, indent=2))
    write_model_card(out / "MODEL_CARD.md", split, report)
    log(f"done: {params} parameters, {seconds / 60:.1f} min, test {test:.3f} bits/token, sha256 {sha}")
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=Hyper.steps)
    parser.add_argument("--d-model", type=int, default=Hyper.d_model)
    parser.add_argument("--layers", type=int, default=Hyper.layers)
    parser.add_argument("--d-ff", type=int, default=Hyper.d_ff)
    parser.add_argument("--out", type=Path, default=MODELS, help="folder for weights/ and MODEL_CARD.md")
    parser.add_argument("--cache", type=Path, default=CACHE,
                        help="where the parsed corpus is kept between runs")
    args = parser.parse_args(argv)
    train(Hyper(steps=args.steps, d_model=args.d_model, layers=args.layers, d_ff=args.d_ff), args.out, args.cache)


if __name__ == "__main__":
    main()
