"""Helpers shared by the lab's tests: SSH clients, the ntc-templates sample checks and
configuring the offline lab for a test and back."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import paramiko
import yaml
from netmiko import ConnectHandler
from ntc_templates.parse import parse_output

SAMPLES = Path(__file__).parent / "engine_samples"  # per platform, from ntc-templates
# four devices (tests/lab/small_fleet.py): for labs whose fleet does not matter
SMALL_FLEET = f"{Path(__file__).resolve().parent / 'small_fleet.py'}:build"


def ssh_client(
    port: int,
    username: str | None = None,
    password: str | None = None,
    timeout: float | None = None,
) -> paramiko.SSHClient:
    """A password-authenticated paramiko client on 127.0.0.1:`port` (the environment's
    lab credentials unless given)."""
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(
        "127.0.0.1",
        port=port,
        username=username or os.environ["NETSTEWARD_USERNAME"],
        password=password or os.environ["NETSTEWARD_PASSWORD"],
        look_for_keys=False,
        allow_agent=False,
        timeout=timeout,
    )
    return client


def connect(lab: Any, host: str, platform: str = "huawei_vrp", **kw: Any) -> Any:
    """A netmiko connection to a device of `lab` with the environment's credentials."""
    return ConnectHandler(
        device_type=platform,
        host="127.0.0.1",
        port=lab.port_of(host),
        username=os.environ["NETSTEWARD_USERNAME"],
        password=os.environ["NETSTEWARD_PASSWORD"],
        **kw,
    )


def pick(lab: Any, platform: str = "huawei_vrp", role: str = "access", nth: int = 0) -> str:
    """The name of the `nth` device of that platform and role in the lab's truth."""
    names = [
        d["name"] for d in lab.truth()["devices"] if d["platform"] == platform and d["role"] == role
    ]
    if len(names) <= nth:
        raise LookupError(f"no {platform} {role} number {nth}")
    return str(names[nth])


def live_session(offline_lab: Any, host: str) -> tuple[Any, list[str]]:
    """A `netsteward.lab.engine.session.Session` on `host` of the offline lab, and the list its writes go to
    (for what `offline_lab.run` does not show: prompts, questions, the login banner)."""
    from netsteward.lab.dialects import get_dialect
    from netsteward.lab.engine.session import Session

    writes: list[str] = []
    device = offline_lab.state.device(host)
    session = Session(device, get_dialect(device.spec.platform), writes.append, lambda: None)
    return session, writes


# -- offline output against the real ntc-templates samples ----------------------------------


def sample_commands(platform: str) -> list[str]:
    return sorted(p.stem.replace("_", " ") for p in (SAMPLES / platform).glob("*.yml"))


def parsed(offline_lab: Any, host: str, line: str, command: str = "") -> list[dict[str, Any]]:
    """`line`'s output on `host`, parsed with the ntc-templates template of `command` (else
    of `line`) for the host's platform."""
    platform = offline_lab.state.specs[host].platform
    text = offline_lab.run(host, line)
    records: list[dict[str, Any]] = parse_output(
        platform=platform, command=command or line, data=text
    )
    return records


def filled_fields(records: list[dict[str, object]]) -> set[str]:
    return {k for r in records for k, v in r.items() if v not in ("", [], None)}


def sample_records(platform: str, command: str) -> list[dict[str, object]]:
    path = SAMPLES / platform / f"{command.replace(' ', '_')}.yml"
    records: list[dict[str, object]] = yaml.safe_load(path.read_text(encoding="utf-8"))[
        "parsed_sample"
    ]
    return records


def check_parses_like_sample(
    offline_lab: Any,
    platform: str,
    host: str,
    command: str,
    not_ours: set[str],
    line: str | None = None,
) -> list[dict[str, Any]]:
    """The lab's output of `command` on `host` (typed as `line` when the sample's name is
    not what a person types, e.g. `... id 1` for `... id id`) parses into records with the
    real sample's fields, and fills each field the sample fills in every record (but
    `not_ours`).  Returns the records."""
    line = line or command
    text = offline_lab.run(host, line)
    records: list[dict[str, Any]] = parse_output(platform=platform, command=line, data=text)
    assert records, f"{host} {line!r}: no records in\n{text}"
    sample = sample_records(platform, command)
    assert set(records[0]) == set(sample[0])
    # each field the real device fills in every record, the lab fills somewhere too
    always = set.intersection(
        *({k for k, v in r.items() if v not in ("", [], None)} for r in sample)
    )
    always -= not_ours
    assert always <= filled_fields(records), (always - filled_fields(records), text)
    return records


