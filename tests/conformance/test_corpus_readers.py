"""Conformance: every real sample in tests/corpus goes through the product's own readers.

tests/corpus is a copy of the shared corpus (sources and licences in tests/NOTICE):
ntc-templates' device outputs with the records its templates extract (`.yml`), oxidized's
recorded SSH sessions and the backups they should give, Batfish's ASA and FortiOS parser
configurations. Samples are found by folder convention, so a sample copied in later is tested
without editing this file:

- `ntc-templates/<platform>/<command, spaces as _>/*.raw`: when a platform file reads that
  command (`reads:`), the reader runs on the sample and its records are compared field by
  field with ntc-templates' `.yml` (the inspection's health readers, `inspect.*`, must read
  every sample of their command here; tests/unit/inspect/test_readers_corpus.py compares their
  facts with the `.yml`); configuration readers also take the fragments a
  `show running-config <section>` prints;
- `oxidized-simulations/<vendor>_*_simulation.yaml`: every recorded command a reader reads;
  `*_output.txt` (a configuration) through the platform's configuration readers;
- `batfish/<cisco_asa|fortios>/*`: through the firewall configuration reader.

A sample must read without a warning, or be in EXPLAINED with the warnings it gives and why:
a sample the product cannot read fully is an explicit, explained entry, never a silent pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from netsteward.tasks.core.reading import Reading, get_reader
from netsteward.tasks.platforms import PLATFORMS, Read, load_platform
from netsteward.tasks.topology.neighbor import clean

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CONFIG_PURPOSES = ("firewall_policy", "lag_config")
INSPECT = "inspect."  # the daily inspection's health displays (tasks/inspect/readers)
SESSION_PLATFORMS = {
    "ios": "cisco_ios",
    "asa": "cisco_asa",
    "fortios": "fortinet",
    "h3c": "hp_comware",
}
BATFISH_PLATFORMS = {"cisco_asa": "cisco_asa", "fortios": "fortinet"}

# A sample the product cannot read fully: its path under tests/corpus ("::command" for a
# recorded session) -> (what every one of its warnings is about, why). Anything else a sample
# gives is a failure: a reader that reads less than before, or a new sample it cannot read.
CLI_SCRIPT = (
    "Batfish's FortiOS test drives the CLI (rename/move/clone/delete of entries): a device "
    "prints the resulting configuration, never these commands; each is reported, not applied"
)
EXPLAINED: dict[str, tuple[tuple[str, ...], str]] = {
    "ntc-templates/hp_comware/display_lldp_neighbor-information_verbose/"
    "hp_comware_display_lldp_neighbor-information_verbose.raw": (
        ("line not understood",),
        "a second capture is pasted into the sample after its prompt and command line "
        "(`[H3C-GigabitEthernet0/0]dis lldp ...`): that line is reported, both captures read",
    ),
    "oxidized-simulations/fortios_FMG-VM64_7.4.6_simulation.yaml::get system status": (
        ("no entry read",),
        "a FortiManager, not a FortiGate: its status has `Platform Type`/`Version` in a layout "
        "ntc-templates' FortiGate template (our fortinet.version) does not read",
    ),
    "ntc-templates/cisco_asa/show_running-config_object_network/"
    "cisco_asa_show_running-config_object_network.raw": (
        ("IPv6", "fqdn"),
        "IPv6 hosts and subnets and fqdn objects: the audit models IPv4 and resolves no names; "
        "each is reported and matches nothing (never any)",
    ),
    "oxidized-simulations/asa_5512_9.12-4-67_single-context_output.txt": (
        ("IPv6",),
        "object ROCKS is an IPv6 host: the audit models IPv4",
    ),
    "batfish/cisco_asa/asa_acl": (
        ("standard access-list",),
        "a standard ACL (for VPN split tunnels, not traffic filtering): only extended ACLs are "
        "audited",
    ),
    "batfish/fortios/address": (
        ("not modelled", "non-contiguous"),
        "dynamic, fqdn, geography and mac addresses are resolved on the device; the wildcard "
        "addresses have non-contiguous masks (read exactly, or reported when too fragmented)",
    ),
    "batfish/fortios/address_warnings": (
        ("not modelled", "non-contiguous"),
        "as batfish/fortios/address: addresses resolved on the device, wildcard masks",
    ),
    "batfish/fortios/firewall_policy": (
        ("source port",),
        "a service with a source port range (`12:11`): source ports are not modelled",
    ),
    "batfish/fortios/service_custom": (
        ("source port",),
        "services with source port ranges (`1-2:3-4`): source ports are not modelled",
    ),
    **{
        f"batfish/fortios/{name}": (("a CLI command",), CLI_SCRIPT)
        for name in (
            "addrgrp_rename",
            "firewall_policy_warn",
            "policy_clone",
            "policy_defs_refs",
            "policy_delete",
            "policy_move",
            "rename",
            "service_group_rename",
        )
    },
}


def _reads(platform: str, command: str) -> list[tuple[str, Read]]:
    """(purpose, Read) of the readers that read `command`'s output on this platform."""
    spec = load_platform(platform)
    found = spec.reads_command(command)
    if found:
        return found
    # `show running-config object network` and the like: a part of the configuration
    return [
        (purpose, read)
        for purpose, read in spec.reads.items()
        if purpose in CONFIG_PURPOSES and command.startswith(read.command + " ")
    ]


