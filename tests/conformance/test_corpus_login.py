"""The session's log-in (`login:` in the platform files, `connection.PlatformLogin`) on the
real sessions oxidized recorded: the banner and first prompt each device printed by
itself, and its answer to the paging-off command. The name taken is what netmiko's own
driver makes of the same prompt; a recording cut before its prompt is an error, never a
guessed name."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from netmiko.ssh_dispatcher import CLASS_MAPPER_BASE
from test_corpus_readers import CORPUS, SESSION_PLATFORMS, _decode

from netsteward.tasks.core.connection import SessionEnded, driver_class, login_base
from netsteward.tasks.platforms import load_platform


def recordings() -> list[tuple[str, Path]]:
    found = []
    for path in sorted((CORPUS / "oxidized-simulations").glob("*_simulation.yaml")):
        platform = SESSION_PLATFORMS.get(path.name.split("_", 1)[0])
        if platform and load_platform(platform).login is not None:
            found.append((platform, path))
    return found


class Recorded:
    """A paramiko channel that gives the recorded bytes, in small pieces, then ends."""

    def __init__(self, text: str) -> None:
        data = text.encode("utf-8")
        self.pieces = [data[i : i + 7] for i in range(0, len(data), 7)]

    def settimeout(self, timeout: float) -> None: ...

    def recv(self, size: int) -> bytes:
        return self.pieces.pop(0) if self.pieces else b""


def connection(platform: str, text: str) -> Any:
    p = load_platform(platform)
    cls = driver_class(CLASS_MAPPER_BASE[p.netmiko_device_type], p)
    conn = cls(host="127.0.0.1", device_type=p.netmiko_device_type, auto_connect=False)
    conn.remote_conn = Recorded(text)
    conn.sent = []
    conn.write_channel = conn.sent.append
    return conn


def reply_to(data: dict[str, Any], command: str) -> str | None:
    commands = data.get("commands") or {}
    if isinstance(commands, list):
        commands = {k: v for item in commands for k, v in item.items()}
    return next((_decode(v) for k, v in commands.items() if k.strip() == command), None)


def test_the_recordings_are_found() -> None:
    assert {p for p, _ in recordings()} == {"cisco_ios", "hp_comware"}
    assert len(recordings()) >= 4


@pytest.mark.parametrize(("platform", "path"), recordings(), ids=lambda v: getattr(v, "name", v))
def test_the_log_in_reads_the_recorded_prompt_and_names_the_device_as_netmiko(
    platform: str, path: Path
) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = _decode(str(data["init_prompt"]))
    conn = connection(platform, first)
    prompt = conn._read_to_prompt(time.monotonic() + 5, [])
    assert conn.sent == []  # nothing typed: the device printed its prompt by itself
    stock = CLASS_MAPPER_BASE[load_platform(platform).netmiko_device_type](
        host="127.0.0.1", device_type=platform, auto_connect=False
    )
    stock.find_prompt = lambda *args, **kwargs: first.strip().splitlines()[-1].strip()
    assert login_base(load_platform(platform).login, prompt) == stock.set_base_prompt()
    paging = load_platform(platform).paging_off
    reply = reply_to(data, paging) if paging else None
    if reply is not None:  # the recorded answer to our paging-off ends at the same prompt
        again = connection(platform, reply)._read_to_prompt(time.monotonic() + 5, [])
        assert again.group("base") == prompt.group("base")


@pytest.mark.parametrize(("platform", "path"), recordings(), ids=lambda v: getattr(v, "name", v))
def test_a_recording_cut_before_its_prompt_is_an_error(platform: str, path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = _decode(str(data["init_prompt"])).rstrip().split("\n")[:-1]  # the prompt cut off
    banner = "".join(line + "\n" for line in lines)
    with pytest.raises(SessionEnded):
        connection(platform, banner)._read_to_prompt(time.monotonic() + 5, [])
