"""The built wheel: everything under the `netsteward` name, the data files inside, and no
top-level `tasks`, `playbooks` or `lab` modules in a user's site-packages."""

from __future__ import annotations

import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("netsteward-*.whl")
    return path


def test_wheel_has_only_the_netsteward_name(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"netsteward"}
    # the vendor files and parser templates travel with the code
    assert "netsteward/tasks/platforms/huawei_vrp.yaml" in names
    assert any(n.startswith("netsteward/tasks/topology/templates/") for n in names)
    assert "netsteward/lab/__main__.py" in names


def test_installed_wheel_imports_as_netsteward_only(wheel: Path, tmp_path: Path) -> None:
    """A fresh environment with the wheel unpacked (dependencies borrowed from ours, without
    our editable hook): `netsteward.tasks` imports and loads a platform; `tasks` does not exist."""
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=False)
    purelib = next(env_dir.glob("lib/python*/site-packages"))
    zipfile.ZipFile(wheel).extractall(purelib)
    # our dependencies, as a plain path entry: .pth files there (the editable hook) are not run
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "deps.pth").write_text("\n".join(deps) + "\n")
    python = env_dir / "bin" / "python"
    ok = subprocess.run(
        [
            str(python),
            "-c",
            "from netsteward.tasks.platforms import load_platform; print(load_platform('huawei_vrp').vendor)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "huawei"
    for top in ("tasks", "playbooks", "lab"):
        gone = subprocess.run(
            [str(python), "-c", f"import {top}"], capture_output=True, text=True, cwd=tmp_path
        )
        assert gone.returncode == 1 and "ModuleNotFoundError" in gone.stderr, top
