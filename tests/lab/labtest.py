"""Helpers shared by the lab's tests: SSH clients and the ntc-templates sample checks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import paramiko
import yaml
from netmiko import ConnectHandler
from ntc_templates.parse import parse_output

SAMPLES = Path(__file__).parent / "engine_samples"  # per platform, from ntc-templates


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


# -- offline output against the real ntc-templates samples ----------------------------------


def sample_commands(platform: str) -> list[str]:
    return sorted(p.stem.replace("_", " ") for p in (SAMPLES / platform).glob("*.yml"))


def filled_fields(records: list[dict[str, object]]) -> set[str]:
    return {k for r in records for k, v in r.items() if v not in ("", [], None)}


def sample_records(platform: str, command: str) -> list[dict[str, object]]:
    path = SAMPLES / platform / f"{command.replace(' ', '_')}.yml"
    records: list[dict[str, object]] = yaml.safe_load(path.read_text(encoding="utf-8"))[
        "parsed_sample"
    ]
    return records


def check_parses_like_sample(
    offline_lab: Any, platform: str, host: str, command: str, not_ours: set[str]
) -> None:
    """The lab's output of `command` on `host` parses into records with the real sample's
    fields, and fills each field the sample fills in every record (but `not_ours`)."""
    text = offline_lab.run(host, command)
    records = parse_output(platform=platform, command=command, data=text)
    assert records, f"{host} {command!r}: no records in\n{text}"
    sample = sample_records(platform, command)
    assert set(records[0]) == set(sample[0])
    # each field the real device fills in every record, the lab fills somewhere too
    always = set.intersection(
        *({k for k, v in r.items() if v not in ("", [], None)} for r in sample)
    )
    always -= not_ours
    assert always <= filled_fields(records), (always - filled_fields(records), text)
