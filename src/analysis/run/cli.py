"""The kaztur command line.

    kaztur verify      check raw files against checksums, schemas and the source text
    kaztur data        build data/processed/ (CSV and Parquet)
    kaztur manifest    regenerate data/raw/datapackage.json after a deliberate raw change
    kaztur run         execute the notebooks headlessly and build reports/
    kaztur check       recompute every stated number and write the ledger
    kaztur lab         open JupyterLab with the project kernel
    kaztur refresh-notebooks   re-execute notebooks in place (updates nbval expectations)
    kaztur site        build the static replication site reports/site/ (both languages)
    kaztur external build|refresh   write data/external/ (official statistics)

The project is the folder you are in (or the nearest folder above it that holds data/raw/),
or KAZTUR_ROOT when set; never, silently, the checkout the package was installed from.
Exit status: 0 on success, 1 on bad data or a failed run, 2 on bad usage, 130 after Ctrl-C
(SIGINT), 143 after SIGTERM.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from analysis.errors import EnvironmentProblem
from analysis.run import exits

PROJECT_COMMANDS = ("verify", "data", "manifest", "run", "check")


def _verify(args: argparse.Namespace) -> int:
    from analysis.run import verify

    return verify.main()


def _data(args: argparse.Namespace) -> int:
    from analysis.run import processed

    return processed.main()


def _manifest(args: argparse.Namespace) -> int:
    from analysis.data import manifest
    from analysis.errors import rel

    print(f"kaztur manifest: wrote {rel(manifest.write())}")
    return 0


def _delegate(module: str, function: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        import importlib

        return int(getattr(importlib.import_module(module), function)(args) or 0)

    return run


def _site(args: argparse.Namespace) -> int:
    # imported when used, like every subcommand: Sphinx is slow to import
    from analysis.run.site.make import main as site_main

    return site_main(args.site_args)


def _run_parser(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="execute notebooks and build reports/",
                         description="Execute the notebooks headlessly (cached, in parallel) "
                                     "in Kazakh and English, rebuild the claims ledger, and "
                                     "replace reports/ as a whole. With NAMEs, only those "
                                     "notebooks are updated; the rest of reports/ is kept.")
    run.add_argument("notebooks", nargs="*", metavar="NAME",
                     help="notebook stems to run (default: all)")
    run.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                     help="set a parameter (for every notebook that declares it); "
                          "-p lang=en builds one language only")
    run.add_argument("-f", "--parameters-file", metavar="YAML",
                     help="YAML file of parameters: {notebook_stem: {name: value}} "
                          "or {name: value}")
    run.add_argument("--lang", action="append", choices=("kk", "en"), default=None,
                     help="build this language only (repeatable; default: kk and en)")
    run.add_argument("--jobs", "-j", type=int, default=None,
                     help="notebooks run at once (default: one per CPU core)")
    run.add_argument("--force", action="store_true", help="ignore the cache")
    loud = run.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true",
                      help="print only problems and the final line")
    loud.add_argument("-v", "--verbose", action="store_true",
                      help="a line per notebook started and per cell; every contradiction")
    run.set_defaults(func=_delegate("analysis.run.pipeline", "main"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kaztur", description="Reproduce, check and teach the numbers of a "
                                   "Kazakh-language dissertation on Kazakhstan–Türkiye "
                                   "relations.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("verify", help="check raw files").set_defaults(func=_verify)
    sub.add_parser("data", help="build data/processed/").set_defaults(func=_data)
    sub.add_parser("manifest", help="regenerate datapackage.json").set_defaults(func=_manifest)
    _run_parser(sub)

    check = sub.add_parser("check", help="build the claims ledger")
    check.add_argument("--strict", action="store_true",
                       help="exit non-zero when any contradiction is found")
    check.add_argument("--out", metavar="DIR", default=None,
                       help="folder for ledger.csv and ledger.json (default: "
                            "$KAZTUR_REPORTS_DIR, else reports/kk/ and reports/en/)")
    check.add_argument("--lang", choices=("kk", "en"), default=None,
                       help="language of the ledger written to --out (default kk)")
    check.set_defaults(func=_delegate("analysis.run.ledger_files", "main"))

    # lab and site parse their own options: what this parser does not know passes through
    # untouched (JupyterLab's ``--port 8899``, the site builder's ``--lang en --force``)
    lab = sub.add_parser("lab", help="open JupyterLab on the notebooks; --handouts [--lang en] "
                               "[--reset] opens the students' copies instead (other options "
                               "go to jupyter lab)",
                   description="Open JupyterLab with the project kernel 'kaztur' and no "
                               "pop-ups. kaztur lab: the notebooks of notebooks/. kaztur "
                               "lab --handouts [--lang kk|en] [--reset]: the students' "
                               "copies in reports/handouts/<lang>/ (written when missing; "
                               "--reset writes them anew, replacing students' answers). "
                               "Any other option goes to jupyter lab (e.g. --port 8899).",
                   allow_abbrev=False)
    lab.add_argument("--handouts", action="store_true",
                     help="open the students' copies (reports/handouts/<lang>/, seminar "
                          "notebooks without solutions), writing the missing ones first")
    lab.add_argument("--lang", choices=("kk", "en"), default=None,
                     help="language of the handouts (with --handouts; default kk)")
    lab.add_argument("--reset", action="store_true",
                     help="with --handouts: write every handout anew (the students' answers "
                          "in them are lost)")
    lab.set_defaults(func=_delegate("analysis.run.lab", "main"), passes_through="lab_args")

    refresh = sub.add_parser("refresh-notebooks", help="re-execute notebooks in place")
    refresh.add_argument("notebooks", nargs="*")
    refresh.set_defaults(func=_delegate("analysis.run.refresh", "refresh_main"))

    sub.add_parser("site", add_help=False,  # kaztur site --help: the builder's own help
                   help="build the replication site reports/site/ (kk and en) from the "
                        "executed notebooks; options: kaztur site --help"
                   ).set_defaults(func=_site, passes_through="site_args")

    external = sub.add_parser("external", help="build or refresh data/external/")
    actions = external.add_subparsers(dest="action", required=True)
    for action, what in (("build", "derive it from ../shared/external/ snapshots"),
                         ("refresh", "fetch the WDI indicators and the trade series anew "
                                     "(needs network); name wdi or trade to fetch one")):
        command = actions.add_parser(action, help=what)
        command.set_defaults(func=_delegate("analysis.run.external_build", action))
        if action == "refresh":
            # no ``choices``: argparse checks the empty default of nargs="*" against them
            command.add_argument("sources", nargs="*", metavar="{wdi,trade}",
                                 help="what to fetch (default: both)")
    return parser


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """The command and its options; a command that parses its own (``passes_through``) gets
    every argument this parser does not know, in order, the others an error (exit 2)."""
    parser = build_parser()
    args, rest = parser.parse_known_args(list(argv))
    passes_through = getattr(args, "passes_through", None)
    if passes_through:
        setattr(args, passes_through, rest)
    elif rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    return args


def _dispatch(args: argparse.Namespace) -> int:
    from analysis import config

    if args.command in PROJECT_COMMANDS:
        problem = config.project_problem()
        if problem:
            raise EnvironmentProblem(problem)
    return int(args.func(args))


def main(argv: Sequence[str] | None = None, *, entry: bool = False) -> int:
    """Run one command and return its exit status (:func:`analysis.run.exits.guarded`;
    ``entry`` for the process's own entry point, :func:`console`)."""
    args = parse(sys.argv[1:] if argv is None else argv)
    # JupyterLab handles its own Ctrl-C
    return exits.guarded(args.command, lambda: _dispatch(args),
                         signals=args.command != "lab", entry=entry)


def console() -> int:
    """The ``kaztur`` executable and ``python -m analysis.run.cli``."""
    return main(entry=True)


if __name__ == "__main__":
    raise SystemExit(console())
