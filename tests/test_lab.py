"""`kaztur lab`: the project kernel is registered and used, and nothing pops up or phones home.

Static checks (kernelspecs in every notebook, config files, the command line) plus one
JupyterLab server started exactly as `kaztur lab` starts it, queried over its REST API.
The real-browser check is in test_browser.py.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import pytest

from analysis import config
from analysis.run import lab

NOTEBOOKS = sorted(p for p in config.NOTEBOOKS_DIR.rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)


def _write_notebook(path: Path, kernel: str | None) -> None:
    meta = {"kernelspec": {"name": kernel, "display_name": kernel, "language": "python"}}
    path.write_text(json.dumps({"cells": [], "metadata": meta if kernel else {},
                                "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")


# --- kernel -------------------------------------------------------------------------------


def test_there_are_notebooks_to_check():
    assert any(p.parent.name == "seminar" for p in NOTEBOOKS), NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(config.ROOT)))
def test_every_notebook_uses_the_project_kernel(path):
    meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    assert meta["kernelspec"]["name"] == lab.KERNEL_NAME
    assert meta["kernelspec"]["display_name"] == lab.KERNEL_DISPLAY_NAME


def test_notebook_kernel_check_reports_a_foreign_or_missing_kernelspec(tmp_path):
    _write_notebook(tmp_path / "good.ipynb", lab.KERNEL_NAME)
    _write_notebook(tmp_path / "python3.ipynb", "python3")
    _write_notebook(tmp_path / "none.ipynb", None)
    problems = lab.notebook_kernel_problems(tmp_path)
    assert len(problems) == 2
    assert any(p.startswith("python3.ipynb") for p in problems)
    assert any(p.startswith("none.ipynb") for p in problems)
    assert lab.notebook_kernel_problems(config.NOTEBOOKS_DIR) == []


def test_project_kernel_is_registered_in_this_venv():
    from jupyter_client.kernelspec import KernelSpecManager

    assert lab.kernel_problems() == []
    spec_dir = Path(KernelSpecManager().find_kernel_specs()[lab.KERNEL_NAME]).resolve()
    assert Path(sys.prefix).resolve() in spec_dir.parents, spec_dir
    assert "no Jupyter kernel named" in lab.kernel_problems("no-such-kernel-xyz")[0]


# --- configuration and command line ---------------------------------------------------


def test_config_files_set_default_kernel_and_switch_off_news():
    server = json.loads((lab.CONFIG_DIR / "jupyter_server_config.json").read_text())
    assert server["MappingKernelManager"]["default_kernel_name"] == lab.KERNEL_NAME
    assert server["LabApp"]["news_url"] is None
    assert server["LabApp"]["check_for_updates_class"].endswith(".NeverCheckForUpdate")
    assert server["LabApp"]["extension_manager"] == "readonly"
    overrides = json.loads((lab.APP_SETTINGS_DIR / "overrides.json").read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}
    page = json.loads((lab.CONFIG_DIR / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyterlab/apputils-extension:announcements"] is True


def test_overrides_are_valid_for_this_jupyterlab():
    """A typo (e.g. fetchNews: false instead of "false") would be silently ignored."""
    schema_path = (Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas" / "@jupyterlab"
                   / "apputils-extension" / "notification.json")
    schema = json.loads(schema_path.read_text())["properties"]
    allowed = {option["const"] for option in schema["fetchNews"]["oneOf"]}
    assert "false" in allowed and schema["checkForUpdates"]["type"] == "boolean"


def test_command_line_has_root_kernel_and_quiet_options():
    cmd = lab.build_command()
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={config.NOTEBOOKS_DIR.resolve()}" in cmd
    assert f"--LabApp.app_settings_dir={lab.APP_SETTINGS_DIR}" in cmd
    assert f"--MappingKernelManager.default_kernel_name={lab.KERNEL_NAME}" in cmd
    assert "--LabApp.news_url=None" in cmd
    assert any(a.endswith("NeverCheckForUpdate") for a in cmd)
    assert "--LabApp.extension_manager=readonly" in cmd


def test_extra_arguments_pass_through_last():
    cmd = lab.build_command(["--port=8899", "--no-browser"])
    assert cmd[-2:] == ["--port=8899", "--no-browser"]


def test_environment_points_at_repo_config_but_keeps_user_state_out_of_the_repo(tmp_path):
    env = lab.build_env({"PATH": "/usr/bin", "HOME": str(tmp_path)})
    assert env["JUPYTER_CONFIG_DIR"] == str(lab.CONFIG_DIR)
    for key in ("JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        assert not Path(env[key]).resolve().is_relative_to(config.ROOT.resolve()), env[key]
    assert env["PATH"].split(":")[0] == str(Path(sys.executable).parent)


def test_main_runs_jupyterlab_with_extra_args(monkeypatch):
    calls = []
    monkeypatch.setattr(lab.subprocess, "call", lambda cmd, env: calls.append((cmd, env)) or 0)
    assert lab.main(argparse.Namespace(lab_args=["--", "--port=8899"])) == 0
    cmd, env = calls[0]
    assert cmd[-1] == "--port=8899" and "--" not in cmd
    assert env["JUPYTER_CONFIG_DIR"] == str(lab.CONFIG_DIR)


def test_main_refuses_when_the_kernel_is_missing(monkeypatch, capsys):
    monkeypatch.setattr(lab, "kernel_problems", lambda: ["no Jupyter kernel named 'kaztur'"])
    monkeypatch.setattr(lab.subprocess, "call", lambda *a, **k: pytest.fail("started lab"))
    assert lab.main([]) == 1
    assert "kaztur" in capsys.readouterr().err


def test_cli_dispatches_lab_to_this_module(monkeypatch):
    """`kaztur lab -- --port=8899`: options after `lab` (with or without `--`) reach lab."""
    from analysis.run import cli

    calls = []
    monkeypatch.setattr(lab.subprocess, "call", lambda cmd, env: calls.append(cmd) or 0)
    assert cli.main(["lab", "--", "--port=8899", "--no-browser"]) == 0
    assert calls[0][-2:] == ["--port=8899", "--no-browser"]


# --- a real server, started as `kaztur lab` starts it (fixture lab_server in conftest) --


def test_server_fetches_no_news_and_no_update(lab_server):
    assert lab_server.api("lab/api/news") == {"news": []}
    assert lab_server.api("lab/api/update") == {"notification": None}
    page = lab_server.page_config()
    assert page["news"] == {"disabled": True}
    assert "@jupyterlab/apputils-extension:announcements" in page["disabledExtensions"]
    assert page["extensionManager"]["can_install"] is False


def test_server_notification_settings_default_to_never(lab_server):
    reply = lab_server.api("lab/api/settings/@jupyterlab/apputils-extension:notification")
    props = reply["schema"]["properties"]
    assert props["fetchNews"]["default"] == "false"
    assert props["checkForUpdates"]["default"] is False


def test_server_default_kernel_is_the_project_kernel_and_starts(lab_server):
    specs = lab_server.api("api/kernelspecs")
    assert specs["default"] == lab.KERNEL_NAME
    assert specs["kernelspecs"][lab.KERNEL_NAME]["spec"]["display_name"] == lab.KERNEL_DISPLAY_NAME
    kernel = lab_server.api("api/kernels", method="POST", body={}, timeout=30)
    try:
        assert kernel["name"] == lab.KERNEL_NAME
    finally:
        lab_server.api(f"api/kernels/{kernel['id']}", method="DELETE", timeout=30)


def test_server_serves_the_seminar_notebooks(lab_server):
    listing = lab_server.api("api/contents/seminar")
    names = {item["name"] for item in listing["content"]}
    assert "seminar_01_growth.ipynb" in names


def test_server_leaves_no_state_in_the_repository(lab_server):
    for name in ("user-settings", "workspaces"):
        assert not (lab.CONFIG_DIR / "lab" / name).exists()
    # the marker that keeps jupyter_core from migrating IPython 3 config into the repo
    assert (lab.CONFIG_DIR / "migrated").read_text() == "1970-01-01T00:00:00+00:00\n"


# --- the students' copies: `kaztur lab --handouts` ------------------------------------


def _capture_call(monkeypatch) -> list:
    calls: list = []
    monkeypatch.setattr(lab.subprocess, "call", lambda cmd, env: calls.append(cmd) or 0)
    return calls


def _root_args(cmd: list[str]) -> list[str]:
    return [a for a in cmd if a.split("=")[0] in lab.ROOT_OPTIONS or a in lab.ROOT_OPTIONS]


def test_own_options_are_split_from_jupyterlabs():
    opts = lab.parse_options(["--handouts", "--lang", "en", "--port", "8899", "--",
                              "--no-browser", "--lang"])
    assert (opts.use_handouts, opts.lang, opts.reset) == (True, "en", False)
    assert opts.extra == ["--port", "8899", "--no-browser", "--lang"]  # after -- : JupyterLab's
    assert lab.parse_options([]).lang == "kk"
    for wrong in (["--reset"], ["--lang", "en"]):
        with pytest.raises(ValueError, match="--handouts"):
            lab.parse_options(wrong)
    with pytest.raises(SystemExit):
        lab.parse_options(["--handouts", "--lang", "ru"])


def test_lab_help_lists_its_own_options(capsys):
    """`kaztur lab --help` lists --handouts, --lang and --reset, each with its help (they
    used to pass through to JupyterLab unlisted); unknown options still pass through."""
    from analysis.run import cli

    with pytest.raises(SystemExit) as stopped:
        cli.main(["lab", "--help"])
    assert stopped.value.code == 0
    shown = capsys.readouterr().out.split("options:", 1)[1]
    for option, words in (("--handouts", "students' copies"), ("--lang {kk,en}", "language"),
                          ("--reset", "anew")):
        assert f"\n  {option} " in shown, f"{option} not listed:\n{shown}"
        assert words in shown.split(f"\n  {option} ", 1)[1].split("\n  -")[0], option
    args = cli.parse(["lab", "--handouts", "--lang", "en", "--port", "8899", "--no-browser"])
    options = lab.options_from(args)
    assert (options.use_handouts, options.lang, options.extra) == (
        True, "en", ["--port", "8899", "--no-browser"])
    # no abbreviations: `--hand` is not --handouts, it goes to JupyterLab untouched
    abbreviated = cli.parse(["lab", "--hand"])
    assert (abbreviated.handouts, abbreviated.lab_args) == (False, ["--hand"])


def test_a_folder_given_to_jupyterlab_replaces_notebooks_instead_of_clashing(monkeypatch,
                                                                              tmp_path):
    """`kaztur lab -- --ServerApp.root_dir=DIR` used to pass two root_dir values and exit 1
    ("root_dir only accepts one value, got 2")."""
    for extra in ([f"--ServerApp.root_dir={tmp_path}"], ["--notebook-dir", str(tmp_path)]):
        cmd = lab.build_command(extra)
        assert len(_root_args(cmd)) == 1, cmd
        assert lab.root_option(extra) == tmp_path
    calls = _capture_call(monkeypatch)
    assert lab.main(["--", f"--ServerApp.root_dir={tmp_path}"]) == 0
    assert _root_args(calls[0]) == [f"--ServerApp.root_dir={tmp_path}"]


def test_handouts_switch_writes_and_opens_the_students_copies(monkeypatch, tmp_path, capsys):
    from analysis.run import handouts

    monkeypatch.setattr(handouts, "HANDOUTS_DIR", tmp_path / "handouts")
    calls = _capture_call(monkeypatch)
    assert lab.main(["--handouts", "--lang", "en", "--port=8899"]) == 0
    folder = (tmp_path / "handouts" / "en").resolve()
    assert _root_args(calls[0]) == [f"--ServerApp.root_dir={folder}"]
    assert calls[0][-1] == "--port=8899"
    names = sorted(p.name for p in folder.glob("*.ipynb"))
    assert names == sorted(p.name for p in (config.NOTEBOOKS_DIR / "seminar").glob(
        "seminar_*.ipynb"))
    text = (folder / names[0]).read_text(encoding="utf-8")
    assert '"solution"' not in text and 'lang = \\"en\\"' in text
    assert lab.notebook_kernel_problems(folder) == []
    assert f"{len(names)} written, 0 kept" in capsys.readouterr().err
    assert lab.main(["--handouts", "--lang", "en"]) == 0  # second start keeps them
    assert f"0 written, {len(names)} kept" in capsys.readouterr().err


def test_handouts_switch_and_a_root_dir_are_exclusive(monkeypatch, tmp_path):
    calls = _capture_call(monkeypatch)
    assert lab.main(["--handouts", "--", f"--ServerApp.root_dir={tmp_path}"]) == 2
    assert lab.main(["--reset"]) == 2
    assert calls == []


def test_make_has_lab_and_handouts_targets():
    makefile = (config.ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"\nlab: \$\(STAMP\)( +## [^\n]*)?\n\t\$\(BIN\)/kaztur lab\n", makefile)
    assert re.search(r"\nhandouts: \$\(STAMP\)( +## [^\n]*)?\n\t\$\(BIN\)/kaztur lab --handouts",
                     makefile)


def test_server_on_the_handouts_serves_them_with_the_project_kernel(handouts_server):
    listing = handouts_server.api("api/contents")
    names = sorted(item["name"] for item in listing["content"] if item["type"] == "notebook")
    assert names == sorted(p.name for p in (config.NOTEBOOKS_DIR / "seminar").glob(
        "seminar_*.ipynb"))
    model = handouts_server.api("api/contents/seminar_01_growth.ipynb")
    content = model["content"]
    assert content["metadata"]["kernelspec"]["name"] == lab.KERNEL_NAME
    assert not [c for c in content["cells"] if "solution" in c["metadata"].get("tags", [])]
    assert handouts_server.api("api/kernelspecs")["default"] == lab.KERNEL_NAME
    assert handouts_server.api("lab/api/news") == {"news": []}


def _documented_lab_commands() -> list[list[str]]:
    """Every `.venv/bin/kaztur lab ...` command docs/TEACHING.md tells a teacher to type."""
    import re
    import shlex

    text = (config.ROOT / "docs" / "TEACHING.md").read_text(encoding="utf-8")
    commands = []
    for found in re.finditer(r"\.venv/bin/kaztur lab[^`\n|#]*", text):
        commands.append(shlex.split(found.group(0).strip())[2:])
    return commands


def test_every_documented_lab_command_starts_jupyterlab(monkeypatch, tmp_path):
    """The documented `kaztur lab -- --ServerApp.root_dir=...` used to exit 1; each command
    in TEACHING.md must reach JupyterLab with one folder to serve."""
    from analysis.run import handouts

    monkeypatch.setattr(handouts, "HANDOUTS_DIR", tmp_path / "handouts")
    monkeypatch.setenv("PWD", str(tmp_path))
    commands = _documented_lab_commands()
    assert any("--handouts" in c for c in commands) and any("--" in c for c in commands)
    for args in commands:
        args = [a.replace("$PWD", str(tmp_path)) for a in args]
        calls = _capture_call(monkeypatch)
        assert lab.main(args) == 0, args
        assert len(_root_args(calls[0])) == 1, (args, calls[0])
