"""``kaztur run``: execute the notebooks headlessly, cached and in parallel, and build reports/.

Why it is built this way:

* **Validate first.** Every notebook's parameters (defaults < YAML file < ``-p``) are checked
  with :func:`analysis.run.params.validate` before any kernel starts: papermill alone only warns
  about an unknown name, and a typo must not cost a full run.
* **Never a half-built report.** Everything is written into a staging folder beside
  ``reports/``; only a complete, successful run is swapped in (old folder renamed aside,
  staging renamed in, old deleted). Files in ``reports/`` that the pipeline does not own
  (``ledger.csv``, ``ledger.html``, ``screenshots/`` written by ``kaztur check`` and the
  browser test) are carried over into the new folder.
* **Content-addressed cache.** A notebook's cache key hashes its cells' source (not its
  stored outputs), its validated parameters, every file of the ``analysis`` package the
  kernel imports, every input data file (``data/raw/**``, ``data/processed/**``, the source
  text when present) and the package versions. A hit copies the stored executed notebook,
  its HTML and its output folder; no kernel starts and nothing heavy is imported, so a
  no-op run takes well under a second.
* **Parallel but deterministic.** Notebooks are independent; they run in a process pool
  (each worker sets its own working folder and environment, which threads could not).
  Manifest and index list notebooks in discovery order whatever the completion order.

``kaztur refresh-notebooks`` re-executes the committed notebooks in place (default
parameters, no papermill metadata, no timings) so that updating nbval's expectations is
one visible, reviewable command.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
import time
import traceback
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.run import params as params_mod

# Bump when the layout of a cache entry or of the executed outputs changes.
PIPELINE_VERSION = "1"
KERNEL = "kaztur"
CACHE_ENV = "KAZTUR_CACHE_DIR"
# Files of the package read only by the parent process to render the index: editing them
# rebuilds the index (always rebuilt) but need not re-execute notebooks.
INDEX_ONLY_FILES = frozenset({"run/exhibits.yaml", "run/templates/index.html.j2",
                              "present/labels/report.yaml"})
# Packages whose versions are recorded in the manifest and enter every cache key.
PACKAGES = ("kaztur-analysis", "pandas", "numpy", "scipy", "statsmodels", "matplotlib",
            "seaborn", "pandera", "pyarrow", "papermill", "nbclient", "nbconvert", "nbformat",
            "ipykernel", "jupyter_client", "nbval", "jinja2", "pyyaml")
# Top-level entries of reports/ that a run always owns (besides one folder per notebook).
OWNED_FILES = ("index.html", "manifest.json")
META_FILE = "run.json"
OFFLINE_TEMPLATE = Path(__file__).parent / "templates" / "notebook_offline.html.j2"
_IMG_WITHOUT_ALT = re.compile(r"<img (?![^>]*\balt=)")


class PipelineError(Exception):
    """A problem found before execution (bad parameters, missing notebook): exit 1."""


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Notebook:
    """One notebook of the sequence: ``stem`` keys the parameter schema and the cache,
    ``rel`` (relative to ``notebooks/``, without suffix) names its folder in reports/."""

    stem: str
    path: Path
    rel: str

    @property
    def out_rel(self) -> str:
        return self.rel


def discover(notebooks_dir: Path) -> list[Notebook]:
    """``notebooks/[0-9][0-9]_*.ipynb`` then ``notebooks/seminar/*.ipynb``, each sorted."""
    found = sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb"))
    seminar = notebooks_dir / "seminar"
    if seminar.is_dir():
        found += sorted(seminar.glob("*.ipynb"))
    result: list[Notebook] = []
    seen: dict[str, Path] = {}
    for path in found:
        if path.name.startswith("."):
            continue
        stem = path.stem
        if stem in seen:
            raise PipelineError(f"two notebooks share the name {stem!r}: {seen[stem]} and {path}")
        seen[stem] = path
        rel = path.relative_to(notebooks_dir).with_suffix("").as_posix()
        result.append(Notebook(stem, path, rel))
    return result


def select(all_notebooks: list[Notebook], names: Sequence[str]) -> list[Notebook]:
    """The notebooks named on the command line (stem, file name or path), in sequence order."""
    if not names:
        return list(all_notebooks)
    by_stem = {nb.stem: nb for nb in all_notebooks}
    wanted: set[str] = set()
    unknown = []
    for name in names:
        stem = Path(name).name.removesuffix(".ipynb")
        if stem in by_stem:
            wanted.add(stem)
        else:
            unknown.append(name)
    if unknown:
        raise PipelineError(f"no such notebook(s): {', '.join(unknown)}; "
                            f"known: {', '.join(by_stem) or '(none)'}")
    return [nb for nb in all_notebooks if nb.stem in wanted]


def structure_problems(notebooks: Iterable[Notebook]) -> list[str]:
    """Each notebook must be valid JSON with exactly one cell tagged ``parameters`` (where
    papermill injects the values; with none it would inject at the top, silently)."""
    problems = []
    for nb in notebooks:
        try:
            cells = json.loads(nb.path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError) as exc:
            problems.append(f"notebooks/{nb.rel}.ipynb is not a readable notebook: {exc}")
            continue
        tagged = [i for i, c in enumerate(cells)
                  if "parameters" in c.get("metadata", {}).get("tags", [])]
        if len(tagged) != 1:
            problems.append(f"notebooks/{nb.rel}.ipynb: expected exactly one cell tagged "
                            f"'parameters', found {len(tagged)} (cells {tagged})")
    return problems


# --------------------------------------------------------------------------- parameters


def _load_yaml(path: str | Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise PipelineError(f"cannot read parameters file {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise PipelineError(f"parameters file {path} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PipelineError(f"parameters file {path}: expected a mapping "
                            f"({{name: value}} or {{notebook: {{name: value}}}}), "
                            f"got {type(data).__name__}")
    return data


def resolve_parameters(selected: Sequence[Notebook], assignments: Sequence[str] = (),
                       parameters_file: str | Path | None = None,
                       known_stems: Iterable[str] = ()) -> dict[str, dict[str, Any]]:
    """Validated parameters per selected notebook: defaults < YAML file < ``-p``.

    A global name (``-p`` or a top-level YAML scalar) applies to every selected notebook
    that declares it and is an error when none does; a per-notebook YAML section must name
    parameters that notebook declares. All problems are reported together.
    """
    problems: list[str] = []
    cli: dict[str, Any] = {}
    for text in assignments:
        try:
            name, value = params_mod.parse_assignment(text)
        except params_mod.ParameterError as exc:
            problems.append(f"-p {text}: {exc}")
            continue
        cli[name] = value
    file_global: dict[str, Any] = {}
    file_per: dict[str, dict[str, Any]] = {}
    stems = set(known_stems) | set(params_mod.NOTEBOOKS) | {nb.stem for nb in selected}
    if parameters_file:
        for key, value in _load_yaml(parameters_file).items():
            key = str(key)
            if isinstance(value, dict):
                if key in stems:
                    file_per[key] = {str(k): v for k, v in value.items()}
                else:
                    problems.append(f"{parameters_file}: {key!r} is not a notebook "
                                    f"(known: {', '.join(sorted(stems))})")
            else:
                file_global[key] = value
    declared: dict[str, set[str]] = {}
    for nb in selected:
        try:
            declared[nb.stem] = {p.name for p in params_mod.spec(nb.stem)}
        except params_mod.ParameterError as exc:
            problems.append(str(exc))
    for origin, names in (("-p", cli), (str(parameters_file), file_global)):
        for name in names:
            if declared and not any(name in d for d in declared.values()):
                problems.append(
                    f"{origin}: parameter {name!r} is declared by none of the selected "
                    f"notebooks ({', '.join(nb.stem for nb in selected)})")
    result: dict[str, dict[str, Any]] = {}
    for nb in selected:
        if nb.stem not in declared:
            continue
        mine = declared[nb.stem]
        values = {k: v for k, v in file_global.items() if k in mine}
        values.update(file_per.get(nb.stem, {}))
        values.update({k: v for k, v in cli.items() if k in mine})
        try:
            result[nb.stem] = params_mod.validate(nb.stem, values)
        except params_mod.ParameterError as exc:
            problems.append(str(exc))
    if problems:
        raise PipelineError("invalid parameters, nothing was executed:\n"
                            + "\n".join(f"  - {p}" for p in dict.fromkeys(problems)))
    return result


def index_language(assignments: Sequence[str], parameters_file: str | Path | None) -> str:
    """The index follows a global ``lang`` (``-p lang=en`` or top-level YAML); default kk."""
    lang = "kk"
    if parameters_file:
        value = _load_yaml(parameters_file).get("lang")
        if isinstance(value, str):
            lang = value
    for text in assignments:
        name, value = params_mod.parse_assignment(text)
        if name == "lang" and isinstance(value, str):
            lang = value
    return lang if lang in ("kk", "en") else "kk"


# --------------------------------------------------------------------------- hashing


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tree_files(folder: Path, exclude: Iterable[str] = ()) -> list[Path]:
    skip = set(exclude)
    out = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if (not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc"
                or rel in skip or any(part.startswith(".") for part in Path(rel).parts)):
            continue
        out.append(path)
    return out


def library_dir() -> Path:
    """The ``analysis`` package the kernels import (the installed one, wherever the data is)."""
    import analysis

    return Path(analysis.__file__).resolve().parent


def library_hashes(folder: Path | None = None) -> dict[str, str]:
    """sha256 of every file of the library that notebooks can import."""
    folder = folder or library_dir()
    return {p.relative_to(folder).as_posix(): sha256_file(p)
            for p in _tree_files(folder, INDEX_ONLY_FILES)}


def input_hashes(root: Path) -> dict[str, str]:
    """sha256 of every input data file: data/raw/**, data/processed/**, data/external/** and,
    when present beside the checkout, the dissertation text that checks compare against."""
    out: dict[str, str] = {}
    for sub in ("data/raw", "data/processed", "data/external"):
        for path in _tree_files(root / sub):
            out[path.relative_to(root).as_posix()] = sha256_file(path)
    # the same rule as analysis.config, applied to this root (a kernel started with
    # KAZTUR_ROOT=root resolves the source folder this way)
    source = Path(os.environ.get("KAZTUR_SOURCE_DIR", root.parent / "shared" / "source"))
    for path in sorted(source.glob("*.txt")) if source.is_dir() else []:
        out[f"source/{path.name}"] = sha256_file(path)
    return out


def package_versions() -> dict[str, str]:
    import importlib.metadata as metadata
    import platform

    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def notebook_code_hash(path: Path) -> str:
    """Hash of what a notebook *does*: cell types, sources and tags, and its kernel. Stored
    outputs, execution counts and other metadata are left out, so refreshing the committed
    outputs does not invalidate the cache."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        tags = sorted(cell.get("metadata", {}).get("tags", []))
        cells.append([cell.get("cell_type"), source, tags])
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    return _digest({"cells": cells, "kernel": kernel})


def _digest(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(code: str, parameters: Mapping[str, Any], library: Mapping[str, str],
              inputs: Mapping[str, str], versions: Mapping[str, str]) -> str:
    """The content hash that decides whether a notebook re-executes."""
    return _digest({"pipeline": PIPELINE_VERSION, "kernel": KERNEL, "code": code,
                    "parameters": dict(parameters), "library": dict(library),
                    "inputs": dict(inputs), "versions": dict(versions)})


# --------------------------------------------------------------------------- progress


class Progress:
    """One line per event on stderr, so it works in a log file and in CI (no TTY)."""

    def __init__(self, t0: float, stream=None) -> None:
        self.t0 = t0
        self.stream = stream

    def __call__(self, stem: str, message: str) -> None:
        emit(self.t0, stem, message, self.stream)


def emit(t0: float, stem: str, message: str, stream=None, command: str = "run") -> None:
    line = f"kaztur {command} [{time.time() - t0:7.1f}s] {stem}: {message}\n"
    out = stream or sys.stderr
    out.write(line)  # one write per line: lines from parallel workers do not interleave
    out.flush()


# --------------------------------------------------------------------------- worker side


@dataclass
class Task:
    stem: str
    rel: str
    source: str
    out_dir: str
    parameters: dict[str, Any]
    root: str
    t0: float
    html: bool = True


def _kernel_env(out_dir: str | None, root: str | None) -> dict[str, str]:
    env = {
        # the inline backend renders with Agg (headless) and still shows figures in the
        # executed notebook and its HTML; plain Agg would drop them from the notebook
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONHASHSEED": "0",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    if out_dir is not None:
        env["KAZTUR_OUTPUT_DIR"] = out_dir
    if root is not None:
        env["KAZTUR_ROOT"] = root
    return env


def _make_engine(label: str, report):
    """A papermill engine that reports each code cell as it starts."""
    from papermill.engines import NBClientEngine

    class ProgressEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            code_cells = [i for i, c in enumerate(nb_man.nb.cells) if c.cell_type == "code"]
            started = time.time()
            original = nb_man.cell_start

            def cell_start(cell, cell_index=None, **kw):
                if cell.cell_type == "code" and cell_index in code_cells:
                    n = code_cells.index(cell_index) + 1
                    report(label, f"cell {n}/{len(code_cells)} "
                                  f"({time.time() - started:.1f}s in notebook)")
                return original(cell, cell_index, **kw)

            nb_man.cell_start = cell_start
            # papermill rewrites (and re-validates) the whole output notebook before and after
            # every cell; for a notebook with many figures that is seconds of CPU. The partly
            # executed notebook is still written once when the run ends, failed or not.
            save = nb_man.save
            nb_man.save = lambda **kw: None
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            finally:
                nb_man.save = save

    return ProgressEngine


def _first_lines(source: str, n: int = 3) -> str:
    lines = source.splitlines()
    text = "\n".join(lines[:n])
    return text + ("\n..." if len(lines) > n else "")


def _tidy_papermill_metadata(path: Path, task: Task) -> None:
    """Replace staging paths in papermill's metadata with project-relative ones."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    pm = nb.get("metadata", {}).get("papermill")
    if pm is not None:
        pm["input_path"] = f"notebooks/{task.rel}.ipynb"
        pm["output_path"] = f"reports/{task.rel}/{task.stem}.ipynb"
        path.write_text(json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                        encoding="utf-8")


def _html_exporter(**options):
    """nbconvert's HTMLExporter without its BeautifulSoup pass (which only adds generic alt
    texts and tabindex attributes, and costs more than rendering the template itself)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class FastHTMLExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            lang = nb.metadata.get("language_info", {})
            lexer = lang.get("pygments_lexer", lang.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _IMG_WITHOUT_ALT.sub('<img alt="" ', html), resources

    try:
        FastHTMLExporter._init_resources  # noqa: B018 (private API: fall back if it moved)
        cls = FastHTMLExporter
    except AttributeError:
        cls = HTMLExporter
    return cls(template_name="lab", template_file=str(OFFLINE_TEMPLATE), **options)


def export_html(notebook: Path) -> list[Path]:
    """``<stem>.html`` (full) and ``<stem>.reader.html`` (no input cells) beside it."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    written = []
    for suffix, options in ((".html", {}),
                            (".reader.html", {"exclude_input": True,
                                              "exclude_input_prompt": True,
                                              "exclude_output_prompt": True})):
        body, _ = _html_exporter(**options).from_notebook_node(
            nb, resources={"metadata": {"name": notebook.stem}})
        target = notebook.with_name(notebook.stem + suffix)
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def _light_imports() -> None:
    """nbformat imports jsonschema, which builds ~40 grammars for the optional IRI format
    checker (about a second per process); notebook schemas never use that format."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def execute_task(task: Task) -> dict[str, Any]:
    """Run one notebook with papermill (in a pool worker) and render its HTML."""
    _light_imports()
    os.environ.update(_kernel_env(task.out_dir, task.root))
    out_dir = Path(task.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / f"{task.stem}.ipynb"
    report = Progress(task.t0)
    start = time.time()
    result: dict[str, Any] = {"stem": task.stem, "start": start, "notebook": str(output)}
    report(task.stem, "started")
    try:
        import papermill
        from papermill.engines import papermill_engines
        from papermill.exceptions import PapermillExecutionError

        papermill_engines.register("kaztur-progress", _make_engine(task.stem, report))
        papermill.execute_notebook(
            task.source, str(output), parameters=task.parameters, kernel_name=KERNEL,
            engine_name="kaztur-progress", cwd=str(Path(task.source).parent),
            progress_bar=False, log_output=False, report_mode=False,
            # the kernel's TCP-transport warning would drown the progress lines
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            # every reply has arrived and every file is written when the last cell ends;
            # a graceful shutdown only adds ~0.7 s of waiting per notebook
            shutdown_kernel="immediate",
        )
    except PapermillExecutionError as exc:
        source = exc.source if isinstance(exc.source, str) else "".join(exc.source or [])
        result.update(status="failed", error={
            "cell_index": _source_cell_index(Path(task.source), source, exc.cell_index),
            "executed_cell_index": exc.cell_index, "exec_count": exc.exec_count,
            "source": _first_lines(source), "ename": exc.ename, "evalue": exc.evalue})
    except Exception as exc:  # a kernel that died, a timeout, a broken notebook file
        result.update(status="failed", error={
            "cell_index": None, "source": "", "ename": type(exc).__name__,
            "evalue": str(exc).strip().splitlines()[-1] if str(exc).strip() else "",
            "traceback": traceback.format_exc(limit=3)})
    else:
        result["status"] = "ok"
    result["end"] = time.time()
    result["duration"] = round(result["end"] - start, 3)
    if output.is_file():
        try:
            _tidy_papermill_metadata(output, task)
        except (OSError, ValueError):
            pass
    if result["status"] == "ok":
        nb = json.loads(output.read_text(encoding="utf-8"))
        result["cells"] = sum(1 for c in nb["cells"] if c["cell_type"] == "code")
        if task.html:
            export_html(output)
        report(task.stem, f"done in {result['duration']:.1f}s")
    else:
        report(task.stem, f"FAILED after {result['duration']:.1f}s")
    return result


def _source_cell_index(source_path: Path, cell_source: str, executed_index: int) -> int:
    """Index of the failing cell in the notebook file (papermill inserts a cell of injected
    parameters, which shifts the executed notebook's indices by one)."""
    try:
        cells = json.loads(source_path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return executed_index
    matches = [i for i, c in enumerate(cells)
               if ("".join(c["source"]) if isinstance(c["source"], list) else c["source"])
               == cell_source]
    if matches:
        return min(matches, key=lambda i: abs(i - executed_index))
    return executed_index


# --------------------------------------------------------------------------- cache


def cache_root(root: Path) -> Path:
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else root / ".kaztur-cache"


def _copy_tree(src: Path, dst: Path) -> None:
    """Copy a folder; hard links are not used so that editing reports/ cannot corrupt the
    cache (and vice versa)."""
    shutil.copytree(src, dst, dirs_exist_ok=True)


def cache_lookup(cache: Path, stem: str, key: str) -> Path | None:
    entry = cache / "runs" / stem / key
    if (entry / META_FILE).is_file():
        return entry
    return None


def cache_store(cache: Path, stem: str, key: str, folder: Path, meta: Mapping[str, Any],
                keep: int = 4) -> None:
    """Store a finished notebook's folder under its key (atomically: copy, then rename);
    keep the ``keep`` most recent entries per notebook."""
    base = cache / "runs" / stem
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".tmp-{key}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    _copy_tree(folder, tmp)
    (tmp / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True)
                                 + "\n", encoding="utf-8")
    target = base / key
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)
    entries = sorted((p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: (p / META_FILE).stat().st_mtime if (p / META_FILE).exists()
                     else 0, reverse=True)
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def expected_duration(cache: Path, nb: Notebook) -> tuple[float, int]:
    """Sort key to start the longest notebooks first: the longest cached run, else (for a
    notebook never run here) the size of the notebook file, whose stored outputs grow
    with the work it does."""
    return last_duration(cache, nb.stem), nb.path.stat().st_size


def last_duration(cache: Path, stem: str) -> float:
    """Duration of the notebook's longest cached run."""
    base = cache / "runs" / stem
    best = 0.0
    if base.is_dir():
        for meta in base.glob(f"*/{META_FILE}"):
            try:
                best = max(best, float(json.loads(meta.read_text())["duration"]))
            except (OSError, ValueError, KeyError):
                continue
    return best


