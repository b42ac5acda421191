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
