"""Issue 26, item 4: a student who types a wrong value into a notebook's parameters cell
(`lang = "ru"`, a question or a year out of range, text for a number) sees ONE line saying
what is wrong, in the notebook's language, not a traceback through parameters.py. Checked
in a real kernel (the project's), as JupyterLab runs the cells; the command line keeps its
English message."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import config
from analysis.present import parameters
from analysis.present.i18n import t

START = "from analysis.present.session import start\n"


def _error_lines(cells: list[str], folder: Path) -> list[list[str] | None]:
    """Run ``cells`` in one kernel; each cell's error lines (what JupyterLab shows) or None.
    The kernel talks over IPC sockets in ``folder``: a TCP port chosen free can be taken
    by another process before the kernel binds it (seen under a loaded test run: the
    kernel died and the client waited a minute)."""
    import nbformat
    from nbclient import NotebookClient

    from analysis.run.papermill_engine import ipc_config

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(START), *map(nbformat.v4.new_code_cell, cells)]
    NotebookClient(notebook, kernel_name="kaztur", allow_errors=True, timeout=120,
                   config=ipc_config(folder / "kernel.json"),
                   resources={"metadata": {"path": str(config.NOTEBOOKS_DIR)}}).execute()
    shown = []
    for cell in notebook.cells[1:]:
        errors = [o for o in cell.outputs if o["output_type"] == "error"]
        shown.append(list(errors[0]["traceback"]) if errors else None)
    return shown


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> list[list[str] | None]:
    return _error_lines([
        'lang = "ru"\nex = start("seminar_01_growth", globals())',
        'lang, sample_size, question, ci_level = "en", 0, 4, 0.95\n'
        'ex = start("seminar_03_intervals", globals())',
        'lang, sample_size, question, ci_level = "kk", 100, 99, 0.95\n'
        'ex = start("seminar_03_intervals", globals())',
        'lang, sample_size, question, ci_level = "kk", "100", 4, 0.95\n'
        'ex = start("seminar_03_intervals", globals())',
        'lang, start_year, end_year, ci_level = "kk", 2010, 2023, 0.95\n'
        'ex = start("01_trade", globals())',
        'lang, sample_size, question, ci_level = "en", 400, 3, 0.9\n'
        'ex = start("seminar_03_intervals", globals())\nassert ex.lang == "en"',
    ], tmp_path_factory.mktemp("kernel"))


def test_each_wrong_value_is_one_line_without_a_traceback(shown):
    for lines in shown[:5]:
        assert lines is not None and len(lines) == 1, lines
        line = lines[0]
        assert line.startswith("⚠️") and "Traceback" not in line and "parameters.py" not in line
        assert "Run ▸ Run All Cells" in line
    assert shown[5] is None  # right values: no message, the notebook goes on


def test_the_line_speaks_the_notebooks_language(shown):
    ru, zero, question, text, year = (lines[0] for lines in shown[:5])
    # lang itself is wrong: the line in both languages, the fix named
    assert "параметрі" in ru and "Parameter `lang`" in ru and '"kk"' in ru and '"ru"' in ru
    assert zero.startswith("⚠️ Parameter `sample_size` must be at least 1, got 0.")
    assert question.startswith("⚠️ `question` параметрі көп дегенде 13 болуы керек, берілгені: 99.")
    assert "бүтін сан" in text and '"100"' in text  # text where a whole number is asked
    assert "кемінде 2018" in year and "2 018" not in year  # a year is not grouped


def test_the_message_comes_from_the_labels_in_both_languages():
    with pytest.raises(parameters.ParameterError) as caught:
        parameters.from_notebook_globals("seminar_03_intervals", {
            "lang": "kk", "sample_size": 100, "question": 4, "ci_level": 1.5})
    error = caught.value
    assert error.key == "maximum" and error.lang == "kk"
    assert error._render_traceback_() == [error.localized("kk")]
    assert error.localized("kk") == t("param.error.maximum", "kk", name="ci_level",
                                      limit="0,999", value="1.5")
    assert error.localized("en") == t("param.error.maximum", "en", name="ci_level",
                                      limit="0.999", value="1.5")
    # the command line's message stays English and names the notebook
    assert str(error).startswith("notebook 'seminar_03_intervals', parameter 'ci_level'")
    for key in ("type", "choice", "minimum", "maximum", "unknown", "span"):
        for lang in ("kk", "en"):
            assert t(f"param.error.{key}", lang, name="x", value="1", expected="y",
                     choices="z", limit="2", names="n", known="k", start=1, end=2)