# --------------------------------------------------------------------------- reports swap


def owned_entries(notebooks: Iterable[Notebook], old_manifest: Path | None = None) -> set[str]:
    """Top-level names in reports/ that runs own; everything else is carried over."""
    owned = set(OWNED_FILES) | {nb.rel.split("/")[0] for nb in notebooks}
    if old_manifest is not None and old_manifest.is_file():
        try:
            owned |= set(json.loads(old_manifest.read_text(encoding="utf-8"))["owned"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return owned


def carry_over(reports: Path, staging: Path, owned: set[str]) -> list[str]:
    """Copy entries of the current reports/ the pipeline does not own into staging."""
    kept = []
    if not reports.is_dir():
        return kept
    for entry in sorted(reports.iterdir()):
        if entry.name in owned or entry.name.startswith(".staging"):
            continue
        target = staging / entry.name
        if entry.is_dir():
            shutil.copytree(entry, target, symlinks=True)
        else:
            shutil.copy2(entry, target)
        kept.append(entry.name)
    return kept


def swap_in(staging: Path, reports: Path) -> None:
    """Replace reports/ by staging: rename the old folder aside, the new one in, delete the
    old. At no moment does reports/ hold a mix of two runs."""
    old = reports.with_name(f".{reports.name}-old-{os.getpid()}")
    if reports.exists():
        os.rename(reports, old)
    try:
        os.rename(staging, reports)
    except OSError:
        if old.exists():
            os.rename(old, reports)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _clean_leftovers(parent: Path, name: str) -> None:
    """Remove staging/old folders of runs that crashed (their process is gone)."""
    for path in parent.glob(f".{name}-*-*"):
        try:
            pid = int(path.name.rsplit("-", 1)[1])
        except ValueError:
            continue
        try:
            os.kill(pid, 0)
            alive = pid != os.getpid()
        except ProcessLookupError:
            alive = False
        except PermissionError:
            alive = True
        if not alive:
            shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- the run


@dataclass
class RunOptions:
    notebooks: Sequence[str] = ()
    assignments: Sequence[str] = ()
    parameters_file: str | None = None
    jobs: int | None = None
    force: bool = False
    root: Path | None = None
    html: bool = True


@dataclass
class NotebookResult:
    notebook: Notebook
    parameters: dict[str, Any]
    key: str
    status: str = "pending"
    source: str = "executed"
    meta: dict[str, Any] = field(default_factory=dict)


def _pool(jobs: int) -> ProcessPoolExecutor:
    import multiprocessing

    # fork: workers start instantly and inherit the (light) parent; each sets its own
    # environment and working folder for the kernels it starts
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))


