"""``kaztur run``: execute the notebooks headlessly, cached and in parallel, in both
languages, with the claims ledger, and swap the result into ``reports/`` as a whole.

The steps, each in its own module:

1. :mod:`~analysis.run.discovery` and :mod:`~analysis.run.assignments`: which notebooks,
   which languages, which validated parameters (all before anything else happens);
2. :mod:`~analysis.run.staging`: the project lock, and the leftovers of killed runs removed;
3. :mod:`~analysis.run.preflight`: checksums and schemas of ``data/raw/`` verified; nothing
   is written on bad data;
4. :mod:`~analysis.run.cache`: each (notebook, language) is looked up by its content key; an
   intact entry is reused, a damaged one re-executed;
5. :mod:`~analysis.run.execute`: the rest runs in a pool of worker processes, one fresh
   kernel per notebook, and the ledger is rebuilt when its inputs changed;
6. :mod:`~analysis.run.report`: manifests; notebooks not selected in a partial run
   (``kaztur run 01_trade``) are kept from the current ``reports/``;
7. :mod:`~analysis.run.staging`: ``reports/`` is replaced by the staging folder in one swap.

A failure anywhere leaves ``reports/`` as it was. Ctrl-C (SIGINT) or SIGTERM stops every
worker and kernel at once, removes the staging folder and exits 130 or 143 with one line
(see :func:`analysis.run.cli.main`).
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import sys
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from analysis.errors import DataError, EnvironmentProblem
from analysis.present import parameters as params_mod
from analysis.run import cache as cache_mod
from analysis.run import execute, preflight, progress, report, staging
from analysis.run.assignments import LANGUAGES, languages, resolve_parameters
from analysis.run.discovery import Notebook, PipelineError, discover, select, structure_problems

KERNEL = "kaztur"
LEDGER = "_ledger"
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
    return max(1, jobs or os.cpu_count() or 1)


def make_plan(options: RunOptions, root: Path) -> Plan:
    """Discovery, languages, parameters, hashes and cache keys; PipelineError on misuse."""
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
            key = cache_mod.cache_key(cache_mod.notebook_code_hash(nb.path), chosen, library,
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
    show = progress.display(out, options.mode, t0)
    try:
        with staging.project_lock(root, "run", show.note):
            for target in (root / "reports", root / "data" / "processed"):
                for name in staging.clean_leftovers(target):
                    show.note(f"removed {name}, left by a command that was stopped")
            cache_mod.clean_temporary(plan.cache)
            staging.clean_runtime_dirs()
            try:
                preflight.require_verified(root / "data" / "raw", plan.cache,
                                           _raw_hashes(plan.inputs), plan.library)
            except DataError as exc:
                out.write(f"kaztur run: bad input data; nothing was executed and reports/ "
                          f"was left as it was:\n{exc}\n")
                return 1
            return _run_locked(options, plan, show, out, t0)
    finally:
        show.close()


def _raw_hashes(inputs: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in inputs.items() if k.startswith("data/raw/")}


def _run_locked(options: RunOptions, plan: Plan, show: progress.Lines, out: TextIO,
                t0: float) -> int:
    reports = plan.root / "reports"
    stage = staging.staging_dir(reports)
    try:
        todo, ledger = _reuse(plan, stage, options.force, show)
        cache_mod.clean_failed(plan.cache, _untouched(plan))
        if todo or ledger is None:
            _require_kernel(todo)
            failures, built = _execute(plan, todo, ledger is None, stage, options, show)
            if failures:
                _report_failures(failures, stage, plan, out)
                return 1
            ledger = ledger or built
        if ledger is None:
            raise RuntimeError("the ledger was neither in the cache nor built")
        _assemble(plan, stage, reports, ledger, options, t0)
        staging.swap_in(stage, reports)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    _final_line(plan, cache_mod.read_meta(ledger), options, out)
    return 0


def _untouched(plan: Plan) -> list[str]:
    touched = {j.id for j in plan.jobs}
    return [f"{lang}/{nb.rel}" for lang in LANGUAGES for nb in plan.everything
            if f"{lang}/{nb.rel}" not in touched]


def _reuse(plan: Plan, stage: Path, force: bool, show: progress.Lines
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
    entry, damaged = (None, None) if force else cache_mod.lookup(plan.cache, LEDGER,
                                                                 plan.ledger_key)
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


class Pool:
    """The worker processes of one run, and how to stop all of them (kernels included)."""

    def __init__(self, jobs: int) -> None:
        import multiprocessing

        # fork: workers start instantly and inherit the (light) parent; each sets its own
        # environment and working folder for the kernel it starts
        context = multiprocessing.get_context("fork")
        self.events: Any = context.Queue()
        self.executor = ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=execute.worker_init,
            initargs=(self.events, os.getpid()))

    def drain(self, show: progress.Lines) -> None:
        while True:
            try:
                show.event(self.events.get_nowait())
            except queue.Empty:
                return

    def stop(self) -> None:
        """Kill every worker and every kernel they started, now, and wait for them."""
        import psutil  # type: ignore[import-untyped]

        workers = list(getattr(self.executor, "_processes", {}) or {})
        procs: list[Any] = []
        for pid in workers:
            try:
                proc = psutil.Process(pid)
                procs += [proc, *proc.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
        self.executor.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                continue
        psutil.wait_procs(procs, timeout=10)


def _tasks(plan: Plan, todo: list[Job], stage: Path, runtime: Path
           ) -> list[tuple[Job, execute.Task]]:
    todo.sort(key=lambda j: (cache_mod.last_duration(plan.cache, j.notebook.stem),
                             j.notebook.path.stat().st_size), reverse=True)
    return [(job, execute.Task(
        job.id, job.notebook.stem, job.notebook.rel, job.lang, str(job.notebook.path),
        str(stage / job.lang / job.notebook.out_rel), job.parameters, str(plan.root),
        str(runtime), KERNEL)) for job in todo]


def _execute(plan: Plan, todo: list[Job], with_ledger: bool, stage: Path,
             options: RunOptions, show: progress.Lines) -> tuple[list[Job], Path | None]:
    """Run ``todo`` (and the ledger) in the pool; store successes; return the failures
    and the ledger's cache entry."""
    import tempfile

    runtime = Path(tempfile.mkdtemp(prefix=f"kaztur-run-{os.getpid()}-"))
    labels = {job.id: job.id for job in todo}
    if with_ledger:
        labels["ledger"] = "ledger"
    show.plan(labels, {})
    show.note(f"executing {len(todo)} notebook(s)" + (" and the ledger" if with_ledger else "")
              + f" with {min(jobs_count(options.jobs), len(labels))} job(s)")
    pool = Pool(min(jobs_count(options.jobs), len(labels)))
    failures: list[Job] = []
    ledger: Path | None = None
    finished = False
    try:
        futures: dict[Future[Any], Job | None] = {}
        if with_ledger:
            folders = {lang: str(stage / "_ledger" / lang) for lang in LANGUAGES}
            futures[pool.executor.submit(execute.ledger_task, folders)] = None
        for job, task in _tasks(plan, todo, stage, runtime):
            futures[pool.executor.submit(execute.execute_task, task)] = job
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            pool.drain(show)
            for future in done:
                owner = futures[future]
                if owner is None:
                    ledger = _ledger_built(plan, future.result(), stage)
                else:
                    _finished(plan, owner, future.result(), stage, failures)
        pool.drain(show)
        finished = True
    finally:
        if finished:
            pool.executor.shutdown(wait=True)
        else:
            pool.stop()
        shutil.rmtree(runtime, ignore_errors=True)
    return failures, ledger


