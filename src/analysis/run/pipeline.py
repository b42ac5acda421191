"""``kaztur run``: execute the notebooks headlessly, cached and in parallel, in both
languages, with the claims ledger, and swap the result into ``reports/`` as a whole.

The steps, each in its own module:

1. :mod:`~analysis.run.discovery` and :mod:`~analysis.run.assignments`: which notebooks,
   which languages, which validated parameters (all before anything else happens);
2. :mod:`~analysis.run.staging`: the project lock, and the leftovers of killed runs removed;
3. :mod:`~analysis.run.preflight`: every input verified, ``data/raw/`` and
   ``data/external/`` (checksums, schemas, completeness, the recorded snapshots); nothing
   is written and no worker starts on bad data (an unwritable ``reports/`` or cache was
   refused before even this);
4. :mod:`~analysis.run.cache`: each (notebook, language) is looked up by its content key; an
   intact entry is reused, a damaged one re-executed;
5. :mod:`~analysis.run.execute`: the rest runs in a pool of worker processes
   (:mod:`~analysis.run.workers`, the one owner of their lifetimes), one fresh kernel per
   notebook, and the ledger is rebuilt when its inputs changed;
6. :mod:`~analysis.run.report`: manifests; notebooks not selected in a partial
   run (``kaztur run 01_trade``) are kept from the current ``reports/``;
7. :mod:`~analysis.run.staging`: ``reports/`` is replaced by the staging folder in one swap.

A failure anywhere leaves ``reports/`` as it was. Ctrl-C (SIGINT) or SIGTERM stops every
worker and kernel at once, removes the staging folder and exits 130 or 143 with one line
(see :func:`analysis.run.cli.main`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from analysis.errors import DataError, EnvironmentProblem
from analysis.present import parameters as params_mod
from analysis.run import cache as cache_mod
from analysis.run import (
    execute,
    preflight,
    processed,
    progress,
    report,
    staging,
    workers,
    zygote,
)
from analysis.run.assignments import LANGUAGES, languages, resolve_parameters
from analysis.run.discovery import Notebook, PipelineError, discover, select, structure_problems
from analysis.run.papermill_engine import kernel_env

KERNEL = "kaztur"
LEDGER = "_ledger"
LEDGER_TASK = "ledger"
SKIP_LEDGER_ENV = "KAZTUR_SKIP_LEDGER"
# top-level entries of reports/ a run always owns; everything else (the site, its
# index.html) is carried over; _assets/ was written by earlier runs and is dropped
OWNED = ("manifest.json", "_assets", *LANGUAGES)

__all__ = ["Notebook", "PipelineError", "RunOptions", "copy_project", "discover", "main",
           "resolve_parameters", "run", "select"]


@dataclass
class RunOptions:
    notebooks: Sequence[str] = ()
    assignments: Sequence[str] = ()
    parameters_file: str | None = None
    jobs: int | None = None
    force: bool = False
    root: Path | None = None
    languages: Sequence[str] = ()
    mode: str = progress.NORMAL


@dataclass
class Job:
    """One notebook in one language."""

    notebook: Notebook
    lang: str
    parameters: dict[str, Any]
    key: str
    status: str = "pending"
    source: str = "executed"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.lang}/{self.notebook.rel}"


@dataclass
class Plan:
    """Everything decided before the lock is taken."""

    root: Path
    everything: list[Notebook]
    selected: list[Notebook]
    langs: list[str]
    jobs: list[Job]
    library: dict[str, str]
    inputs: dict[str, str]
    versions: dict[str, str]
    cache: Path
    ledger_key: str

    @property
    def partial(self) -> bool:
        return len(self.selected) < len(self.everything)


def jobs_count(jobs: int | None) -> int:
    """Notebooks run at once: ``jobs``, by default one per CPU core. A value below 1 is
    refused by the command line (and here) rather than quietly replaced."""
    if jobs is not None and jobs < 1:
        raise PipelineError(f"--jobs must be 1 or more, got {jobs}")
    return jobs or os.cpu_count() or 1


def make_plan(options: RunOptions, root: Path) -> Plan:
    """Discovery, languages, parameters, hashes and cache keys; PipelineError on misuse."""
    jobs_count(options.jobs)  # a bad value is refused before anything else
    everything = discover(root / "notebooks")
    selected = select(everything, options.notebooks)
    if not selected:
        raise PipelineError(f"no notebooks found in {root / 'notebooks'}")
    problems = structure_problems(selected)
    if problems:
        raise PipelineError("nothing was executed:\n" + "\n".join(f"  - {p}" for p in problems))
    langs = languages(options.assignments, options.parameters_file, options.languages)
    library = cache_mod.library_hashes()
    inputs = cache_mod.input_hashes(root)
    versions = cache_mod.package_versions()
    jobs: dict[tuple[str, str], Job] = {}
    for lang in langs:
        values = resolve_parameters(selected, options.assignments, options.parameters_file,
                                    [nb.stem for nb in everything], lang=lang)
        for nb in selected:
            chosen = values[nb.stem]
            key = cache_mod.cache_key(cache_mod.notebook_code_hash(nb.document), chosen, library,
                                      inputs, versions, KERNEL)
            job_lang = str(chosen.get("lang", lang))
            jobs.setdefault((job_lang, nb.stem), Job(nb, job_lang, chosen, key))
    ordered = sorted(jobs.values(), key=lambda j: (LANGUAGES.index(j.lang)
                                                   if j.lang in LANGUAGES else 9,
                                                   everything.index(j.notebook)))
    ledger_key = cache_mod.digest({"ledger": cache_mod.PIPELINE_VERSION, "library": library,
                                   "inputs": inputs, "versions": versions})
    return Plan(root, everything, selected, sorted({j.lang for j in ordered},
                                                   key=lambda x: (x != "kk", x)),
                ordered, library, inputs, versions, cache_mod.cache_root(root), ledger_key)


def run(options: RunOptions, stream: TextIO | None = None) -> int:
    """Validate, verify, execute (or reuse), stage, swap into reports/. Exit status."""
    from analysis import config

    t0 = time.time()
    out = stream or sys.stderr
    root = (options.root or config.ROOT).resolve()
    try:
        plan = make_plan(options, root)
    except (PipelineError, params_mod.ParameterError) as exc:
        out.write(f"kaztur run: {exc}\n")
        return 1
    # the staging folder is made beside reports/, which the swap replaces; the cache holds
    # the lock and every result: all found unwritable now, not after the notebooks ran
    staging.require_writable([root, root / "reports", plan.cache, staging.lock_folder(root)])
    show = progress.display(out, options.mode, t0)
    try:
        with staging.project_lock(root, "run", show.note):
            for target in (root / "reports", root / "data" / "processed"):
                for name in staging.clean_leftovers(target):
                    show.note(f"removed {name}, left by a command that was stopped")
            cache_mod.clean_temporary(plan.cache)
            staging.clean_runtime_dirs()
            try:
                preflight.require_verified(root, plan.cache, _verified_inputs(plan.inputs),
                                           plan.library)
            except DataError as exc:
                out.write(f"kaztur run: bad input data; nothing was executed and reports/ "
                          f"was left as it was:\n{exc}\n")
                return 1
            if processed.ensure_current(show.note):
                plan = make_plan(options, root)  # the keys follow the files kernels read
            return _run_locked(options, plan, show, out, t0)
    finally:
        show.close()


def _verified_inputs(inputs: dict[str, str]) -> dict[str, str]:
    """The hashes of the files the pre-check reads (data/raw and data/external)."""
    return {k: v for k, v in inputs.items() if k.startswith(("data/raw/", "data/external/"))}


def ledger_skipped() -> bool:
    """``KAZTUR_SKIP_LEDGER=1``, for tests and benchmarks only: the run neither builds nor
    reuses the claims ledger (a third of a cold run of the real data). ``reports/<lang>/``
    then holds no ledger files and the manifests record ``"ledger": null``; ``kaztur
    check`` builds the ledger whatever this says."""
    return os.environ.get(SKIP_LEDGER_ENV, "") in ("1", "true", "yes")


def _run_locked(options: RunOptions, plan: Plan, show: progress.Lines, out: TextIO,
                t0: float) -> int:
    reports = plan.root / "reports"
    stage = staging.staging_dir(reports)
    wanted = not ledger_skipped()
    try:
        todo, ledger = _reuse(plan, stage, options.force, show, wanted)
        cache_mod.clean_failed(plan.cache, _untouched(plan))
        if todo or (wanted and ledger is None):
            _require_kernel(todo)
            failures, built = _execute(plan, todo, wanted and ledger is None, stage,
                                       options, show, ledger_file(plan, ledger, wanted))
            if failures:
                _report_failures(failures, stage, plan, out)
                return 1
            ledger = ledger or built
        if wanted and ledger is None:
            raise RuntimeError("the ledger was neither in the cache nor built")
        _assemble(plan, stage, reports, ledger, options, t0)
        staging.swap_in(stage, reports)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    _final_line(plan, cache_mod.read_meta(ledger) if ledger else None, options, out)
    return 0


def _untouched(plan: Plan) -> list[str]:
    touched = {j.id for j in plan.jobs}
    return [f"{lang}/{nb.rel}" for lang in LANGUAGES for nb in plan.everything
            if f"{lang}/{nb.rel}" not in touched]


def _reuse(plan: Plan, stage: Path, force: bool, show: progress.Lines, ledger: bool = True
           ) -> tuple[list[Job], Path | None]:
    """Copy intact cache entries into the staging folder; what is left to execute."""
    todo = []
    for job in plan.jobs:
        entry, damaged = (None, None) if force else cache_mod.lookup(
            plan.cache, job.notebook.stem, job.key)
        if damaged:
            show.note(f"{job.id}: cached result damaged ({damaged}); re-executing")
        if entry is None:
            todo.append(job)
            continue
        folder = stage / job.lang / job.notebook.out_rel
        cache_mod.copy_tree(entry, folder)
        (folder / cache_mod.META_FILE).unlink()
        job.meta, job.status, job.source = cache_mod.read_meta(entry), "ok", "cache"
        show.note(f"{job.id}: unchanged, reused from cache", progress.VERBOSE)
    entry, damaged = (None, None) if force or not ledger else cache_mod.lookup(
        plan.cache, LEDGER, plan.ledger_key)
    if damaged:
        show.note(f"ledger: cached result damaged ({damaged}); rebuilding")
    return todo, entry


def _require_kernel(todo: list[Job]) -> None:
    if not todo:
        return
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        raise EnvironmentProblem(
            f"the Jupyter kernel {KERNEL!r} is not installed for this Python "
            f"({sys.prefix}), so no notebook can run. Install it with `make env` (or "
            f"`{sys.executable} -m ipykernel install --sys-prefix --name {KERNEL}`) and "
            "run again; reports/ was left as it was.") from None


# --------------------------------------------------------------------------- execution


def ledger_file(plan: Plan, cached: Path | None, wanted: bool) -> Path | None:
    """The run's neutral ledger (``ledger.json``), which the notebooks that show the ledger
    load (:func:`analysis.checks.ledger.current`): in the cache entry found, or in the one
    the ledger task stores before they start; None when the run builds no ledger (they
    build it then)."""
    if not wanted:
        return None
    return (cached or _ledger_entry(plan)) / LANGUAGES[0] / "ledger.json"


def _ledger_entry(plan: Plan) -> Path:
    """Where the cache keeps this plan's ledger."""
    return cache_mod.results_dir(plan.cache, LEDGER) / plan.ledger_key