def run(options: RunOptions, stream=None) -> int:
    """Validate, execute (or reuse), build staging, swap into reports/. Exit status."""
    t0 = time.time()
    out = stream or sys.stderr
    from analysis import config

    root = (options.root or config.ROOT).resolve()
    notebooks_dir = root / "notebooks"
    try:
        everything = discover(notebooks_dir)
        selected = select(everything, options.notebooks)
        if not selected:
            raise PipelineError(f"no notebooks found in {notebooks_dir}")
        problems = structure_problems(selected)
        if problems:
            raise PipelineError("nothing was executed:\n"
                                + "\n".join(f"  - {p}" for p in problems))
        parameters = resolve_parameters(selected, options.assignments, options.parameters_file,
                                        [nb.stem for nb in everything])
        lang = index_language(options.assignments, options.parameters_file)
    except (PipelineError, params_mod.ParameterError) as exc:
        out.write(f"kaztur run: {exc}\n")
        return 1

    library = library_hashes()
    inputs = input_hashes(root)
    versions = package_versions()
    cache = cache_root(root)
    results = []
    for nb in selected:
        key = cache_key(notebook_code_hash(nb.path), parameters[nb.stem], library, inputs,
                        versions)
        results.append(NotebookResult(nb, parameters[nb.stem], key))

    with _exclusive(cache, out, t0):
        return _run_locked(options, root, everything, selected, results, library, inputs,
                           versions, cache, lang, t0, out)


