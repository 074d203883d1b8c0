"""A four-device fleet for the engine's own tests (tests/lab/test_engine_session.py):
two Huawei VRP and two H3C Comware switches, cabled with one LAG, whose small
configurations the engine tests edit and read back. `build(seed)` is a fleet source
(`--fleet tests/lab/small_fleet.py:build`)."""

from __future__ import annotations

from netsteward.lab.model import Cable, DeviceSpec, Fleet, PortSpec


def _vrp_config(
    name: str, ports: list[str], descs: dict[str, str], lags: dict[str, list[str]]
) -> str:
    lines = [
        "!Software Version V200R019C10SPC500",
        "#",
        f"sysname {name}",
        "#",
        "aaa",
        " local-user admin password irreversible-cipher $1c$abcdefgh$",
        "#",
    ]
    for lag in lags:
        lines += [f"interface {lag}", " mode lacp-static", "#"]
    member = {m: lag for lag, ms in lags.items() for m in ms}
    for p in ports:
        lines.append(f"interface {p}")
        if p in descs:
            lines.append(f" description {descs[p]}")
        if p in member:
            lines.append(f" eth-trunk {member[p][len('Eth-Trunk') :]}")
        lines.append("#")
    lines += [
        "user-interface vty 0 4",
        " authentication-mode aaa",
        " protocol inbound ssh",
        "#",
        "return",
    ]
    return "\n".join(lines) + "\n"


def _comware_config(
    name: str, ports: list[str], descs: dict[str, str], lags: dict[str, list[str]]
) -> str:
    lines = ["#", " version 7.1.070, Release 6635P07", "#", f" sysname {name}", "#"]
    for lag in lags:
        lines += [f"interface {lag}", " link-aggregation mode dynamic", "#"]
    member = {m: lag for lag, ms in lags.items() for m in ms}
    for p in ports:
        lines.append(f"interface {p}")
        lines.append(" port link-mode bridge")
        if p in descs:
            lines.append(f" description {descs[p]}")
        if p in member:
            lines.append(f" port link-aggregation group {member[p][len('Bridge-Aggregation') :]}")
        lines.append("#")
    lines += [
        "line vty 0 63",
        " authentication-mode scheme",
        " user-role network-operator",
        "#",
        "return",
    ]
    return "\n".join(lines) + "\n"


def build(seed: int = 2026) -> Fleet:
    """Four devices, two per dialect, cabled with one LAG: enough for the engine's tests."""
    core_ports = [f"XGigabitEthernet0/0/{i}" for i in range(1, 5)]
    agg_ports = [f"GigabitEthernet1/0/{i}" for i in range(1, 9)] + [
        f"Ten-GigabitEthernet1/0/{i}" for i in range(49, 53)
    ]
    vacc_ports = [f"GigabitEthernet0/0/{i}" for i in range(1, 9)] + [
        f"XGigabitEthernet0/0/{i}" for i in range(1, 3)
    ]
    hacc_ports = [f"GigabitEthernet1/0/{i}" for i in range(1, 9)] + [
        f"Ten-GigabitEthernet1/0/{i}" for i in range(49, 51)
    ]
    specs = [
        ("LAB-CORE-01", "huawei_vrp", "core", "S12700E-8", "huawei", core_ports, {}, _vrp_config),
        (
            "LAB-AGG-01",
            "hp_comware",
            "aggregation",
            "S6520X-30QC-EI",
            "h3c",
            agg_ports,
            {"Bridge-Aggregation1": ["Ten-GigabitEthernet1/0/50", "Ten-GigabitEthernet1/0/51"]},
            _comware_config,
        ),
        (
            "LAB-ACC-001",
            "huawei_vrp",
            "access",
            "S5735-L48T4X-A1",
            "huawei",
            vacc_ports,
            {"Eth-Trunk1": ["XGigabitEthernet0/0/1", "XGigabitEthernet0/0/2"]},
            _vrp_config,
        ),
        (
            "LAB-ACC-002",
            "hp_comware",
            "access",
            "S5130S-52S-EI",
            "h3c",
            hacc_ports,
            {},
            _comware_config,
        ),
    ]
    cables = [
        Cable("LAB-CORE-01", "XGigabitEthernet0/0/1", "LAB-AGG-01", "Ten-GigabitEthernet1/0/49"),
        Cable("LAB-AGG-01", "Ten-GigabitEthernet1/0/50", "LAB-ACC-001", "XGigabitEthernet0/0/1"),
        Cable("LAB-AGG-01", "Ten-GigabitEthernet1/0/51", "LAB-ACC-001", "XGigabitEthernet0/0/2"),
        Cable("LAB-AGG-01", "GigabitEthernet1/0/1", "LAB-ACC-002", "Ten-GigabitEthernet1/0/49"),
    ]
    descs: dict[str, dict[str, str]] = {
        "LAB-CORE-01": {"XGigabitEthernet0/0/1": "TO-LAB-AGG-01-XGE1/0/49"},
        "LAB-AGG-01": {
            "Ten-GigabitEthernet1/0/49": "TO-LAB-CORE-01-XGE0/0/1",
            "GigabitEthernet1/0/1": "TO-LAB-ACC-002-XGE1/0/49",
        },
        "LAB-ACC-001": {"XGigabitEthernet0/0/1": "TO-LAB-AGG-01-XGE1/0/50"},
        "LAB-ACC-002": {"GigabitEthernet1/0/3": "PRINTER-3F"},
    }
    devices = []
    for i, (name, platform, role, model, vendor, ports, lags, render) in enumerate(specs, 1):
        version = "7.1.070, Release 6635P07" if platform == "hp_comware" else "V200R019C10SPC500"
        devices.append(
            DeviceSpec(
                name=name,
                platform=platform,
                role=role,
                network="base",
                model=model,
                vendor=vendor,
                serial=f"21023531{seed % 1000:03d}{i:05d}",
                version=version,
                mac=f"00:e0:fc:00:{seed % 256:02x}:{i:02x}",
                index=i,
                location="F01-IDF-1",
                mgmt_ip=f"192.0.2.{i}",
                ports=[
                    PortSpec(p, speed="10G" if "Ten" in p or p.startswith("X") else "1G")
                    for p in ports
                ],
                lags=lags,
                config=render(name, ports, descs.get(name, {}), lags),
                change_password_prompt=(name == "LAB-ACC-001"),
            )
        )
    return Fleet(
        seed=seed,
        devices=devices,
        cables=cables,
        truth={
            "secrets": [],
            "port_deviations": [],
            "firewall_problems": [],
            "hardening_deviations": [],
        },
    )