def ntc_samples() -> Iterator[tuple[str, str, str, Path]]:
    for folder in sorted((CORPUS / "ntc-templates").glob("*/*")):
        platform = folder.parent.name
        if not folder.is_dir() or platform not in PLATFORMS:
            continue
        for purpose, read in _reads(platform, folder.name.replace("_", " ")):
            for raw in sorted(folder.glob("*.raw")):
                yield platform, purpose, read.reader, raw


def _decode(text: str) -> str:
    """oxidized keeps Ruby escapes as text (`\\x20`, `\\r`, `\\e`, `\\"`)."""
    return text.replace("\\x20", " ").replace("\\r", "").replace("\\e", "\x1b").replace('\\"', '"')


def session_samples() -> Iterator[tuple[str, str, str, str]]:
    """(platform, sample id, reader, output) for each recorded command a reader reads."""
    for path in sorted((CORPUS / "oxidized-simulations").glob("*_simulation.yaml")):
        platform = SESSION_PLATFORMS[path.name.split("_", 1)[0]]
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        commands = data.get("commands") or {}
        if isinstance(commands, list):  # some recordings keep them as a list of one-key maps
            commands = {k: v for item in commands for k, v in item.items()}
        for command, output in commands.items():
            command = command.strip()
            for _, read in _reads(platform, command):
                lines = _decode(str(output)).splitlines()[1:-1]  # echo and prompt
                yield platform, f"{path.name}::{command}", read.reader, "\n".join(lines) + "\n"
        backup = path.with_name(path.name.replace("_simulation.yaml", "_output.txt"))
        if backup.exists():
            for purpose, read in load_platform(platform).reads.items():
                if purpose in CONFIG_PURPOSES:
                    yield platform, backup.name, read.reader, backup.read_text(encoding="utf-8")


def batfish_samples() -> Iterator[tuple[str, str, str, str]]:
    for folder, platform in BATFISH_PLATFORMS.items():
        reader = load_platform(platform).reads["firewall_policy"].reader
        for path in sorted((CORPUS / "batfish" / folder).iterdir()):
            sample = str(path.relative_to(CORPUS))
            yield platform, sample, reader, path.read_text(encoding="utf-8")


def _check_warnings(sample: str, reading: Reading[Any]) -> None:
    shown = [str(w) for w in reading.warnings]
    if sample not in EXPLAINED:
        assert not reading.warnings, shown
        return
    about, why = EXPLAINED[sample]
    assert why and reading.warnings, f"{sample} reads fully now: take it off EXPLAINED"
    assert all(any(a in w.problem for a in about) for w in reading.warnings), shown