@contextlib.contextmanager
def _exclusive(cache: Path, out, t0: float):
    """One run at a time per cache (and so per project): two runs swapping reports/ or
    storing the same cache entry at once would race."""
    import fcntl

    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            emit(t0, "run", "another kaztur run is in progress; waiting for it", out)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _run_locked(options: RunOptions, root: Path, everything: list[Notebook],
                selected: list[Notebook], results: list[NotebookResult],
                library: dict[str, str], inputs: dict[str, str], versions: dict[str, str],
                cache: Path, lang: str, t0: float, out) -> int:
    reports = root / "reports"
    _clean_leftovers(root, "reports")
    staging = root / f".reports-staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        status = _execute_all(results, options, root, staging, cache, t0, out)
        if status != 0:
            return status
        from analysis.run import report

        owned = owned_entries(everything, reports / "manifest.json")
        manifest = report.build_manifest(
            root=root, results=results, library=library, inputs=inputs, versions=versions,
            start=t0, end=time.time(), jobs=_jobs(options.jobs), force=options.force,
            owned=sorted(owned), partial=len(selected) < len(everything), staging=staging)
        report.write_manifest(staging / "manifest.json", manifest)
        kept = carry_over(reports, staging, owned)
        report.write_index(staging / "index.html", manifest, lang=lang, extra_files=kept)
        swap_in(staging, reports)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    n_cached = sum(r.source == "cache" for r in results)
    emit(t0, "run", f"reports/ complete: {len(results)} notebook(s), "
                    f"{len(results) - n_cached} executed, {n_cached} from cache", out)
    return 0


