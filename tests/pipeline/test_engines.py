from maestro_ai.pipeline.engines import default_harmonizer, default_melody_engine


def test_the_learned_composer_is_the_default():
    engine = default_melody_engine()
    assert engine.name == "maestro-composer" and engine.version.startswith("sha256:")
    assert default_harmonizer().__name__ == "learned_harmonize"