# -- configuring the offline lab through its CLI and checking it is left as it was ---------

# what shows each platform's running configuration, and its lines that change by themselves
# (the clock) or with every change (a timestamp, a size, a version counter) rather than with
# what is configured; a bare `#` is a VRP/Comware separator that an undone view leaves behind
RUNNING_CONFIG = {
    "huawei_vrp": "display current-configuration",
    "hp_comware": "display current-configuration",
    "cisco_ios": "show running-config",
    "cisco_asa": "more system:running-config",
    "fortinet": "show",
    "hillstone_stoneos": "show configuration",
}
VOLATILE = {
    "huawei_vrp": ("!Software Version", "!Last configuration was updated"),
    "hp_comware": ("!Software Version", "!Last configuration was updated"),
    "cisco_ios": ("Current configuration :", "! Last configuration change", "ntp clock-period"),
    "cisco_asa": (),
    "fortinet": ("#",),
    "hillstone_stoneos": (),
}


def running_config(offline_lab: Any, host: str) -> list[str]:
    """`host`'s running configuration without its volatile lines and bare `#` separators."""
    platform = offline_lab.state.specs[host].platform
    return without_volatile(platform, offline_lab.run(host, RUNNING_CONFIG[platform]))


def without_volatile(platform: str, text: str) -> list[str]:
    """The lines of a running configuration that do not change by themselves."""
    volatile = VOLATILE[platform]
    return [x for x in text.splitlines() if x.strip() != "#" and not x.startswith(volatile)]


def configure(
    offline_lab: Any, host: str, lines: Sequence[str], where: Mapping[str, str] | None = None
) -> str:
    """Types `lines` on `host` from the user view (each `.format(**where)`ed if `where` is
    given) and returns the output of the last one; no lines, no output."""
    filled = [x.format(**where) for x in lines] if where is not None else list(lines)
    if not filled:
        return ""
    text: str = offline_lab.run(host, filled[-1], tuple(filled[:-1]))
    return text


Step = tuple[str, Sequence[str], Sequence[str]]  # (host, lines that add, lines that remove)


@contextmanager
def configured(
    offline_lab: Any, steps: Iterable[Step], where: Mapping[str, str] | None = None
) -> Iterator[None]:
    """Each step's adding lines typed in order for the body, its removing lines in reverse
    order afterwards; then every device a step touched must have the running configuration
    it had before (`running_config`).  When the body raises, the steps are undone all the
    same and the body's error is what propagates (a failed undo is added to it as a note)."""
    steps = [s for s in steps if s[1] or s[2]]
    before = {h: running_config(offline_lab, h) for h, _, _ in steps}
    done: list[Step] = []

    def undo() -> None:
        while done:
            host, _, remove = done.pop()
            configure(offline_lab, host, remove, where)

    try:
        for step in steps:
            done.append(step)
            configure(offline_lab, step[0], step[1], where)
        yield
    except BaseException as error:
        try:
            undo()
        except Exception as failed:  # keep the body's error; say what the undo hit
            error.add_note(f"undoing the configuration failed too: {failed!r}")
        raise
    undo()
    assert {h: running_config(offline_lab, h) for h in before} == before


def table_steps(entry: Sequence[Sequence[str]], host: str, peer: str | None = None) -> list[Step]:
    """The steps of a table entry (lines that add and remove on `host`, lines that add and
    remove on the cabled `peer`): the peer's first, left out without `peer`."""
    add, remove, peer_add, peer_remove = entry
    return [*([(peer, peer_add, peer_remove)] if peer else []), (host, add, remove)]


def interface_address(config: str, port: str) -> tuple[str, str] | None:
    """(address, mask) of `port` in a VRP/IOS/ASA-style configuration (None without one)."""
    m = re.search(
        rf"^interface {re.escape(port)}\n(?: .*\n)*? ip address (\S+) (\S+)", config, re.M
    )
    return (m.group(1), m.group(2)) if m else None