def _sample_id(path: Path) -> str:
    return str(path.relative_to(CORPUS))


# -- ntc-templates: field by field ---------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = next((v for v in value if clean(v)), "")
    return clean(value)


def _words(value: Any, index: int) -> str:
    words = _text(value).split()
    return words[index] if words else ""


def _neighbors(fields: dict[str, str]) -> Callable[[dict[str, Any]], dict[str, str]]:
    return lambda row: {ours: _text(row.get(theirs)) for theirs, ours in fields.items()}


# reader -> (ntc-templates rows -> the records we must give, as dicts of our fields)
LLDP_FIELDS = {
    "local_interface": "local_interface",
    "neighbor_name": "neighbor_name",
    "chassis_id": "chassis_id",
    "neighbor_port_id": "neighbor_port_id",
    "neighbor_interface": "neighbor_port_description",
    "capabilities": "capabilities",
    "mgmt_address": "mgmt_address",
    "neighbor_description": "system_description",
}
EXPECT: dict[str, Callable[[list[dict[str, Any]]], list[dict[str, str]]]] = {
    "huawei_vrp.lldp": lambda rows: [
        {
            **_neighbors(LLDP_FIELDS)(r),
            "chassis_id_type": _text(r.get("chassis_type")),
            "port_id_type": _text(r.get("port_id_type") or r.get("port_id_subtype")),
            "capabilities_supported": _text(r.get("system_capabilities_supported")),
        }
        for r in rows
    ],
    "hp_comware.lldp": lambda rows: [
        _neighbors(
            {
                "local_interface": "local_interface",
                "chassis_id": "chassis_id",
                "neighbor_interface": "neighbor_port_id",
                "neighbor_interface_description": "neighbor_port_description",
                "neighbor_name": "neighbor_name",
                "mgmt_address": "mgmt_address",
            }
        )(r)
        for r in rows
    ],
    "cisco_ios.lldp": lambda rows: [_neighbors(LLDP_FIELDS)(r) for r in rows],
    "cisco_ios.lldp_brief": lambda rows: [
        _neighbors(
            {
                "local_interface": "local_interface",
                "neighbor_name": "neighbor_name",
                "capabilities": "capabilities",
                "neighbor_interface": "neighbor_port_id",
            }
        )(r)
        for r in rows
    ],
    "cisco_ios.cdp": lambda rows: [
        _neighbors(
            {
                "local_interface": "local_interface",
                "neighbor_name": "neighbor_name",
                "neighbor_interface": "neighbor_port_id",
                "mgmt_address": "mgmt_address",
                "platform": "platform",
                "capabilities": "capabilities",
                "neighbor_description": "system_description",
            }
        )(r)
        for r in rows
    ],
    "huawei_vrp.lag": lambda rows: [
        {
            "name": lag,
            "members": list(dict.fromkeys(r["interface"] for r in rows if r["eth_trunk"] == lag)),
        }
        for lag in dict.fromkeys(r["eth_trunk"] for r in rows)
    ],
    "hp_comware.lag": lambda rows: [
        {"name": r["interface"], "members": [m.removesuffix("(R)") for m in r["local_interfaces"]]}
        for r in rows
    ],
    "huawei_vrp.version": lambda rows: [
        {
            "model": _words(rows[0].get("model"), 0),
            "version": _words(rows[0].get("product_version"), -1),
        }
    ],
    "hp_comware.serial": lambda rows: [
        {
            "serial": next(
                s
                for r in rows
                if (s := _text(r.get("device_serial_number"))) and s.upper() != "NONE"
            )
        }
    ],
    "cisco_asa.version": lambda rows: [
        {
            "model": _text(rows[0].get("hardware")).split(",")[0] or _text(rows[0].get("model")),
            "version": _text(rows[0].get("version")),
            "serial": _text(rows[0].get("serial")),
        }
    ],
    "fortinet.version": lambda rows: [
        {
            "model": _words(rows[0].get("version"), 0),
            "version": _words(rows[0].get("version"), 1),
            "serial": _text(rows[0].get("serial_number")),
        }
    ],
}