def _ledger_built(plan: Plan, meta: dict[str, Any], stage: Path) -> Path:
    """Store the ledger built in ``stage/_ledger`` (both languages) in the cache."""
    cache_mod.store(plan.cache, LEDGER, plan.ledger_key, stage / "_ledger", meta)
    shutil.rmtree(stage / "_ledger")
    return plan.cache / "runs" / LEDGER / plan.ledger_key


def _finished(plan: Plan, job: Job, meta: dict[str, Any], stage: Path,
              failures: list[Job]) -> None:
    meta["parameters"], meta["key"] = job.parameters, job.key
    job.meta, job.status = meta, meta["status"]
    if job.status == "ok":
        cache_mod.store(plan.cache, job.notebook.stem, job.key,
                        stage / job.lang / job.notebook.out_rel, meta)
    else:
        failures.append(job)


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
        index = err.get("cell_index")
        where = (f"cell {index} (0-based; cell number {index + 1} in JupyterLab's order)"
                 if index is not None else "before its first cell (while starting the kernel)")
        out.write(f"\n  notebook: notebooks/{job.notebook.rel}.ipynb (lang={job.lang})\n")
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


# --------------------------------------------------------------------------- assembly


def _assemble(plan: Plan, stage: Path, reports: Path, ledger_entry: Path,
              options: RunOptions, t0: float) -> None:
    """Manifests and ledgers in the staging folder for every language it holds
    (the languages of this run, and those kept from the previous one); the rest of
    reports/ carried over."""
    ledger = cache_mod.read_meta(ledger_entry)
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
            key = cache_mod.cache_key(cache_mod.notebook_code_hash(nb.path),
                                      entry.get("parameters", {}), plan.library, plan.inputs,
                                      plan.versions, KERNEL)
            by_lang.setdefault(lang, []).append(
                {**entry, "source": "previous run", "stale": key != entry.get("cache_key")})
            kept += 1
    return kept


def _final_line(plan: Plan, ledger: dict[str, Any], options: RunOptions, out: TextIO
                ) -> None:
    """The last line: success, what ran, and the headline (the findings by severity, the
    ledger's contradicted rows inside the source and against the official record)."""
    executed = sum(j.source == "executed" for j in plan.jobs)
    if options.mode == progress.VERBOSE and ledger.get("summary_verbose"):
        out.write(ledger["summary_verbose"] + "\n")
    found = ""
    if isinstance(ledger.get("headline"), dict):
        # deliberate lazy import: the findings' words load only when a run ends
        from analysis.findings.headline import Headline
        from analysis.run.ledger_files import headline_line

        found = (headline_line(Headline.from_record(ledger["headline"]))
                 + f" (reports/{plan.langs[0]}/findings.csv and ledger.csv; `kaztur site` "
                 "builds the pages)")
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