def _tasks(plan: Plan, todo: list[Job], stage: Path, runtime: Path, ledger: Path | None,
           template: str) -> list[tuple[Job, execute.Task]]:
    todo.sort(key=lambda j: (cache_mod.last_duration(plan.cache, j.notebook.stem),
                             j.notebook.path.stat().st_size), reverse=True)
    return [(job, execute.Task(
        job.id, job.notebook.stem, job.notebook.rel, job.lang, str(job.notebook.path),
        str(stage / job.lang / job.notebook.out_rel), job.parameters, str(plan.root),
        str(runtime), KERNEL,
        ledger=str(ledger) if ledger is not None and job.notebook.reads_ledger else "",
        template=template))
        for job in todo]


def _template(plan: Plan, todo: list[Job], runtime: Path,
              stack: contextlib.ExitStack) -> str:
    """The run's kernel template (one for all workers, started now so that it warms up
    while the workers start), ended with ``stack``; its address, or "" when no notebook
    runs or kernels start from their spec (``KAZTUR_FRESH_KERNELS``)."""
    if not todo or not zygote.enabled():
        return ""
    server = zygote.Server(kernel_env(None, str(plan.root)), str(plan.root),
                           runtime / zygote.LOG_NAME,
                           zygote.warm_plan(s for job in todo for s in job.notebook.code))
    return stack.enter_context(server).address


