"""Data model shared by the lab's fleet generator and its SSH engine.

The generator (`netsteward.lab.fleet.build`) builds a `Fleet` deterministically from a seed; the
engine (`netsteward.lab.engine.server`) serves one device per `DeviceSpec` and derives everything
dynamic (LLDP tables, interface state, prompts) from the specs, the cabling and
the per-device running configuration it keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Cable:
    """One physical cable. Ports are full interface names as the device prints them."""

    a: str
    a_port: str
    b: str
    b_port: str

    def key(self) -> tuple[tuple[str, str], tuple[str, str]]:
        ends = sorted([(self.a, self.a_port), (self.b, self.b_port)])
        return (ends[0], ends[1])

    def other_end(self, host: str, port: str) -> tuple[str, str] | None:
        if (self.a, self.a_port) == (host, port):
            return (self.b, self.b_port)
        if (self.b, self.b_port) == (host, port):
            return (self.a, self.a_port)
        return None


@dataclass
class PortSpec:
    """A physical (or logical) port of a device."""

    name: str  # full name, e.g. GigabitEthernet0/0/1, Ten-GigabitEthernet1/0/49, port1, 0 (FC)
    kind: str = "ethernet"  # ethernet | lag | vlanif | loopback | mgmt | fc
    speed: str = "1G"  # 1G 10G 25G 40G 100G 16G 32G
    lldp: bool = True  # LLDP enabled on this port


@dataclass
class DeviceSpec:
    name: str  # host name == sysname == inventory name
    platform: str  # huawei_vrp | hp_comware | cisco_ios | hillstone_stoneos | fortinet | cisco_asa | brocade_fos
    role: str  # router | core | aggregation | access | firewall | ips | fc_switch
    network: str  # base | egov_intranet | egov_extranet | device_net | san
    model: str  # e.g. S5735-L48T4X-A1
    vendor: str  # huawei | h3c | cisco | hillstone | fortinet | brocade
    serial: str
    version: str  # software version string as the device prints it
    mac: str  # base MAC (chassis id for LLDP), e.g. "00e0-fc12-3456" style is rendered by dialects
    index: int  # 1-based position in the fleet: port = base_port + index - 1
    location: str = ""
    uplink_pair: str = ""  # access switches: name of their aggregation pair group
    mgmt_ip: str = ""  # documentation address shown in configs (never contacted)
    ports: list[PortSpec] = field(default_factory=list)
    lags: dict[str, list[str]] = field(default_factory=dict)  # LAG name -> member port names
    config: str = ""  # initial running configuration, vendor syntax, as displayed
    change_password_prompt: bool = False  # Huawei "change the password now?" question at login
    # platform-specific data (FC zoning, SFPs...)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Fleet:
    seed: int
    devices: list[DeviceSpec]
    cables: list[Cable]
    # links LLDP cannot see (firewalls, FC)
    declared_links: list[Cable] = field(default_factory=list)
    # secrets, port_deviations, firewall_problems
    truth: dict[str, Any] = field(default_factory=dict)
    buildings: int = 1  # copies of the building (netsteward.lab.fleet.build)

    def by_name(self) -> dict[str, DeviceSpec]:
        return {d.name: d for d in self.devices}


def endpoint_spec(entry: dict[str, Any]) -> DeviceSpec:
    """An LLDP neighbour that is not a lab device (`extra["endpoints"]` of an access switch:
    a phone, an access point, a desk switch), as the dialects render a neighbour."""
    return DeviceSpec(
        name=entry["name"],
        platform="endpoint",
        role="endpoint",
        network="",
        model=entry["model"],
        vendor=entry["vendor"],
        serial="",
        version=entry["version"],
        mac=entry["mac"],
        index=0,
        extra={"lldp_capabilities": list(entry["capabilities"])},
    )
