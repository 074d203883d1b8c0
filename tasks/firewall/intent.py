"""The firewall intent file (policy/firewall_intent.yaml): declared servers and allowed flows.

```yaml
source_groups:            # optional names for source address lists
  OPS-NET: [10.10.0.0/24]
servers:
  - name: WEB-PORTAL
    addresses: [10.20.1.10/32, 10.20.1.11]
    services:
      - {protocol: tcp, ports: "443", sources: [any]}          # any: a public service
      - {protocol: tcp, ports: "22", sources: [OPS-NET]}
      - {protocol: udp, ports: "8000-8010,9000", sources: [10.30.0.0/16]}
```
Loaded strictly (unknown keys, bad addresses or ports fail); errors name the
file, line and field and raise `PolicyError` (exit 2).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from netsteward.tasks.core.errors import PolicyError
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.yamlfile import parse_yaml, read_text
from netsteward.tasks.firewall.model import Service
from netsteward.tasks.firewall.sets import (
    ALL_ADDR,
    EMPTY,
    IntervalSet,
    addr_set,
)

DEFAULT_INTENT = Path("policy/firewall_intent.yaml")


def _check_net(value: str) -> str:
    try:
        net = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(
            _("not an IPv4 address or network: {value!r}").format(value=value)
        ) from None
    if str(net) != value and net.with_prefixlen != value and "/" in value:
        # 10.20.1.10/24: host bits set, so which was meant, the host or the network?
        raise ValueError(
            _("host bits set in {value!r}: write {network} or {host}/32").format(
                value=value, network=net.with_prefixlen, host=value.split("/", 1)[0]
            )
        )
    return value


def _parse_ports(text: str) -> IntervalSet:
    spans = []
    for part in str(text).replace(" ", "").split(","):
        if not part:
            continue
        lo, _sep, hi = part.partition("-")
        if not lo.isdigit() or (hi and not hi.isdigit()):
            raise ValueError(
                _("ports must look like '443' or '8000-8010,9000', not {value!r}").format(
                    value=text
                )
            )
        a, b = int(lo), int(hi or lo)
        if not 0 <= a <= b <= 65535:
            raise ValueError(
                _("port range out of order or above 65535: {value!r}").format(value=part)
            )
        spans.append((a, b))
    if not spans:
        raise ValueError(_("no ports given"))
    return IntervalSet(spans)


class ServiceIntent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    protocol: Literal["tcp", "udp", "icmp"]
    ports: str | int | None = None
    sources: list[str] = Field(min_length=1)

    @field_validator("ports")
    @classmethod
    def _ports(cls, value: str | int | None) -> str | None:
        if value is None:
            return None
        _parse_ports(str(value))
        return str(value)

    @model_validator(mode="after")
    def _need_ports(self) -> ServiceIntent:
        if self.protocol in ("tcp", "udp") and self.ports is None:
            raise ValueError(_("tcp and udp services need ports"))
        return self

    def service(self) -> Service:
        if self.protocol == "icmp":
            return Service.of("icmp")
        ports = _parse_ports(str(self.ports))
        return Service(Service.of(self.protocol).protocols, ports)


class ServerIntent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: str = Field(min_length=1)
    description: str = ""
    addresses: list[str] = Field(min_length=1)
    services: list[ServiceIntent] = Field(min_length=1)

    @field_validator("addresses")
    @classmethod
    def _addrs(cls, values: list[str]) -> list[str]:
        return [_check_net(v) for v in values]


class IntentFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    version: Literal[1] = 1
    source_groups: dict[str, list[str]] = Field(default_factory=dict)
    servers: list[ServerIntent] = Field(default_factory=list)

    @field_validator("source_groups")
    @classmethod
    def _groups(cls, groups: dict[str, list[str]]) -> dict[str, list[str]]:
        for members in groups.values():
            for m in members:
                _check_net(m)
        return groups

    @model_validator(mode="after")
    def _names(self) -> IntentFile:
        seen: set[str] = set()
        for i, server in enumerate(self.servers):
            if server.name in seen:
                raise ValueError(
                    f"servers.{i}.name: "
                    + _("duplicate server name {name!r}").format(name=server.name)
                )
            seen.add(server.name)
            for j, svc in enumerate(server.services):
                for k, src in enumerate(svc.sources):
                    if src != "any" and src not in self.source_groups:
                        try:
                            _check_net(src)
                        except ValueError:
                            raise ValueError(
                                f"servers.{i}.services.{j}.sources.{k}: "
                                + _(
                                    "{value!r} is neither 'any', an address nor a source group"
                                ).format(value=src)
                            ) from None
        return self


@dataclass(frozen=True)
class Allowed:
    """One allowed flow to a server: sources x protocol/ports."""

    sources: IntervalSet
    service: Service
    public: bool


@dataclass(frozen=True)
class Server:
    name: str
    addresses: IntervalSet
    allowed: tuple[Allowed, ...]

    @property
    def public(self) -> bool:
        return any(a.public for a in self.allowed)


@dataclass(frozen=True)
class Intent:
    servers: tuple[Server, ...] = ()

    def public_addresses(self) -> IntervalSet:
        out = EMPTY
        for s in self.servers:
            if s.public:
                out = out.union(s.addresses)
        return out


def build_intent(model: IntentFile) -> Intent:
    servers = []
    for s in model.servers:
        allowed = []
        for svc in s.services:
            nets: list[str] = []
            public = False
            for src in svc.sources:
                if src == "any":
                    public = True
                else:
                    nets.extend(model.source_groups.get(src, [src]))
            sources = ALL_ADDR if public else addr_set(*nets)
            allowed.append(Allowed(sources, svc.service(), public))
        servers.append(Server(s.name, addr_set(*s.addresses), tuple(allowed)))
    return Intent(tuple(servers))


def parse_intent(text: str, source: str = "<intent>") -> Intent:
    doc = parse_yaml(text, source, error=PolicyError, required=True)
    if not isinstance(doc.data, dict):
        raise PolicyError(
            _("the intent file must be a mapping with 'servers'"), file=source, line=1
        )
    try:
        model = IntentFile.model_validate(doc.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if "." in msg.split(":")[0] and msg.startswith("servers."):
            path, _sep, msg = msg.partition(": ")
            loc = tuple(int(p) if p.isdigit() else p for p in path.split("."))
        field = ".".join(str(p) for p in loc) or None
        raise PolicyError(msg, file=source, line=doc.line_of(loc), field=field) from None
    return build_intent(model)


def load_intent(path: Path) -> Intent:
    """The intent file a site keeps: one that declares no server is refused (it would make
    every firewall look clean: nothing is declared, so nothing is excess exposure)."""
    intent = parse_intent(read_text(path, error=PolicyError), str(path))
    if not intent.servers:
        raise PolicyError(
            _("no servers declared: the intent needs at least one"), file=str(path), field="servers"
        )
    return intent
