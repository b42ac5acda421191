"""The command line's help reads as plain text (no reStructuredText markup)."""

from __future__ import annotations

import argparse

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
    # `kaztur site --help` reaches the site builder's parser (dispatched before parsing)
    try:
        cli.main(["site", "--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: kaztur site") and "--force" in out and "``" not in out
