"""The numpy runtime against the reference forward pass that training stored with the weights."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from maestro_ai.models.runtime import WEIGHTS, Composer
from maestro_ai.models.tokens import Vocabulary


@pytest.fixture(scope="module")
def check():
    with np.load(WEIGHTS) as npz:
        return {k[len("check/"):]: npz[k] for k in npz.files if k.startswith("check/")}


def test_whole_sequence_matches_torch(check):
    model = Composer.load()
    logits = model.feed(model.start(), check["tokens"], check["positions"], check["phrases"], all_logits=True)
    assert np.abs(logits - check["logits"]).max() < 1e-3


def test_token_by_token_with_cache_matches_torch(check):
    model = Composer.load()
    state = model.start()
    t, p, b = check["tokens"], check["positions"], check["phrases"]
    steps = np.array([model.feed(state, t[i:i + 1], p[i:i + 1], b[i:i + 1]) for i in range(len(t))])
    assert np.abs(steps - check["logits"]).max() < 1e-3
    assert state.length == len(t)


def test_branches_score_continuations_without_touching_the_state(check):
    model = Composer.load()
    t, p, b = check["tokens"], check["positions"], check["phrases"]
    state = model.start()
    model.feed(state, t[:12], p[:12], b[:12])
    before = state.keys.copy()
    logp = model.branches(state, np.stack([t[12:20], t[12:20]]), p[12:20], b[12:20])
    ref = check["logits"][12:20].astype(np.float64)
    ref = ref - ref.max(axis=1, keepdims=True)
    ref = ref - np.log(np.exp(ref).sum(axis=1, keepdims=True))
    assert np.abs(logp[0] - ref).max() < 1e-3 and np.abs(logp[1] - ref).max() < 1e-3
    assert state.length == 12 and np.array_equal(before, state.keys)


def test_context_overflow_is_refused():
    model = Composer.load()
    with pytest.raises(ValueError, match="context"):
        model.feed(model.start(), [1] * (model.context + 1), [0] * (model.context + 1), [0] * (model.context + 1))


def test_weights_match_the_model_card():
    card = (Path(WEIGHTS).parent.parent / "MODEL_CARD.md").read_text()
    digest = hashlib.sha256(Path(WEIGHTS).read_bytes()).hexdigest()
    assert re.search(r"SHA-256: `([0-9a-f]{64})`", card).group(1) == digest
    assert Path(WEIGHTS).stat().st_size <= 20 * 1024 * 1024
    params = int(re.search(r"Parameters: ([\d,]+)", card).group(1).replace(",", ""))
    assert 800_000 <= params <= 10_000_000  # 'roughly 1-10 M'


def test_model_card_lists_the_training_pieces_and_their_licences():
    card = (Path(WEIGHTS).parent.parent / "MODEL_CARD.md").read_text()
    for collection in ("airdsAirs", "oneills1850", "ryansMammoth", "bach"):
        assert f"`{collection}`" in card
    assert "essenFolksong" not in card.split("## Training pieces")[1]
    listed = re.findall(r"^- `([^`]+)`", card, flags=re.M)
    assert len(listed) > 300 and all(p.split("/")[0] in ("airdsAirs", "oneills1850", "ryansMammoth", "bach") for p in listed)


def test_vocabulary_in_the_weights_is_the_code_vocabulary():
    with np.load(WEIGHTS) as npz:
        assert list(npz["vocabulary"]) == Vocabulary().names
