"""The adopters' pipeline definitions (pipelines/): what issue 7 asks of them, checked on the files.

The end-to-end test (tests/e2e/test_drift_e2e.py) runs their drift command line against the lab.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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
