"""Cyclomatic complexity as radon counts it, capped: ``make lint`` fails above the cap.

Why radon and not ruff's C901: ruff's McCabe count leaves out boolean operators, so a
condition chained with ``and``/``or`` twenty times passes at 15. radon (pinned in the lock)
counts each boolean operator as a branch, which is what a reader has to hold in mind.

    python tools/lint_complexity.py [--max 15] [PATH ...]   # default: src/
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parents[1]


def offenders(paths: list[Path], cap: int) -> list[str]:
    found = []
    for path in paths:
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            for block in cc_visit(file.read_text(encoding="utf-8")):
                for item in [block, *getattr(block, "methods", [])]:
                    if item.complexity > cap:
                        name = (f"{item.classname}.{item.name}"
                                if getattr(item, "classname", None) else item.name)
                        where = file.relative_to(ROOT) if file.is_relative_to(ROOT) else file
                        found.append(f"{where}:{item.lineno}: {name} has complexity "
                                     f"{item.complexity} (at most {cap})")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max", type=int, default=15)
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "src"])
    args = parser.parse_args(argv)
    found = offenders(args.paths, args.max)
    print(*found, sep="\n", file=sys.stderr)
    print(f"lint_complexity: {len(found)} block(s) above {args.max}" if found
          else f"lint_complexity: every block at most {args.max}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
