from maestro_ai.core.errors import MaestroError, OutputError, already_exists, unknown_choice


def test_a_message_has_a_python_and_a_shell_wording():
    err = already_exists("'out/song'")
    assert isinstance(err, OutputError) and "force=True" in str(err) and "--force" in err.shell
    assert MaestroError("tempo 400 is out of range").shell == "tempo 400 is out of range"


def test_unknown_names_suggest_the_closest_and_list_each_valid_name_once():
    err = unknown_choice("tone target or genre", "rok", ["rock", "warm", "rock", "rock"])
    assert "did you mean 'rock'" in str(err)
    assert str(err).endswith("Valid: rock, warm")  # 'rock, rock' no more
    assert "did you mean" not in str(unknown_choice("target", "", ["spotify", "apple"]))
