from maestro_ai.pipeline.variation import Variation


def test_steps_apply_in_the_order_the_edits_came():
    v = Variation("Rain")
    v.plan_steps += [lambda p: p + ["a"], lambda p: p + ["b"]]
    v.score_steps += [lambda plan, s, c, t: s + "1", lambda plan, s, c, t: s + "2"]
    assert v.plan([]) == ["a", "b"] and v.score(None, "", None, None) == "12"
    assert v.reroll("drums") == 1 and v.reroll("drums") == 2 and v.variants == {"drums": 2}