def _execute(plan: Plan, todo: list[Job], with_ledger: bool, stage: Path,
             options: RunOptions, show: progress.Lines, ledger_json: Path | None = None
             ) -> tuple[list[Job], Path | None]:
    """Run ``todo`` (and the ledger) in the worker pool; store successes; return the
    failures and the ledger's cache entry. The ledger task goes first, and a notebook that
    shows the ledger (``ledger_json``) waits for it: the ledger is built once per run. Any
    exception (a task's, Ctrl-C, SIGTERM) kills every worker and kernel before it
    propagates (:class:`~analysis.run.workers.WorkerPool`)."""
    import tempfile

    runtime = Path(tempfile.mkdtemp(prefix=f"kaztur-run-{os.getpid()}-"))
    labels = {job.id: job.id for job in todo}
    if with_ledger:
        labels[LEDGER_TASK] = LEDGER_TASK
    size = min(jobs_count(options.jobs), len(labels))
    by_id = {job.id: job for job in todo}
    failures: list[Job] = []
    ledger: Path | None = None
    cells: dict[str, int] = {}  # the last cell started, per job (index in the file)

    def on_event(event: tuple[Any, ...]) -> None:
        if event[0] == "cell" and len(event) > 4:
            cells[event[1]] = event[4]
        show.event(event)

    tasks: list[workers.TaskSpec] = []
    after: dict[str, str] = {}
    if with_ledger:
        folders = {lang: str(stage / "_ledger" / lang) for lang in LANGUAGES}
        tasks.append((LEDGER_TASK, execute.ledger_task, (folders,)))
    try:
        # the template outlives the pool: a stopped pool's kernels die with it
        with contextlib.ExitStack() as stack:
            template = _template(plan, todo, runtime, stack)
            for job, task in _tasks(plan, todo, stage, runtime, ledger_json, template):
                tasks.append((job.id, execute.execute_task, (task,)))
                if with_ledger and task.ledger:
                    after[job.id] = LEDGER_TASK
            # the workers are forked before the display starts a thread
            pool = stack.enter_context(workers.WorkerPool(size))
            show.plan(labels, {})
            show.note(f"executing {len(todo)} notebook(s)"
                      + (" and the ledger" if with_ledger else "") + f" with {size} job(s)")
            for key, outcome in pool.run(tasks, on_event, after):
                if isinstance(outcome, workers.Lost):
                    outcome = _lost(outcome, by_id.get(key), cells.get(key), show)
                if key == LEDGER_TASK:
                    ledger = _ledger_built(plan, outcome, stage)
                else:
                    _finished(plan, by_id[key], outcome, stage, failures)
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
    return failures, ledger