def _jobs(jobs: int | None) -> int:
    return max(1, jobs or os.cpu_count() or 1)


def _execute_all(results: list[NotebookResult], options: RunOptions, root: Path, staging: Path,
                 cache: Path, t0: float, out) -> int:
    todo: list[NotebookResult] = []
    for res in results:
        folder = staging / res.notebook.out_rel
        hit = None if options.force else cache_lookup(cache, res.notebook.stem, res.key)
        if hit is not None:
            _copy_tree(hit, folder)
            (folder / META_FILE).unlink(missing_ok=True)
            res.meta = json.loads((hit / META_FILE).read_text(encoding="utf-8"))
            res.status, res.source = "ok", "cache"
            emit(t0, res.notebook.stem, "unchanged, reused from cache", out)
        else:
            todo.append(res)
    if not todo:
        return 0
    jobs = min(_jobs(options.jobs), len(todo))
    todo.sort(key=lambda r: expected_duration(cache, r.notebook), reverse=True)
    emit(t0, "run", f"executing {len(todo)} notebook(s) with {jobs} job(s)", out)
    failures: list[NotebookResult] = []
    with _pool(jobs) as pool:
        futures: dict[Future, NotebookResult] = {}
        for res in todo:
            task = Task(res.notebook.stem, res.notebook.rel, str(res.notebook.path),
                        str(staging / res.notebook.out_rel), res.parameters, str(root), t0,
                        options.html)
            futures[pool.submit(execute_task, task)] = res
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                res = futures[future]
                try:
                    meta = future.result()
                except Exception as exc:  # the worker itself crashed
                    meta = {"stem": res.notebook.stem, "status": "failed", "duration": 0.0,
                            "error": {"cell_index": None, "source": "",
                                      "ename": type(exc).__name__, "evalue": str(exc)}}
                meta["parameters"] = res.parameters
                meta["key"] = res.key
                res.meta, res.status = meta, meta["status"]
                if res.status == "ok":
                    cache_store(cache, res.notebook.stem, res.key,
                                staging / res.notebook.out_rel, meta)
                    shutil.rmtree(cache / "failed" / res.notebook.out_rel, ignore_errors=True)
                else:
                    failures.append(res)
    if failures:
        _report_failures(failures, staging, cache, root, out)
        return 1
    return 0


