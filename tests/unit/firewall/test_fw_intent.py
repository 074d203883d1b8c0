"""The intent file: strict validation with file, line and field in the one-line error (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netsteward.tasks.core.errors import PolicyError
from netsteward.tasks.firewall.intent import load_intent, parse_intent
from netsteward.tasks.firewall.sets import ALL_ADDR, addr_set

GOOD = """\
version: 1
source_groups:
  OPS: [10.1.0.0/24]
servers:
  - name: WEB
    addresses: [192.0.2.10/32]
    services:
      - {protocol: tcp, ports: "443", sources: [any]}
      - {protocol: tcp, ports: "22,2222-2223", sources: [OPS, 10.9.9.9]}
"""


def test_good_intent() -> None:
    intent = parse_intent(GOOD)
    (web,) = intent.servers
    assert web.public and intent.public_addresses() == addr_set("192.0.2.10")
    assert web.allowed[0].sources == ALL_ADDR
    assert web.allowed[1].sources == addr_set("10.1.0.0/24", "10.9.9.9")
    assert web.allowed[1].service.ports.spans == ((22, 22), (2222, 2223))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("addresses: [192.0.2.10/32]", "addresses: [192.0.2.300]", "x.yaml:6: servers.0.addresses"),
        ('ports: "443"', 'ports: "443-80"', "x.yaml:8: servers.0.services.0.ports"),
        (
            'protocol: tcp, ports: "443"',
            'protocol: sctp, ports: "443"',
            "x.yaml:8: servers.0.services.0.protocol",
        ),
        (
            "sources: [OPS, 10.9.9.9]",
            "sources: [NOBODY]",
            "x.yaml:9: servers.0.services.1.sources.0",
        ),
        ("  - name: WEB", "  - name: WEB\n    colour: blue", "x.yaml:6: servers.0.colour"),
        ("version: 1", "version: [", "x.yaml:3: not valid YAML"),
    ],
)
def test_errors_name_file_line_field(old: str, new: str, message: str) -> None:
    with pytest.raises(PolicyError) as err:
        parse_intent(GOOD.replace(old, new), "x.yaml")
    assert str(err.value).startswith(message), str(err.value)
    assert err.value.exit_code == 2


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="file not found"):
        load_intent(tmp_path / "none.yaml")
