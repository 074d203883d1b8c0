"""The lab's firewall generator against the audit: exactly the planted problems, nothing else.

This is the offline half of the lab acceptance (tests/e2e/test_audit_lab.py
does the same over SSH): configurations from `netsteward.lab.fleet.firewall` for every platform and
several seeds are audited with policy/firewall_intent.yaml.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from netsteward.lab.fleet.firewall import SERVERS, generate_firewall
from netsteward.lab.model import DeviceSpec
from netsteward.tasks.firewall.audit import CHECKS, audit_config
from netsteward.tasks.firewall.intent import load_intent
from netsteward.tasks.firewall.sets import addr_set

ROOT = Path(__file__).resolve().parents[2]
INTENT = load_intent(ROOT / "policy" / "firewall_intent.yaml")
PLATFORMS = ["huawei_vrp", "hillstone_stoneos", "fortinet", "cisco_asa"]


def _spec(platform: str, name: str, network: str = "base") -> DeviceSpec:
    return DeviceSpec(
        name=name,
        platform=platform,
        role="firewall",
        network=network,
        model="lab",
        vendor="lab",
        serial="LAB0001",
        version="",
        mac="00e0fc000001",
        index=1,
    )


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("seed", [0, 1, 2, 2026])
def test_audit_finds_exactly_the_planted_problems(platform: str, seed: int) -> None:
    spec = _spec(platform, f"YM-EGOV-FW-{seed:02d}", network="egov_intranet")
    text, problems, _ = generate_firewall(spec, random.Random(seed))
    result = audit_config(platform, text, INTENT, None, spec.name)
    got = sorted({(f.device, f.rule, f.check) for f in result.findings})
    assert got == sorted({(p["host"], p["rule"], p["check"]) for p in problems})
    assert len(text.splitlines()) > 500  # a few hundred rules


def test_planted_problems_cover_every_check_across_platforms() -> None:
    checks: dict[str, set[str]] = {}
    for platform in PLATFORMS:
        for seed in range(4):
            spec = _spec(platform, f"YM-BASE-FW-{seed + 1:02d}")
            spec.extra["default_permit"] = seed == 0
            _, problems, _ = generate_firewall(spec, random.Random(seed))
            checks.setdefault(platform, set()).update(p["check"] for p in problems)
    assert set().union(*checks.values()) == set(CHECKS)
    for platform, found in checks.items():
        # FortiOS and the ASA have no default-permit action in this model and no zone that is
        # the firewall itself (local-in policies and http/ssh lines are not rules here)
        expressible = set(CHECKS) - (
            {"DEFAULT_PERMIT", "MANAGEMENT_ACCESS"}
            if platform in ("fortinet", "cisco_asa")
            else set()
        )
        assert found == expressible, platform


def test_generator_is_deterministic_and_plants_secrets_as_they_appear() -> None:
    for platform in PLATFORMS:
        spec = _spec(platform, "YM-BASE-FW-07")
        first = generate_firewall(spec, random.Random(7))
        assert first == generate_firewall(spec, random.Random(7))
        text, _, secrets = first
        assert len(secrets) >= 2
        for s in secrets:
            assert s["host"] == spec.name and s["value"] in text


def test_intent_file_declares_the_generator_servers() -> None:
    assert [s.name for s in INTENT.servers] == list(SERVERS)
    for server in INTENT.servers:
        addrs, services = SERVERS[server.name]
        assert server.addresses == addr_set(*addrs)
        assert len(server.allowed) == len(services)
        for allowed, (proto, lo, hi, sources) in zip(server.allowed, services, strict=True):
            assert allowed.public == (sources == ["any"])
            assert (proto, lo, hi) == (
                {6: "tcp", 17: "udp"}[allowed.service.protocols.lo],
                allowed.service.ports.lo,
                allowed.service.ports.hi,
            )
            if not allowed.public:
                assert allowed.sources == addr_set(*sources)
