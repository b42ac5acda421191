"""Import contracts generated from the package tree, then checked by import-linter.

Why generated: a contract that lists modules by hand says "kept" for a module nobody added
to it. Here the layers are declared once, as the *packages* of ``src/analysis/`` in
``[tool.kaztur.layers]`` of ``pyproject.toml`` (highest first), and every module the tree
holds is found by walking it:

* every top-level module or package of ``analysis`` must belong to exactly one layer (a new
  one that belongs nowhere fails lint, with the line to add);
* **layers**: a lower layer never imports a higher one; packages on one line separated by
  ``|`` are independent siblings (neither imports the other);
* **independent**: the modules and subpackages found inside each package named in
  ``independent`` do not import one another (the topic analyses; what they share lives in
  a lower layer);
* **computation never draws**: the packages named in ``no_drawing`` import no plotting or
  notebook display library;
* no import cycles between sibling modules.

    python tools/lint_layers.py            # generate and check (make lint)
    python tools/lint_layers.py --print    # show the generated contracts

Options ``--root`` (a project checkout; default: this one) and ``--print``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

PACKAGE = "analysis"


def declared(root: Path) -> dict:
    with open(root / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["tool"]["kaztur"]["layers"]


def children(folder: Path, dotted: str) -> list[str]:
    """Modules and packages directly inside ``folder`` (the package ``dotted``)."""
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.is_dir() and (entry / "__init__.py").is_file():
            found.append(f"{dotted}.{entry.name}")
        elif entry.suffix == ".py" and entry.stem not in ("__init__", "__main__"):
            found.append(f"{dotted}.{entry.stem}")
    return found


def layer_lines(spec: dict) -> list[list[str]]:
    return [[f"{PACKAGE}.{p.strip()}" for p in line.split("|")] for line in spec["order"]]


def problems(root: Path, spec: dict) -> list[str]:
    """Top-level modules in no layer or in two; declared packages that do not exist."""
    top = children(root / "src" / PACKAGE, PACKAGE)
    placed = [m for line in layer_lines(spec) for m in line]
    found = []
    for module in top:
        n = placed.count(module)
        if n != 1:
            found.append(f"{module} is in {n} layers of [tool.kaztur.layers] in pyproject.toml;"
                         " add it to exactly one line of 'order'")
    found += [f"{m} is declared in [tool.kaztur.layers] but src/{m.replace('.', '/')} does "
              "not exist" for m in placed if m not in top]
    return found


def contracts(root: Path, spec: dict) -> str:
    """The import-linter configuration (INI) for the tree at ``root``."""
    src = root / "src" / PACKAGE
    out = ["[importlinter]", f"root_package = {PACKAGE}", "include_external_packages = True",
           "", "[importlinter:contract:layers]",
           "name = Layers (highest first): " + " > ".join(spec["order"]),
           "type = layers", "layers ="]
    out += [f"    {' | '.join(line)}" for line in layer_lines(spec)]
    for package in spec.get("independent", []):
        dotted = f"{PACKAGE}.{package}"
        modules = children(src / package.replace(".", "/"), dotted)
        out += ["", f"[importlinter:contract:independent-{package}]",
                f"name = The modules of {dotted} do not import one another "
                f"({len(modules)} found)", "type = independence", "modules ="]
        out += [f"    {m}" for m in modules]
    out += ["", "[importlinter:contract:no-drawing]",
            "name = Computation never draws: " + ", ".join(spec["no_drawing"])
            + " import no plotting or notebook display", "type = forbidden", "source_modules ="]
    out += [f"    {PACKAGE}.{p}" for p in spec["no_drawing"]]
    out += ["forbidden_modules =", "    matplotlib", "    seaborn", "    IPython",
            "", "[importlinter:contract:acyclic]",
            "name = No import cycles between sibling modules", "type = acyclic_siblings",
            "ancestors =", f"    {PACKAGE}", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--print", action="store_true", help="print the contracts and stop")
    args = parser.parse_args(argv)
    spec = declared(args.root)
    found = problems(args.root, spec)
    if found:
        print("lint_layers: the package tree does not match its declared layers:",
              *(f"  - {p}" for p in found), sep="\n", file=sys.stderr)
        return 1
    text = contracts(args.root, spec)
    if args.print:
        print(text)
        return 0
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as fh:
        fh.write(text)
    try:
        lint = Path(sys.executable).with_name("lint-imports")
        # the tree at --root, not the installed package, is the one analysed
        env = {**os.environ, "PYTHONPATH": str(args.root / "src")}
        return subprocess.run([str(lint), fh.name, "--no-cache"], cwd=args.root / "src",
                              env=env).returncode
    finally:
        Path(fh.name).unlink()


if __name__ == "__main__":
    raise SystemExit(main())