def _lost(lost: workers.Lost, job: Job | None, cell: int | None,
          show: progress.Lines) -> dict[str, Any]:
    """The record of a notebook whose worker died (the ledger's: an environment fault)."""
    if job is None:
        raise EnvironmentProblem(
            f"the worker process building the claims ledger was {lost.cause()} before it "
            "finished (out of memory, or stopped from outside). Nothing was replaced: "
            "reports/ is as it was. Run the command again.")
    show.event(("end", job.id, "failed", 0.0))
    where = f" while cell {cell} ran" if cell is not None else " before its first cell"
    return {"job": job.id, "stem": job.notebook.stem, "lang": job.lang, "status": "failed",
            "error": {"kind": "worker", "cell_index": cell,
                      "source": _cell_source(job.notebook.path, cell),
                      "ename": "WorkerKilled",
                      "evalue": f"the worker process running notebooks/{job.notebook.rel}"
                                f".ipynb ({job.lang}) was {lost.cause()}{where}; its kernel "
                                "went with it"}}


def _ledger_built(plan: Plan, meta: dict[str, Any], stage: Path) -> Path:
    """Store the ledger built in ``stage/_ledger`` (both languages) in the cache."""
    cache_mod.store(plan.cache, LEDGER, plan.ledger_key, stage / "_ledger", meta)
    shutil.rmtree(stage / "_ledger")
    return _ledger_entry(plan)


