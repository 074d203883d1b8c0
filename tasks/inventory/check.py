"""Validate the Nornir SimpleInventory files before any device is touched.

`check_inventory(paths)` returns one `Problem` per finding, each naming the file,
the line and the field: unknown platform, unknown or missing group, duplicate
name, duplicate address and port, missing required field, credentials written into
an inventory file, bad port. The YAML is read by the one loader
(`netsteward.tasks.core.yamlfile`) as a node tree, which keeps line numbers and sees
duplicate keys that a plain load would silently merge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.yamlfile import duplicate_key, load_yaml
from netsteward.tasks.platforms import platform_names

ROLES = ("router", "core", "aggregation", "access", "firewall", "ips", "fc_switch")
NETWORKS = ("base", "egov_intranet", "egov_extranet", "device_net", "san")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")  # names become file names in the backup
HOST_KEYS = {
    "hostname",
    "port",
    "username",
    "password",
    "platform",
    "groups",
    "data",
    "connection_options",
}
CREDENTIAL_KEYS = {"password", "secret", "username"}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}"


_DNS_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def address_problem(address: str) -> str | None:
    """Why `address` cannot be a device's management address (None: it can): an IP
    address, or a DNS name; dotted numbers that are no IPv4 address (`999.1.1.1`) are not
    a name either."""
    import ipaddress

    text = address.strip()
    if re.fullmatch(r"[\d.]+", text) or ":" in text:
        try:
            ipaddress.ip_address(text)
        except ValueError:
            return _("not an IP address: {value!r}").format(value=address)
        return None
    labels = text.rstrip(".").split(".")
    if len(text) > 253 or not all(_DNS_LABEL.match(label) for label in labels):
        return _("neither an IP address nor a DNS name: {value!r}").format(value=address)
    return None


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _items(node: MappingNode) -> list[tuple[ScalarNode, Node]]:
    return [(k, v) for k, v in node.value if isinstance(k, ScalarNode)]


def _get(node: Node | None, key: str) -> tuple[ScalarNode, Node] | None:
    if not isinstance(node, MappingNode):
        return None
    for k, v in _items(node):
        if k.value == key:
            return k, v
    return None


def _scalar(node: Node | None) -> str | None:
    return (
        str(node.value)
        if isinstance(node, ScalarNode) and node.value not in ("", "~", "null")
        else None
    )


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: Path | str, line: int | None, field: str, message: str) -> None:
        self.problems.append(Problem(str(file), line, field, message))

    def load(self, path: Path | None, what: str, required: bool = False) -> MappingNode | None:
        if path is None:
            return None
        try:
            node = load_yaml(path, required=required, duplicates=True).node
        except BadInput as exc:
            self.add(path, exc.line, what, exc.message)
            return None
        if node is None:
            return MappingNode(tag="tag:yaml.org,2002:map", value=[])
        if not isinstance(node, MappingNode):
            self.add(path, _line(node), what, _("must be a mapping of names to entries"))
            return None
        seen: dict[str, int] = {}
        for k, value in _items(node):
            twice = duplicate_key(value)  # inside one entry: a key given twice
            if twice is not None:
                key, first, second = twice
                self.add(
                    path,
                    second,
                    f"{k.value}.{key}",
                    _("key {key!r} given twice (first on line {first})").format(
                        key=key, first=first
                    ),
                )
            if k.value in seen:
                self.add(
                    path,
                    _line(k),
                    k.value,
                    _("duplicate name (first defined on line {line})").format(line=seen[k.value]),
                )
            else:
                seen[k.value] = _line(k)
        return node

    def credentials(self, path: Path, node: Node, where: str) -> None:
        """No credentials in inventory files: they come from the environment only."""
        if isinstance(node, MappingNode):
            for k, v in _items(node):
                here = f"{where}.{k.value}" if where else str(k.value)
                if k.value in CREDENTIAL_KEYS and _scalar(v) is not None:
                    self.add(
                        path,
                        _line(k),
                        here,
                        _(
                            "credentials do not belong in the inventory; set NETSTEWARD_USERNAME / NETSTEWARD_PASSWORD (or per group) in the environment"
                        ),
                    )
                else:
                    self.credentials(path, v, here)
        elif isinstance(node, SequenceNode):
            for item in node.value:
                self.credentials(path, item, where)


def _group_names(node: Node | None) -> tuple[list[tuple[str, int]], bool]:
    """(names with lines, well_formed) of a `groups:` value."""
    if node is None:
        return [], True
    if not isinstance(node, SequenceNode):
        return [], False
    out: list[tuple[str, int]] = []
    for item in node.value:
        if not isinstance(item, ScalarNode):
            return out, False
        out.append((str(item.value), _line(item)))
    return out, True


def check_inventory(paths: dict[str, Path]) -> list[Problem]:
    """Problems of the inventory named by `paths` (keys `host`, `group`, `defaults`)."""
    r = _Reader()
    host_path, group_path, defaults_path = (
        paths.get("host"),
        paths.get("group"),
        paths.get("defaults"),
    )
    if host_path is None:
        r.add("nornir_config.yaml", None, "inventory.options.host_file", _("missing"))
        return r.problems
    hosts = r.load(host_path, "hosts", required=True)
    groups = (
        r.load(group_path, "groups")
        if group_path
        else MappingNode(tag="tag:yaml.org,2002:map", value=[])
    )
    defaults = r.load(defaults_path, "defaults") if defaults_path else None

    known_platforms = platform_names()
    group_platform: dict[str, str | None] = {}
    if groups is not None and group_path is not None:
        r.credentials(group_path, groups, "")
        known = {k.value for k, _ in _items(groups)}
        for k, v in _items(groups):
            if v is not None and not isinstance(v, (MappingNode, ScalarNode)):
                r.add(group_path, _line(k), k.value, _("must be a mapping"))
                continue
            plat_item = _get(v, "platform")
            plat = _scalar(plat_item[1]) if plat_item else None
            if plat_item is not None and plat is not None and plat not in known_platforms:
                r.add(
                    group_path,
                    _line(plat_item[0]),
                    f"{k.value}.platform",
                    _("unknown platform {platform!r} (known: {known})").format(
                        platform=plat, known=", ".join(known_platforms)
                    ),
                )
            group_platform[k.value] = plat
            parents = _get(v, "groups")
            names, ok = _group_names(parents[1] if parents else None)
            if not ok:
                r.add(
                    group_path,
                    _line(parents[0]) if parents else _line(k),
                    f"{k.value}.groups",
                    _("must be a list of group names"),
                )
            for name, line in names:
                if name not in known:
                    r.add(
                        group_path,
                        line,
                        f"{k.value}.groups",
                        _("unknown group {group!r}").format(group=name),
                    )
    if defaults is not None and defaults_path is not None:
        r.credentials(defaults_path, defaults, "")
    if hosts is None:
        return r.problems

    default_platform = None
    if defaults is not None and _get(defaults, "platform"):
        default_platform = _scalar(_get(defaults, "platform")[1])  # type: ignore[index]
    r.credentials(host_path, hosts, "")
    if not _items(hosts):
        r.add(host_path, _line(hosts), "hosts", _("no hosts: an inventory needs at least one"))
    addresses: dict[tuple[str, int], tuple[str, int]] = {}
    for key, entry in _items(hosts):
        name = str(key.value)
        line = _line(key)
        if not _SAFE_NAME.match(name):
            r.add(
                host_path,
                line,
                name,
                _("not a usable device name (letters, digits, '.', '_', '-')"),
            )
        if not isinstance(entry, MappingNode):
            r.add(
                host_path,
                line,
                name,
                _("must be a mapping with hostname, platform, groups and data"),
            )
            continue
        for k, _node in _items(entry):
            if k.value not in HOST_KEYS:
                r.add(
                    host_path,
                    _line(k),
                    f"{name}.{k.value}",
                    _("unknown field (known: {known})").format(known=", ".join(sorted(HOST_KEYS))),
                )
        hostname = _get(entry, "hostname")
        address = _scalar(hostname[1]) if hostname else None
        if address is None:
            r.add(
                host_path,
                _line(hostname[0]) if hostname else line,
                f"{name}.hostname",
                _("missing required field"),
            )
        elif hostname and (why := address_problem(address)):
            r.add(host_path, _line(hostname[0]), f"{name}.hostname", why)
        port_item = _get(entry, "port")
        port = 22
        if port_item:
            try:
                port = int(str(port_item[1].value))
                if not 1 <= port <= 65535:
                    raise ValueError
            except (ValueError, TypeError):
                r.add(
                    host_path,
                    _line(port_item[0]),
                    f"{name}.port",
                    _("not a TCP port: {value!r}").format(value=port_item[1].value),
                )
                port = -1
        if address is not None and port > 0:
            where = (address, port)
            if where in addresses:
                other, other_line = addresses[where]
                r.add(
                    host_path,
                    line,
                    f"{name}.hostname",
                    _("same address and port {address}:{port} as {other} (line {line})").format(
                        address=address, port=port, other=other, line=other_line
                    ),
                )
            else:
                addresses[where] = (name, line)

        group_item = _get(entry, "groups")
        names, ok = _group_names(group_item[1] if group_item else None)
        if not group_item or (ok and not names):
            r.add(
                host_path,
                _line(group_item[0]) if group_item else line,
                f"{name}.groups",
                _("missing required field (platform, role and network groups)"),
            )
        elif not ok:
            r.add(
                host_path,
                _line(group_item[0]),
                f"{name}.groups",
                _("must be a list of group names"),
            )
        for gname, gline in names:
            if gname not in group_platform:
                r.add(
                    host_path,
                    gline,
                    f"{name}.groups",
                    _("unknown group {group!r}").format(group=gname),
                )

        plat_item = _get(entry, "platform")
        platform = _scalar(plat_item[1]) if plat_item else None
        if platform is None:
            platform = (
                next((group_platform.get(g) for g, _ in names if group_platform.get(g)), None)
                or default_platform
            )
        if platform is None:
            r.add(host_path, line, f"{name}.platform", _("missing required field"))
        elif platform not in known_platforms:
            r.add(
                host_path,
                _line(plat_item[0]) if plat_item else line,
                f"{name}.platform",
                _("unknown platform {platform!r} (known: {known})").format(
                    platform=platform, known=", ".join(known_platforms)
                ),
            )
        elif names and platform in group_platform and all(g != platform for g, _ in names):
            r.add(
                host_path,
                _line(group_item[0]) if group_item else line,
                f"{name}.groups",
                _("missing group {group!r} (the host's platform)").format(group=platform),
            )

        data_item = _get(entry, "data")
        data = data_item[1] if data_item else None
        group_set = {g for g, _ in names}
        for field_name, allowed in (("role", ROLES), ("network", NETWORKS)):
            item = _get(data, field_name)
            value = _scalar(item[1]) if item else None
            if value is None:
                r.add(
                    host_path,
                    _line(data_item[0]) if data_item else line,
                    f"{name}.data.{field_name}",
                    _("missing required field"),
                )
            elif value not in allowed:
                r.add(
                    host_path,
                    _line(item[0]) if item else line,
                    f"{name}.data.{field_name}",
                    (
                        _("unknown role {value!r} (known: {known})")
                        if field_name == "role"
                        else _("unknown network {value!r} (known: {known})")
                    ).format(value=value, known=", ".join(allowed)),
                )
            elif names and value not in group_set:
                r.add(
                    host_path,
                    _line(group_item[0]) if group_item else line,
                    f"{name}.groups",
                    (
                        _("missing group {group!r} (the host's role)")
                        if field_name == "role"
                        else _("missing group {group!r} (the host's network)")
                    ).format(group=value),
                )
    return r.problems
