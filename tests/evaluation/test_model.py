"""The model evaluation finds the training record it draws the learning curve from."""

import json

from evaluation import model


def test_training_record_is_the_shipped_one_and_has_a_curve():
    record = json.loads(model.TRAINING_RECORD.read_text())
    assert record["curve"], "the learning curve figure would be empty"
    assert {"step", "train_bits", "validation_bits"} <= set(record["curve"][0])
