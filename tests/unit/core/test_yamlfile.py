"""The one YAML loader: every input file's problem is one `file:line: field: problem` line,
and binary, non-UTF-8, empty files and folders are bad input (exit 2), never a traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from netsteward.tasks.core.errors import BadInput, PolicyError
from netsteward.tasks.core.yamlfile import load_yaml, parse_yaml, validate
from netsteward.tasks.firewall.intent import load_intent
from netsteward.tasks.inventory.check import check_inventory
from netsteward.tasks.ports.policy import load_policy

ROOT = Path(__file__).resolve().parents[3]

BAD_FILES: dict[str, tuple[bytes | None, str]] = {
    # name: (content, None for a folder; the problem the one line names)
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (NUL bytes), not text"),
    "latin1": ("servers:\n  - name: Café\n".encode("latin-1"), "not UTF-8 text (byte 0xe9)"),
    "empty": (b"# nothing here yet\n\n", "empty file (nothing but comments or blank lines)"),
    "folder": (None, "is a folder, not a file"),
    "bad_yaml": (b"a: 1\nb: [2,\n", "not valid YAML"),
    # a key given twice: PyYAML would keep the second silently (a platform file with two
    # `reads:` blocks lost its LLDP command that way)
    "duplicate_key": (
        b"reads:\n  a: 1\ncollect: []\nreads:\n  b: 2\n",
        "key 'reads' given twice (first on line 1)",
    ),
}


def _bad(tmp_path: Path, kind: str) -> Path:
    content, _ = BAD_FILES[kind]
    path = tmp_path / f"{kind}.yaml"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    return path


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_every_bad_file_is_one_line_naming_it(tmp_path: Path, kind: str) -> None:
    path = _bad(tmp_path, kind)
    with pytest.raises(BadInput) as info:
        load_yaml(path, required=True)
    text = str(info.value)
    assert text.startswith(str(path)) and BAD_FILES[kind][1] in text
    assert "\n" not in text and info.value.exit_code == 2


def test_a_duplicate_key_names_its_second_line_nested_too(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text("hosts:\n  A:\n    port: 1\n    port: 2\n", encoding="utf-8")
    with pytest.raises(BadInput) as info:
        load_yaml(path)
    assert (info.value.line, info.value.field) == (4, "port")


def test_a_key_given_twice_inside_an_inventory_host_is_named(tmp_path: Path) -> None:
    path = tmp_path / "hosts.yaml"
    path.write_text("SW-1:\n  hostname: 127.0.0.1\n  port: 1\n  port: 2\n", encoding="utf-8")
    found = [(p.line, p.field) for p in check_inventory({"host": path})]
    assert (4, "SW-1.port") in found


def test_a_non_utf8_byte_is_placed_on_its_line(tmp_path: Path) -> None:
    with pytest.raises(BadInput) as info:
        load_yaml(_bad(tmp_path, "latin1"))
    assert info.value.line == 2


class _Server(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    port: int


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    servers: list[_Server]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("servers:\n  - name: A\n    port: 1\n  - name: B\n    port: x\n", ":5: servers.1.port: "),
        ("servers:\n  - name: A\n    port: 1\n    colour: blue\n", ":4: servers.0.colour: "),
        ("servers:\n  - name: A\n", ":2: servers.0.port: "),
        ("servers: 3\n", ":1: servers: "),
    ],
)
def test_model_errors_name_file_line_field(text: str, where: str) -> None:
    with pytest.raises(BadInput) as info:
        validate(parse_yaml(text, "x.yaml"), _File)
    assert str(info.value).startswith(f"x.yaml{where}"), str(info.value)


LOADERS: dict[str, Callable[[Path], Any]] = {
    "policy": load_policy,
    "intent": load_intent,
    "inventory": lambda p: check_inventory({"host": p}),
}


@pytest.mark.parametrize("loader", sorted(LOADERS))
@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_every_input_file_uses_the_loader(tmp_path: Path, loader: str, kind: str) -> None:
    path = _bad(tmp_path, kind)
    if loader == "inventory" and kind == "duplicate_key":
        problems = LOADERS[loader](path)  # the inventory names a host given twice itself
        assert ("reads", "duplicate name (first defined on line 1)") in [
            (p.field, p.message) for p in problems
        ]
        return
    if loader == "inventory":
        problems = LOADERS[loader](path)
        assert [(p.file, p.field) for p in problems] == [(str(path), "hosts")]
        assert BAD_FILES[kind][1] in problems[0].message
        return
    with pytest.raises(PolicyError) as info:
        LOADERS[loader](path)
    assert BAD_FILES[kind][1] in str(info.value)


def test_a_platform_file_is_loaded_strictly_by_the_same_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from netsteward.tasks.platforms import load_platform

    text = (ROOT / "tasks" / "platforms" / "hp_comware.yaml").read_text(encoding="utf-8")
    (tmp_path / "acme_broken.yaml").write_text(
        text.replace("name: hp_comware", "name: acme_broken").replace(
            "min_lines: 3", "min_lines: 3\n    minimum_lines: 3"
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("NETSTEWARD_PLATFORM_PATH", str(tmp_path))
    with pytest.raises(BadInput) as info:
        load_platform("acme_broken")
    line = text.replace("min_lines: 3", "min_lines: 3\n    minimum_lines: 3").splitlines()
    expected = next(i for i, ln in enumerate(line, 1) if "minimum_lines" in ln)
    assert str(info.value) == (
        f"{tmp_path / 'acme_broken.yaml'}:{expected}: collect.0.minimum_lines: "
        "Extra inputs are not permitted"
    )


@pytest.mark.parametrize(
    ("args", "kind"),
    [
        (["inventory", "check", "--config", "{bad}"], "binary"),
        (["inventory", "check", "--config", "{bad}"], "folder"),
        (["normalize", "plan", "--offline", "--policy", "{bad}"], "latin1"),
        (["audit", "firewall", "--intent", "{bad}"], "empty"),
    ],
)
def test_the_cli_says_one_line_and_exits_2(tmp_path: Path, args: list[str], kind: str) -> None:
    bad = _bad(tmp_path, kind)
    argv = [a.replace("{bad}", str(bad)) for a in args]
    proc = subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and BAD_FILES[kind][1] in lines[0], proc.stderr
