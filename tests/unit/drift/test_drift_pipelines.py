"""The adopters' pipeline definitions (pipelines/): schedule, install, check, publish.

The end-to-end test (tests/e2e/test_drift_e2e.py) runs their drift command line against the
lab; the install step's shell runs here with `python` standing in for the real pip.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

PIPELINES = Path(__file__).resolve().parents[3] / "pipelines"
COMMAND = re.compile(
    r"^netsteward drift \$NETSTEWARD_DRIFT_ARGS --junit (\S+) --markdown (\S+) --json > (\S+)$"
)


def gitlab() -> dict[str, Any]:
    return yaml.safe_load((PIPELINES / "gitlab-ci.yml").read_text())


def github() -> dict[Any, Any]:
    return yaml.safe_load((PIPELINES / "github-actions.yml").read_text())


def test_gitlab_nightly_installs_runs_publishes_and_keeps() -> None:
    job = gitlab()["netsteward-drift"]
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in job["rules"]
    assert any("pip install" in line for line in job["before_script"])
    [line] = [ln for ln in job["script"] if ln.startswith("netsteward drift")]
    junit, markdown, report = COMMAND.match(line).groups()  # type: ignore[union-attr]
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"]["junit"] == junit
    assert all(p.startswith("reports/") for p in (junit, markdown, report))
    assert job["artifacts"]["paths"] == ["reports/"]


def test_github_nightly_installs_runs_publishes_and_keeps() -> None:
    wf = github()
    on = wf["on"] if "on" in wf else wf[True]  # YAML 1.1 reads the key `on` as true
    assert on["schedule"][0]["cron"].count(" ") == 4
    steps = wf["jobs"]["drift"]["steps"]
    run = next(s for s in steps if s.get("id") == "drift")
    [line] = [
        ln.strip() for ln in run["run"].splitlines() if ln.strip().startswith("netsteward drift")
    ]
    junit, markdown, _ = COMMAND.match(line).groups()  # type: ignore[union-attr]
    assert f'cat {markdown} >> "$GITHUB_STEP_SUMMARY"' in run["run"]
    publish = next(s for s in steps if "junit-report" in s.get("uses", ""))
    assert publish["with"]["report_paths"] == junit and publish["if"] == "always()"
    keep = next(s for s in steps if "upload-artifact" in s.get("uses", ""))
    assert keep["if"] == "always()" and keep["with"]["path"] == "reports/"
    assert any("pip install" in s.get("run", "") for s in steps)


def test_credentials_only_from_the_secret_store() -> None:
    env = next(s for s in github()["jobs"]["drift"]["steps"] if s.get("id") == "drift")["env"]
    assert env, "the drift step gets credentials"
    for name, value in env.items():
        assert value == f"${{{{ secrets.{name} }}}}", name
    for path in PIPELINES.glob("*.yml"):
        text = path.read_text()
        assert "Lab-Only-Pa55" not in text
        assert not re.search(r"(?im)^\s*NETSTEWARD_\w*PASSWORD:\s*['\"]?[^$\s'\"]", text), path.name


def install_scripts() -> dict[str, str]:
    """The shell of each pipeline's install step."""
    steps = github()["jobs"]["drift"]["steps"]
    gh = next(s["run"] for s in steps if s.get("name") == "Install netsteward")
    gl = next(ln for ln in gitlab()["netsteward-drift"]["before_script"] if "pip install" in ln)
    return {"github": gh, "gitlab": gl}


def test_github_does_not_ask_setup_python_for_a_pip_cache() -> None:
    """`cache: pip` fails in an adopter's repository without requirements or pyproject."""
    setup = next(
        s for s in github()["jobs"]["drift"]["steps"] if "setup-python" in s.get("uses", "")
    )
    assert "cache" not in setup.get("with", {}) or "cache-dependency-path" in setup["with"]


@pytest.mark.parametrize("ci", ["github", "gitlab"])
@pytest.mark.parametrize(
    ("wheels", "spec", "installed"),
    [
        (
            ["netsteward-0.1.0-py3-none-any.whl", "netsteward-0.10.0-py3-none-any.whl"],
            "",
            "wheels/netsteward-0.10.0-py3-none-any.whl",
        ),
        (
            ["netsteward-0.1.0-py3-none-any.whl"],
            "netsteward @ git+https://git.example.org/netops/netsteward.git@v0.1.0",
            "netsteward @ git+https://git.example.org/netops/netsteward.git@v0.1.0",
        ),
        ([], "", None),
    ],
)
def test_install_never_asks_a_package_index_for_netsteward(
    tmp_path: Path, ci: str, wheels: list[str], spec: str, installed: str | None
) -> None:
    """netsteward is not published: the job installs the committed wheel or the git URL
    the adopter set, and stops with a message (exit 2) when there is neither."""
    (tmp_path / "bin").mkdir()
    fake = tmp_path / "bin" / "python"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$PWD/pip-args"\n')
    fake.chmod(0o755)
    for name in wheels:
        (tmp_path / "wheels").mkdir(exist_ok=True)
        (tmp_path / "wheels" / name).write_bytes(b"")
    env = {"PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}", "NETSTEWARD_PIP_SPEC": spec}
    proc = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", install_scripts()[ci]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if installed is None:
        assert proc.returncode == 2
        assert "pipelines/README.md" in proc.stdout + proc.stderr
        assert not (tmp_path / "pip-args").exists()
    else:
        assert proc.returncode == 0, proc.stderr
        args = (tmp_path / "pip-args").read_text().splitlines()
        assert args == ["-m", "pip", "install", "--quiet", installed]