# compared with ntc-templates in a test of their own (below)
SEPARATELY = {"cisco_ios.version"}


def _ours(record: Any, keys: list[str]) -> dict[str, Any]:
    data = (
        record.as_dict()
        if hasattr(record, "as_dict") and not hasattr(record, "members")
        else vars(record)
    )
    out = {k: data.get(k, "") for k in keys}
    if "members" in out:
        out["members"] = list(out["members"])
    return out


@pytest.mark.parametrize(
    ("platform", "purpose", "reader", "raw"),
    [pytest.param(*case, id=_sample_id(case[3])) for case in ntc_samples()],
)
def test_ntc_templates_sample(platform: str, purpose: str, reader: str, raw: Path) -> None:
    reading = get_reader(reader)(raw.read_text(encoding="utf-8"))
    _check_warnings(_sample_id(raw), reading)
    if reader in SEPARATELY:
        return
    expect = EXPECT.get(reader)
    if expect is None and purpose.startswith(INSPECT):
        # the health readers' facts are compared with ntc-templates' rows in
        # tests/unit/inspect/test_readers_corpus.py; here: every sample of the command reads
        assert reading.records or _sample_id(raw) in EXPLAINED, "nothing read"
        return
    if expect is None:
        assert purpose in CONFIG_PURPOSES, f"no field comparison for {reader}"
        return
    rows = yaml.safe_load(raw.with_suffix(".yml").read_text(encoding="utf-8"))["parsed_sample"]
    want = expect(rows)
    keys = sorted({k for record in want for k in record})
    got = [_ours(r, keys) for r in reading.records]
    assert got == want


def test_cisco_ios_version_samples_agree_with_ntc_templates() -> None:
    """`show version`: the release as ntc-templates reads it; model and serial among the
    hardware and serial numbers it lists (we prefer the `Model number` and `System serial
    number` lines, ntc-templates lists every one)."""
    samples = sorted((CORPUS / "ntc-templates" / "cisco_ios" / "show_version").glob("*.raw"))
    assert samples
    for raw in samples:
        row = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"][0]
        (facts,) = get_reader("cisco_ios.version")(raw.read_text()).records
        assert facts.version == row["version"], raw.name
        assert facts.model in row["hardware"], raw.name
        assert facts.serial in (row["serial"] or [""]), raw.name


# -- sessions and configurations -----------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "sample", "reader", "text"),
    [pytest.param(*case, id=case[1]) for case in session_samples()],
)
def test_oxidized_session(platform: str, sample: str, reader: str, text: str) -> None:
    reading = get_reader(reader)(text)
    _check_warnings(f"oxidized-simulations/{sample}", reading)
    if reader.endswith(".version") and f"oxidized-simulations/{sample}" not in EXPLAINED:
        assert reading.records and reading.records[0].version


@pytest.mark.parametrize(
    ("platform", "sample", "reader", "text"),
    [pytest.param(*case, id=case[1]) for case in batfish_samples()],
)
def test_batfish_configuration(platform: str, sample: str, reader: str, text: str) -> None:
    reading = get_reader(reader)(text)
    _check_warnings(sample, reading)


def test_the_suite_finds_the_samples() -> None:
    """The folder conventions still match the corpus: each kind of sample is found."""
    readers = {reader for _, _, reader, _ in ntc_samples()}
    assert {"huawei_vrp.lldp", "hp_comware.lldp", "cisco_ios.lldp", "cisco_ios.cdp"} <= readers
    assert {"huawei_vrp.lag", "hp_comware.lag", "cisco_asa.firewall_policy"} <= readers
    assert len(list(session_samples())) >= 8
    assert len(list(batfish_samples())) >= 40
    assert all(k.split("::")[0] for k in EXPLAINED)
