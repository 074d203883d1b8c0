"""The port policy (`policy/ports.yaml`): a strict model, validated on load.

A mistake in the file fails at load time with one line naming the file, the
line and the field (`PolicyError`, exit code 2), never on device 612.

    policy = load_policy("policy/ports.yaml")
    rules = policy.for_host(role="access", network="base", host="YM-BASE-ACC-001", model="S5735")
    rules.loop_protection  # True
"""

from __future__ import annotations

import hashlib
import re
import string
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from netsteward.tasks.core.errors import PolicyError
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.yamlfile import mapping, parse_yaml, read_text, validate

DEFAULT_POLICY = Path("policy/ports.yaml")


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc})") from None
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _one_line(value: str) -> str:
    """A line the policy pushes: one line of printable characters (no line break, no
    control character: `stp edged-port\nreturn\nreboot` is three lines, refused here)."""
    if not value.isprintable():
        bad = next(c for c in value if not c.isprintable())
        raise ValueError(f"not one line of printable characters (U+{ord(bad):04X})")
    if value != value.strip():
        raise ValueError("leading or trailing white space")
    return value


class VendorLine(_Strict):
    """A line the policy requires, and the command that takes it away again (rollback)."""

    line: str = Field(min_length=1)
    undo: str = Field(min_length=1)

    @field_validator("line", "undo")
    @classmethod
    def _line(cls, v: str) -> str:
        return _one_line(v)


class ForbiddenLine(_Strict):
    """A line an uplink must not carry: a regex on the stripped line and its removal command."""

    match: str
    undo: str = Field(min_length=1)

    @field_validator("match")
    @classmethod
    def _regex(cls, v: str) -> str:
        return _check_regex(v)

    @field_validator("undo")
    @classmethod
    def _line(cls, v: str) -> str:
        return _one_line(v)


class PlatformSyntax(_Strict):
    negate: str
    interface_exit: str
    description_max_length: int = Field(ge=8, le=1024)
    description_forbidden: str = r"[?\"\s]"
    # what replaces a forbidden or unprintable character of a neighbour's name: printable ASCII
    description_replace: str = Field("_", pattern=r"^[!-~]{0,4}$")
    lag_member: str
    lag_name: str
    skip_interfaces: list[str] = []
    skip_if_line: list[str] = []
    edge_lines: list[VendorLine]
    global_lines: list[VendorLine]
    uplink_forbidden: list[ForbiddenLine]

    @field_validator("description_forbidden", "lag_member")
    @classmethod
    def _regex(cls, v: str) -> str:
        return _check_regex(v)

    @field_validator("skip_interfaces", "skip_if_line")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        return [_check_regex(x) for x in v]

    @field_validator("lag_member")
    @classmethod
    def _has_id(cls, v: str) -> str:
        if "(?P<id>" not in v:
            raise ValueError("needs a named group (?P<id>...) for the LAG number")
        return v

    @field_validator("lag_name")
    @classmethod
    def _lag_name(cls, v: str) -> str:
        if "{id}" not in v:
            raise ValueError("needs the placeholder {id}")
        return v


TEMPLATE_FIELDS = ("peer", "peer_port", "peer_lag", "peers")


