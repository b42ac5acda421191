"""The command line's help reads as plain text (no reStructuredText markup)."""

from __future__ import annotations

import argparse

import pytest

from analysis.run import cli


def test_help_has_no_markup():
    parser = cli.build_parser()
    texts = [parser.format_help()]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            texts += [sub.format_help() for sub in action.choices.values()]
    assert len(texts) > 7
    for text in texts:
        assert "``" not in text and ":func:" not in text, text


def test_site_passes_its_own_options_through(capsys):
    # `kaztur site --help` reaches the site builder's parser, not kaztur's
    try:
        cli.main(["site", "--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: kaztur site") and "--force" in out and "``" not in out


@pytest.mark.parametrize(("argv", "dest", "expected"), [
    # kaztur lab's own --handouts/--lang/--reset are declared (listed by --help); the rest
    # passes through to JupyterLab
    (["lab", "--port", "8899", "--handouts", "--lang", "en"], "lab_args", ["--port", "8899"]),
    (["lab", "--", "--port=8899"], "lab_args", ["--", "--port=8899"]),
    (["lab", "notebooks/01_trade.ipynb", "--no-browser"], "lab_args",
     ["notebooks/01_trade.ipynb", "--no-browser"]),
    (["lab"], "lab_args", []),
    (["site", "--lang", "en", "--force"], "site_args", ["--lang", "en", "--force"]),
])
def test_lab_and_site_get_every_argument_kaztur_does_not_know(argv, dest, expected):
    args = cli.parse(argv)
    assert args.command == argv[0] and getattr(args, dest) == expected


@pytest.mark.parametrize("argv", [["verify", "--port", "1"], ["run", "--nope"],
                                  ["check", "extra"]])
def test_other_commands_refuse_arguments_they_do_not_know(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.parse(argv)
    assert exc.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_lab_help_is_kaztur_s(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.parse(["lab", "--help"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("usage: kaztur lab")