def _report_failures(failures: list[NotebookResult], staging: Path, cache: Path, root: Path,
                     out) -> None:
    keep = cache / "failed"
    out.write("\nkaztur run: FAILED; reports/ was left as it was.\n")
    for res in sorted(failures, key=lambda r: r.notebook.path):
        folder = keep / res.notebook.out_rel
        shutil.rmtree(folder, ignore_errors=True)
        src = staging / res.notebook.out_rel
        if src.is_dir():
            folder.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(src), str(folder))
        partial = folder / f"{res.notebook.stem}.ipynb"
        err = res.meta.get("error", {})
        index = err.get("cell_index")
        where = (f"cell {index} (0-based; cell number {index + 1} in JupyterLab's order)"
                 if index is not None else "before or outside a cell")
        out.write(f"\n  notebook: {_rel(res.notebook.path, root)}\n")
        out.write(f"  failed at: {where}\n")
        if err.get("source"):
            out.write("  source:\n" + "".join(f"    | {line}\n"
                                              for line in err["source"].splitlines()))
        out.write(f"  error: {err.get('ename')}: {err.get('evalue')}\n")
        if err.get("traceback"):
            out.write("  " + err["traceback"].replace("\n", "\n  ") + "\n")
        if partial.is_file():
            out.write(f"  partly executed notebook: {partial}\n")
    out.flush()


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def main(args: argparse.Namespace) -> int:
    """``kaztur run`` (see :func:`analysis.run.cli.build_parser` for the arguments)."""
    return run(RunOptions(notebooks=args.notebooks, assignments=args.parameter,
                          parameters_file=args.parameters_file, jobs=args.jobs,
                          force=args.force))