def _finished(plan: Plan, job: Job, meta: dict[str, Any], stage: Path,
              failures: list[Job]) -> None:
    meta["parameters"], meta["key"] = job.parameters, job.key
    job.meta, job.status = meta, meta["status"]
    if job.status == "ok":
        cache_mod.store(plan.cache, job.notebook.stem, job.key,
                        stage / job.lang / job.notebook.out_rel, meta)
    else:
        failures.append(job)


def _cell_source(path: Path, index: int | None, lines: int = 3) -> str:
    """The first lines of cell ``index`` of the notebook file (what the failure report
    shows); empty when there is none to show."""
    if index is None:
        return ""
    try:
        source = json.loads(path.read_text(encoding="utf-8"))["cells"][index]["source"]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return ""
    text = "".join(source) if isinstance(source, list) else str(source)
    head = text.splitlines()
    return "\n".join(head[:lines]) + ("\n..." if len(head) > lines else "")


def _failed_at(err: dict[str, Any]) -> str:
    """Where a notebook failed, as the failure report says it."""
    index = err.get("cell_index")
    killed = err.get("kind") == "worker"
    if index is not None:
        return (f"cell {index} (0-based; cell number {index + 1} in JupyterLab's order)"
                + (", the last one started: its worker was killed" if killed else ""))
    if killed:
        return "before its first cell (its worker was killed)"
    return "before its first cell (while starting the kernel)"


def _report_failures(failures: list[Job], stage: Path, plan: Plan, out: TextIO) -> None:
    keep = plan.cache / "failed"
    out.write("\nkaztur run: FAILED; reports/ was left as it was.\n")
    for job in sorted(failures, key=lambda j: (j.notebook.path, j.lang)):
        folder = keep / job.id
        shutil.rmtree(folder, ignore_errors=True)
        src = stage / job.lang / job.notebook.out_rel
        if src.is_dir():
            folder.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(src), str(folder))
        partial = folder / f"{job.notebook.stem}.ipynb"
        err = job.meta.get("error", {})
        out.write(f"\n  notebook: notebooks/{job.notebook.rel}.ipynb (lang={job.lang})\n")
        out.write(f"  failed at: {_failed_at(err)}\n")
        if err.get("source"):
            out.write("  source:\n" + "".join(f"    | {line}\n"
                                              for line in err["source"].splitlines()))
        out.write(f"  error: {err.get('ename')}: {err.get('evalue')}\n")
        if err.get("traceback"):
            out.write("  " + err["traceback"].replace("\n", "\n  ") + "\n")
        if partial.is_file():
            out.write(f"  partly executed notebook: {partial}\n")
    out.flush()


# --------------------------------------------------------------------------- assembly


