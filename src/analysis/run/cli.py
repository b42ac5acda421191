"""The ``kaztur`` command line.

    kaztur verify      check raw files against checksums, schemas and the source text
    kaztur data        build data/processed/ (CSV and Parquet)
    kaztur manifest    regenerate data/raw/datapackage.json after a deliberate raw change
    kaztur run         execute the notebooks headlessly and build reports/
    kaztur check       recompute every stated number and write reports/ledger.csv
    kaztur lab         open JupyterLab with the project kernel
    kaztur refresh-notebooks   re-execute notebooks in place (updates nbval expectations)
    kaztur external build|refresh   write data/external/ (official statistics)

Exit status: 0 on success, 1 on bad data or a failed run, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from analysis.errors import DataError


def _verify(args: argparse.Namespace) -> int:
    from analysis.run import verify

    found = verify.problems()
    if found:
        print(f"kaztur verify: {len(found)} problem(s) in data/raw/:", file=sys.stderr)
        for p in found:
            print(f"  - {p}", file=sys.stderr)
        return 1
    from analysis.data.schemas import RESOURCES

    print(f"kaztur verify: {len(RESOURCES)} raw files match their checksums and schemas.")
    return 0


def _data(args: argparse.Namespace) -> int:
    from analysis import config
    from analysis.errors import rel
    from analysis.run import processed

    written = processed.write_all(config.PROCESSED_DIR)
    print(f"kaztur data: wrote {len(written)} files to {rel(config.PROCESSED_DIR)}/")
    return 0


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kaztur", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("verify", help="check raw files").set_defaults(func=_verify)
    sub.add_parser("data", help="build data/processed/").set_defaults(func=_data)
    sub.add_parser("manifest", help="regenerate datapackage.json").set_defaults(func=_manifest)

    run = sub.add_parser("run", help="execute notebooks and build reports/")
    run.add_argument("notebooks", nargs="*", help="notebook stems to run (default: all)")
    run.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                     help="set a parameter (for every notebook that declares it)")
    run.add_argument("-f", "--parameters-file", metavar="YAML",
                     help="YAML file of parameters: {notebook_stem: {name: value}} "
                          "or {name: value}")
    run.add_argument("--jobs", "-j", type=int, default=None, help="notebooks run at once")
    run.add_argument("--force", action="store_true", help="ignore the cache")
    run.set_defaults(func=_delegate("analysis.run.pipeline", "main"))

    check = sub.add_parser("check", help="build the claims ledger")
    check.add_argument("--strict", action="store_true",
                       help="exit non-zero when any contradiction is found")
    check.add_argument("--out", metavar="DIR", default=None,
                       help="folder for ledger.csv and ledger.html (default: "
                            "$KAZTUR_REPORTS_DIR, else reports/)")
    check.set_defaults(func=_delegate("analysis.run.check", "main"))

    # `kaztur lab ARGS` is dispatched by main() before parsing, so that JupyterLab's own
    # options pass through untouched; this entry gives it a place in --help.
    sub.add_parser("lab", help="open JupyterLab on the notebooks (extra options go to "
                               "jupyter lab)")

    refresh = sub.add_parser("refresh-notebooks", help="re-execute notebooks in place")
    refresh.add_argument("notebooks", nargs="*")
    refresh.set_defaults(func=_delegate("analysis.run.pipeline", "refresh_main"))

    external = sub.add_parser("external", help="build or refresh data/external/")
    actions = external.add_subparsers(dest="action", required=True)
    for action, what in (("build", "derive it from ../shared/external/ snapshots"),
                         ("refresh", "fetch the WDI indicators anew (needs network)")):
        actions.add_parser(action, help=what).set_defaults(
            func=_delegate("analysis.run.external", action))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["lab"] and not {"-h", "--help"} & set(argv[1:2]):
        # JupyterLab's own options (``kaztur lab --port 8899``) pass through untouched
        args = argparse.Namespace(command="lab", lab_args=argv[1:],
                                  func=_delegate("analysis.run.lab", "main"))
    else:
        args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as exc:
        print(f"kaztur {args.command}: bad input data:\n{exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
