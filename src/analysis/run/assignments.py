"""Parameters of a run: defaults < YAML file < ``-p``, validated before any kernel starts,
and the languages a run builds.

papermill alone only warns about an unknown name; here every value is checked with
:func:`analysis.present.parameters.validate` first, so a typo costs nothing. Languages: a run
builds every notebook in Kazakh and in English (``reports/kk/`` and ``reports/en/``) unless
``--lang`` or a global ``lang`` value (``-p lang=en``, or ``lang:`` at the top of the YAML
file) names one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from analysis.present import parameters as params_mod
from analysis.run.discovery import Notebook, PipelineError

LANGUAGES = ("kk", "en")


def load_yaml(path: str | Path) -> dict[str, Any]:
    """A parameters file as a mapping; an unreadable or malformed file is a PipelineError."""
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


def _command_line(assignments: Sequence[str], problems: list[str]) -> dict[str, Any]:
    cli: dict[str, Any] = {}
    for text in assignments:
        try:
            name, value = params_mod.parse_assignment(text)
        except params_mod.ParameterError as exc:
            problems.append(f"-p {text}: {exc}")
            continue
        cli[name] = value
    return cli


def _file_values(parameters_file: str | Path | None, stems: set[str], problems: list[str]
                 ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    file_global: dict[str, Any] = {}
    file_per: dict[str, dict[str, Any]] = {}
    if not parameters_file:
        return file_global, file_per
    for key, value in load_yaml(parameters_file).items():
        key = str(key)
        if not isinstance(value, dict):
            file_global[key] = value
        elif key in stems:
            file_per[key] = {str(k): v for k, v in value.items()}
        else:
            problems.append(f"{parameters_file}: {key!r} is not a notebook "
                            f"(known: {', '.join(sorted(stems))})")
    return file_global, file_per


def _declared(selected: Sequence[Notebook], problems: list[str]) -> dict[str, set[str]]:
    """The parameter names each selected notebook declares (unknown notebooks: a problem)."""
    declared: dict[str, set[str]] = {}
    for nb in selected:
        try:
            declared[nb.stem] = {p.name for p in params_mod.spec(nb.stem)}
        except params_mod.ParameterError as exc:
            problems.append(str(exc))
    return declared


def _undeclared(sources: Iterable[tuple[str, dict[str, Any]]], declared: dict[str, set[str]],
                selected: Sequence[Notebook]) -> list[str]:
    """A global name that none of the selected notebooks declares is an error."""
    if not declared:
        return []
    return [f"{origin}: parameter {name!r} is declared by none of the selected notebooks "
            f"({', '.join(nb.stem for nb in selected)})"
            for origin, names in sources for name in names
            if not any(name in d for d in declared.values())]


def _values_for(stem: str, mine: set[str], lang: str | None, file_global: dict[str, Any],
                file_per: dict[str, dict[str, Any]], cli: dict[str, Any]) -> dict[str, Any]:
    """One notebook's values before validation: ``lang`` < YAML file < ``-p``."""
    values: dict[str, Any] = {"lang": lang} if lang and "lang" in mine else {}
    values.update({k: v for k, v in file_global.items() if k in mine})
    values.update(file_per.get(stem, {}))
    values.update({k: v for k, v in cli.items() if k in mine})
    return values


def resolve_parameters(selected: Sequence[Notebook], assignments: Sequence[str] = (),
                       parameters_file: str | Path | None = None,
                       known_stems: Iterable[str] = (),
                       lang: str | None = None) -> dict[str, dict[str, Any]]:
    """Validated parameters per selected notebook: defaults < ``lang`` < YAML file < ``-p``.

    A global name (``-p`` or a top-level YAML scalar) applies to every selected notebook
    that declares it and is an error when none does; a per-notebook YAML section must name
    parameters that notebook declares. All problems are reported together, once each.
    """
    problems: list[str] = []
    cli = _command_line(assignments, problems)
    stems = set(known_stems) | set(params_mod.NOTEBOOKS) | {nb.stem for nb in selected}
    file_global, file_per = _file_values(parameters_file, stems, problems)
    declared = _declared(selected, problems)
    problems += _undeclared((("-p", cli), (str(parameters_file), file_global)), declared,
                            selected)
    result: dict[str, dict[str, Any]] = {}
    for nb in selected:
        if nb.stem not in declared:
            continue
        values = _values_for(nb.stem, declared[nb.stem], lang, file_global, file_per, cli)
        try:
            result[nb.stem] = params_mod.validate(nb.stem, values)
        except params_mod.ParameterError as exc:
            problems.append(str(exc))
    if problems:
        raise PipelineError("invalid parameters, nothing was executed:\n"
                            + "\n".join(f"  - {p}" for p in dict.fromkeys(problems)))
    return result


def global_language(assignments: Sequence[str],
                    parameters_file: str | Path | None) -> str | None:
    """A ``lang`` given for every notebook (``-p lang=en`` or top-level YAML), if any."""
    lang = None
    if parameters_file:
        value = load_yaml(parameters_file).get("lang")
        if isinstance(value, str):
            lang = value
    for text in assignments:
        try:
            name, value = params_mod.parse_assignment(text)
        except params_mod.ParameterError:
            continue  # reported by resolve_parameters
        if name == "lang" and isinstance(value, str):
            lang = value
    return lang


def languages(assignments: Sequence[str], parameters_file: str | Path | None,
              requested: Sequence[str] = ()) -> list[str]:
    """The languages this run builds: a global ``lang`` value, else ``--lang``, else both."""
    explicit = global_language(assignments, parameters_file)
    if explicit is not None:
        return [explicit]
    chosen = [lang for lang in LANGUAGES if lang in set(requested)]
    return chosen or list(LANGUAGES)
