"""MODEL_CARD.md: what the composer was trained on and how, written by the training run itself."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from maestro_ai.models.runtime import WEIGHTS
from training.corpus import COLLECTIONS, Piece
from training.dataset import CACHE, cached_corpus, split_pieces

MODELS = WEIGHTS.parents[1]  # maestro_ai/models: where the weights and the card ship
# What a rebuild reproduces (docs: training/train.py's docstring and training/check.py).
REPRODUCIBLE = [
    "What is reproducible: with torch 2.13.0 (CPU build), music21 10.5.1, 2 threads and torch's CPU kernels",
    "pinned to AVX2 (training/train.py sets `ATEN_CPU_CAPABILITY=avx2`), any x86-64 machine with AVX2 gives",
    "the same weights bit for bit. Checked for SHA-256 aa10abc7...: trained on an AMD EPYC with AVX-512, kernels",
    "pinned, and matched by a rebuild on another AMD EPYC. Unpinned, a CPU with AVX-512 runs other kernels",
    "(softmax and attention sums in another order) and gets other weights: the attention's key biases, which",
    "the loss does not depend on, up to 3e-3 away and the rest within about 2e-5, with the same learning curve",
    "to 4 decimals and the same held-out bits (SHA-256 1a10ab7a... was made that way).",
    "`python -m training.check REBUILT --bits` compares those figures.",
    "Not checked: Intel CPUs, where MKL's matrix products may take another path.",
]


def _pieces_by_file(pieces: list[Piece]) -> list[str]:
    """One line per corpus file: its path and, for multi-tune files, the tune numbers used."""
    tunes: dict[str, list[str]] = defaultdict(list)
    for piece in pieces:
        path, _, number = piece.source.partition("#")
        if number:
            tunes[path].append(number)
        else:
            tunes.setdefault(path, [])
    return [f"- `{path}`" + (f": tunes {', '.join(sorted(numbers, key=int))}" if numbers else "")
            for path, numbers in sorted(tunes.items())]


def write_model_card(path: Path, split: dict[str, list[Piece]], report: dict) -> None:
    hp = report["hyper"]
    counts = {name: sum(1 for p in split["train"] + split["validation"] + split["test"] if p.source.startswith(name + "/"))
              for name in COLLECTIONS}
    lines = [
        "# Model card: the Maestro composer",
        "",
        "A small decoder-only transformer over symbolic melody events (key, mode, metre, energy, bars,",
        "chord symbols, rests, notes), trained by this project from licence-clean music, that writes and",
        "continues melodies over chord progressions and proposes chords for a melody inside Maestro.",
        "This file is written by the training run (`python -m training.train`); do not edit by hand.",
        "",
        "## Data and licences",
        "",
        "Only these music21 corpus collections are read (the Essen folk songs are not: non-commercial only).",
        "Any ABC file whose text mentions a licence, copyright or non-commercial term, and any MusicXML",
        "score whose rights field does, is skipped"
        + (f"; skipped: {', '.join(sorted(report['flagged_files']))}." if report["flagged_files"] else " (none was)."),
        "",
        "| collection | pieces used | licence |",
        "|---|---:|---|",
        *[f"| `{name}` | {counts[name]} | {why} |" for name, why in COLLECTIONS.items()],
        "",
        "From each piece: the melody (a chorale's soprano, a tune's line) on a 16th-note grid, its key",
        "(music21's Krumhansl-Schmuckler estimate, major/minor), metre, and a chord per bar or half bar",
        "estimated from every voice sounding there. Pieces with metre changes or tuplets are left out.",
        "Training windows are transposed at random by -5..+6 semitones (kept when the melody stays in",
        f"MIDI 48-95). The split is by tune family (versions of one tune found in two collections stay on one "
        f"side) with seed {report['split_seed']}: "
        + ", ".join(f"{name} {len(pieces)} pieces" for name, pieces in split.items()) + ".",
        "",
        "## Model and training",
        "",
        "- Events: a header (KEY_k, MODE_major/minor, METER_n/d, ENERGY_0-2, the energy being the piece's notes per",
        "  beat in terciles), then per bar BAR, CHORD_root_quality where the harmony changes, REST_d and NOTE_pitch_d",
        "  (pitch and duration in one token, d in 16ths). The position in the bar and the bar's place in an",
        "  eight-bar phrase are not tokens: the decoder knows them and the model reads them as embeddings beside",
        "  each token, so a note costs one step.",
        f"- Parameters: {report['parameters']:,}; d_model {hp['d_model']}, {hp['layers']} layers, {hp['heads']} heads, "
        f"feed-forward {hp['d_ff']}, context {hp['context']} tokens; learned token, place, beat-position and",
        "  phrase-bar embeddings; output tied to the token embedding.",
        f"- AdamW (betas 0.9/0.95, weight decay {hp['weight_decay']}), learning rate {hp['lr']} with {hp['warmup']} warm-up "
        f"steps and cosine decay to {hp['min_lr']}, batch {hp['batch']} windows, {hp['steps']} steps, dropout {hp['dropout']},",
        f"  seed {hp['seed']}, {hp['threads']} threads, deterministic kernels.",
        f"- Trained in {report['train_seconds'] / 60:.1f} min on {report['machine']} (Python {report['python']}, "
        f"torch {report['torch']}, its CPU kernels {report.get('cpu_kernels', 'not recorded')}); parsing the corpus "
        "the first time adds 6-10 min (2 processes), cached after.",
        "",
        "## Metrics",
        "",
        f"- Held-out bits per token (scored tokens after the header): validation {report['validation_bits']:.3f}, "
        f"test {report['test_bits']:.3f}.",
        "- Learning curve (bits per token): "
        + "; ".join(f"step {c['step']}: train {c['train_bits']:.2f}, validation {c['validation_bits']:.2f}" for c in report["curve"]) + ".",
        "- The comparison with an n-gram baseline, musical statistics and originality are in `docs/model-evaluation.md`.",
        "",
        "## Weights",
        "",
        "`maestro_ai/models/weights/composer.npz` (float32 arrays, the vocabulary, and a reference forward pass",
        f"that the numpy runtime is tested against). SHA-256: `{report['sha256']}`.",
        "Rebuild: `pip install -e '.[train]' && python -m training.train --out /tmp/rebuild`, then",
        "`python -m training.check /tmp/rebuild/weights/composer.npz` (both SHA-256s, and how far apart).",
        *REPRODUCIBLE,
        "",
        "## Intended use and limits",
        "",
        "Melodies for Maestro's songs in any genre; the training music is Celtic/Scottish/American fiddle and",
        "pipe tunes and Bach chorale sopranos, so the model's phrasing leans that way. It writes monophonic",
        "lines on a 16th-note grid (no triplets) and its chord vocabulary is major, minor, diminished and",
        "dominant seventh triads.",
        "",
        "## Training pieces (corpus paths)",
        "",
    ]
    for name, pieces in (("train", split["train"]), ("validation", split["validation"]), ("test", split["test"])):
        lines += [f"### {name} ({len(pieces)} pieces)", "", *_pieces_by_file(pieces), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    """Rewrite MODEL_CARD.md from weights/training.json and the cached corpus (no training):
    `python -m training.card`."""
    folder = MODELS
    report = json.loads((folder / "weights" / "training.json").read_text())
    pieces, _ = cached_corpus(CACHE)
    write_model_card(folder / "MODEL_CARD.md", split_pieces(pieces), report)


if __name__ == "__main__":
    main()