def check_template(text: str) -> str:
    """A description template: text and the documented fields only, each as a bare
    `{name}`. Attribute access (`{peer.__class__}`), indexing (`{peer[0]}`), conversions,
    format specs and unknown names are refused: a template is data, never a way to reach
    into objects."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(f"not a valid template ({exc})") from None
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in TEMPLATE_FIELDS or spec or conversion:
            shown = (
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            raise ValueError(
                f"placeholder {shown} is not allowed; only "
                + ", ".join("{" + f + "}" for f in TEMPLATE_FIELDS)
            )
    return text


class Descriptions(_Strict):
    port: str = "TO-{peer}-{peer_port}"
    lag: str = "TO-{peer}-{peer_lag}"
    lag_multi_peer: str = "TO-{peers}"
    peer_join: str = "+"
    held_if_description: str = "^TO-"
    # keep an uplink's existing description when it names the LLDP neighbour and its port,
    # whatever the words or language (上联至YM-BASE-AGG-01 XGE1/0/3): the team's own wording
    keep_if_names_neighbour: bool = False

    @field_validator("port", "lag", "lag_multi_peer")
    @classmethod
    def _template(cls, v: str) -> str:
        return check_template(v)

    @field_validator("held_if_description")
    @classmethod
    def _held(cls, v: str) -> str:
        return _check_regex(v)


class Rules(_Strict):
    """What is enforced on one device (after layering defaults < role < network < host)."""

    descriptions: bool = True
    loop_protection: bool = False
    skip_interfaces: list[str] = []
    # descriptions of ports without a neighbour (full interface name -> text), e.g. a host's
    # console-server or printer port; ports with a neighbour always follow the template
    port_descriptions: dict[str, str] = {}

    @field_validator("skip_interfaces")
    @classmethod
    def _regexes(cls, v: list[str]) -> list[str]:
        return [_check_regex(x) for x in v]


class RulesOverride(_Strict):
    """One layer of exceptions: only the fields given override the layer below."""

    descriptions: bool | None = None
    loop_protection: bool | None = None
    skip_interfaces: list[str] | None = None
    port_descriptions: dict[str, str] | None = None

    @field_validator("skip_interfaces")
    @classmethod
    def _regexes(cls, v: list[str] | None) -> list[str] | None:
        return None if v is None else [_check_regex(x) for x in v]


KNOWN_ROLES = ("router", "core", "aggregation", "access", "firewall", "ips", "fc_switch")


def _check_role(role: str) -> str:
    if role not in KNOWN_ROLES:
        raise ValueError(f"unknown role {role!r}; roles are {', '.join(KNOWN_ROLES)}")
    return role


class Scope(_Strict):
    roles: list[str] = ["router", "core", "aggregation", "access"]

    @field_validator("roles")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        return [_check_role(r) for r in v]


_RANGE = re.compile(r"^(?P<prefix>.*?)(?P<first>\d+)-(?P<last>\d+)$")


class PortPolicy(_Strict):
    version: int = Field(ge=1, le=1)
    scope: Scope = Scope()
    descriptions: Descriptions = Descriptions()
    defaults: Rules = Rules()
    roles: dict[str, RulesOverride] = {}
    networks: dict[str, RulesOverride] = {}
    hosts: dict[str, RulesOverride] = {}
    user_port_ranges: dict[str, list[str]] = {}
    platforms: dict[str, PlatformSyntax]

    @field_validator("user_port_ranges")
    @classmethod
    def _ranges(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for ranges in v.values():
            for r in ranges:
                m = _RANGE.match(r)
                if not m and not re.match(r"^\S+$", r):
                    raise ValueError(f"{r!r} is not a port or '<prefix><first>-<last>' range")
                if m and int(m["first"]) > int(m["last"]):
                    raise ValueError(f"{r!r}: first port after last")
        return v

    @field_validator("roles")
    @classmethod
    def _role_keys(cls, v: dict[str, RulesOverride]) -> dict[str, RulesOverride]:
        for role in v:
            _check_role(role)
        return v

    @cached_property
    def digest(self) -> str:
        """A short hash of the policy content, recorded in plans."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]

    def in_scope(self, role: str | None, platform: str | None) -> bool:
        return role in self.scope.roles and platform in self.platforms

    def for_host(self, *, role: str, network: str, host: str) -> Rules:
        merged: dict[str, Any] = self.defaults.model_dump()
        for layer in (self.roles.get(role), self.networks.get(network), self.hosts.get(host)):
            if layer is not None:
                merged.update(layer.model_dump(exclude_none=True))
        return Rules(**merged)

    def user_ports(self, model: str | None) -> list[str] | None:
        """The user-facing port ranges of a model, or None when the model is not listed."""
        if model is None:
            return None
        return self.user_port_ranges.get(model)


def in_ranges(name: str, ranges: list[str]) -> bool:
    """True when interface `name` falls into one of the ranges ("GigabitEthernet0/0/1-48")."""
    for r in ranges:
        m = _RANGE.match(r)
        if m is None:
            if name == r:
                return True
            continue
        prefix, rest = m["prefix"], name[len(m["prefix"]) :]
        if (
            name.startswith(prefix)
            and rest.isdigit()
            and int(m["first"]) <= int(rest) <= int(m["last"])
        ):
            return True
    return False


# -- loading -------------------------------------------------------------------


def parse_policy(text: str, file: str = "<policy>") -> PortPolicy:
    """Validate policy text; raise PolicyError naming file, line and field of the first problem."""
    doc = parse_yaml(text, file, error=PolicyError, required=True)
    mapping(doc, _("the port policy"), error=PolicyError)
    return validate(doc, PortPolicy, error=PolicyError)


def load_policy(path: str | Path = DEFAULT_POLICY) -> PortPolicy:
    return parse_policy(read_text(path, error=PolicyError), str(path))


def check_policy_hosts(policy: PortPolicy, path: str | Path, inventory: set[str]) -> None:
    """A host exception for a device the inventory does not have is a typo that would
    silently not apply (a lab rack's switch keeping the policy after all): bad input."""
    unknown = sorted(set(policy.hosts) - inventory)
    if unknown:
        raise PolicyError(
            _("not in the inventory: {hosts}").format(hosts=", ".join(unknown)),
            file=str(path),
            field=f"hosts.{unknown[0]}",
        )