# --------------------------------------------------------------------------- refresh


def refresh_one(path: str, t0: float | None = None) -> dict[str, Any]:
    """Re-execute one committed notebook in place with its default parameters.

    nbclient is used directly (not papermill): no injected-parameters cell, no timing
    metadata, so the diff shows only what changed in the outputs. The file is replaced
    only after a successful run.
    """
    _light_imports()
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    t0 = t0 or time.time()
    nb_path = Path(path)
    os.environ.update(_kernel_env(None, None))
    os.environ.pop("KAZTUR_OUTPUT_DIR", None)
    nb = nbformat.read(nb_path, as_version=4)
    emit(t0, nb_path.stem, "re-executing", command="refresh-notebooks")
    client = NotebookClient(nb, kernel_name=KERNEL, record_timing=False, timeout=1800,
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(nb_path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        return {"path": path, "status": "failed", "ename": getattr(exc, "ename", "Error"),
                "evalue": getattr(exc, "evalue", str(exc))}
    except Exception as exc:  # a kernel that died or timed out
        return {"path": path, "status": "failed", "ename": type(exc).__name__,
                "evalue": str(exc)}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    tmp = nb_path.with_name(f".{nb_path.name}.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, nb_path)
    emit(t0, nb_path.stem, "stored outputs updated", command="refresh-notebooks")
    return {"path": path, "status": "ok"}


def refresh_main(args: argparse.Namespace) -> int:
    """``kaztur refresh-notebooks [stems]``: update the stored outputs nbval compares."""
    from analysis import config

    t0 = time.time()
    try:
        selected = select(discover(config.ROOT / "notebooks"), args.notebooks)
    except PipelineError as exc:
        print(f"kaztur refresh-notebooks: {exc}", file=sys.stderr)
        return 1
    jobs = _jobs(getattr(args, "jobs", None))
    failed = []
    with _pool(min(jobs, max(1, len(selected)))) as pool:
        for result in pool.map(refresh_one, [str(nb.path) for nb in selected],
                               [t0] * len(selected)):
            if result["status"] != "ok":
                failed.append(result)
    for f in failed:
        print(f"kaztur refresh-notebooks: {f['path']} failed ({f['ename']}: {f['evalue']}); "
              "left unchanged", file=sys.stderr)
    if not failed:
        print(f"kaztur refresh-notebooks: {len(selected)} notebook(s) updated; review the "
              "diff (git diff notebooks/) before committing.", file=sys.stderr)
    return 1 if failed else 0


def copy_project(dest: Path, source: Path | None = None) -> Path:
    """A working copy of a project's inputs (``data/raw``, ``data/external`` and
    ``notebooks``) at ``dest``.

    Processed data is left to ``kaztur data`` in the copy; the library is the installed
    package. Used to run or tamper with the analysis without touching the checkout (the
    nbval tamper test, the determinism test, the benchmark).
    """
    if source is None:
        from analysis import config

        source = config.ROOT
    dest.mkdir(parents=True)
    shutil.copytree(source / "data" / "raw", dest / "data" / "raw")
    shutil.copytree(source / "data" / "external", dest / "data" / "external")
    (dest / "data" / "processed").mkdir(parents=True)
    shutil.copytree(source / "notebooks", dest / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return dest