def _assemble(plan: Plan, stage: Path, reports: Path, ledger_entry: Path | None,
              options: RunOptions, t0: float) -> None:
    """Manifests and ledgers in the staging folder for every language it holds
    (the languages of this run, and those kept from the previous one); the rest of
    reports/ carried over."""
    ledger = cache_mod.read_meta(ledger_entry) if ledger_entry else {}
    library_sha = report.aggregate(plan.library)
    env = report.environment(plan.versions)
    by_lang: dict[str, list[dict[str, Any]]] = {lang: [] for lang in LANGUAGES}
    for job in plan.jobs:
        by_lang.setdefault(job.lang, []).append(
            report.notebook_entry(job, stage / job.lang, plan.inputs, library_sha,
                                  plan.versions))
    kept = _keep_previous(plan, stage, reports, by_lang)
    order = {nb.stem: i for i, nb in enumerate(plan.everything)}
    langs = [lang for lang in by_lang if by_lang[lang]]
    counts = {"notebooks": len(plan.jobs),
              "executed": sum(j.source == "executed" for j in plan.jobs),
              "cached": sum(j.source == "cache" for j in plan.jobs), "carried": kept}
    run = report.run_record(start=t0, end=time.time(), jobs=jobs_count(options.jobs),
                            force=options.force, partial=plan.partial, counts=counts,
                            languages=langs)
    ledger_info: dict[str, Any] = {k: ledger[k] for k in ("rows", "counts", "contradictions",
                                                             "official_contradictions")
                                   if k in ledger}
    for lang in langs:
        if ledger_entry is not None:
            cache_mod.copy_tree(ledger_entry / lang, stage / lang)
        entries = sorted(by_lang[lang], key=lambda e: order.get(e["stem"], 1 << 30))
        manifest = report.language_manifest(lang, run, env, plan.library, entries,
                                            ledger_info)
        report.write_json(stage / lang / "manifest.json", manifest)
    previous = report.read_json(reports / "manifest.json") or {}
    owned = set(OWNED) | {str(x) for x in previous.get("owned", [])}
    report.write_json(stage / "manifest.json", {
        "schema": report.MANIFEST_SCHEMA, "run": run, "environment": env,
        "library": {"sha256": library_sha, "files": plan.library}, "languages": langs,
        "ledger": ledger_info, "owned": sorted(set(OWNED))})
    staging.carry_over(reports, stage, owned)


def _keep_previous(plan: Plan, stage: Path, reports: Path,
                   by_lang: dict[str, list[dict[str, Any]]]) -> int:
    """Bring the notebooks this run did not touch over from the current reports/, with
    their manifest entries, marked stale when their key no longer matches."""
    touched = {j.id for j in plan.jobs}
    kept = 0
    for lang in LANGUAGES:
        previous = report.read_json(reports / lang / "manifest.json")
        if not previous or previous.get("schema") != report.MANIFEST_SCHEMA:
            continue
        for entry in previous.get("notebooks", []):
            nb = next((n for n in plan.everything if n.stem == entry.get("stem")), None)
            source = reports / lang / str(entry.get("folder", ""))
            if nb is None or f"{lang}/{nb.rel}" in touched or not source.is_dir():
                continue
            shutil.copytree(source, stage / lang / nb.out_rel, copy_function=staging.link_or_copy)
            key = cache_mod.cache_key(cache_mod.notebook_code_hash(nb.document),
                                      entry.get("parameters", {}), plan.library, plan.inputs,
                                      plan.versions, KERNEL)
            by_lang.setdefault(lang, []).append(
                {**entry, "source": "previous run", "stale": key != entry.get("cache_key")})
            kept += 1
    return kept


def _final_line(plan: Plan, ledger: dict[str, Any] | None, options: RunOptions, out: TextIO
                ) -> None:
    """The last line: success, what ran, and the headline (the findings by severity, the
    ledger's contradicted rows inside the source and against the official record)."""
    executed = sum(j.source == "executed" for j in plan.jobs)
    ledger = ledger or {}
    if options.mode == progress.VERBOSE and ledger.get("summary_verbose"):
        out.write(ledger["summary_verbose"] + "\n")
    found = ""
    if ledger.get("headline_line"):
        # worded by the ledger task (ledger_files.build_and_write): the parent loads none
        # of the findings' words, pandas or statsmodels to say it
        found = (ledger["headline_line"]
                 + f" (reports/{plan.langs[0]}/findings.csv and ledger.csv; `kaztur site` "
                 "builds the pages)")
    if not ledger and ledger_skipped():
        found = f"the claims ledger was not built ({SKIP_LEDGER_ENV} is set)"
    out.write(f"kaztur run: done – reports/ complete: {len(plan.jobs)} notebook run(s) "
              f"({', '.join(plan.langs)}), {executed} executed, "
              f"{len(plan.jobs) - executed} from cache; {found}\n")
    out.flush()


def main(args: argparse.Namespace) -> int:
    """``kaztur run`` (see :func:`analysis.run.cli.build_parser` for the arguments)."""
    mode = (progress.QUIET if args.quiet else progress.VERBOSE if args.verbose
            else progress.NORMAL)
    return run(RunOptions(notebooks=args.notebooks, assignments=args.parameter,
                          parameters_file=args.parameters_file, jobs=args.jobs,
                          force=args.force, languages=args.lang or (), mode=mode))


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
