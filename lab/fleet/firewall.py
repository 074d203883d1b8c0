"""Firewall running configurations for the lab, with known planted problems.

`generate_firewall(spec, rng)` returns `(config_text, problems, secrets)`:

- `config_text`: the running configuration in the vendor's own syntax
  (Huawei USG, Hillstone StoneOS, FortiOS, Cisco ASA) with interfaces, zones,
  admin users, SNMP, address and service objects and a few hundred rules;
- `problems`: `[{"host", "rule", "check"}]` with the audit's check ids (docs/audit.md) and the
  rule name or id as the audit reports it (USG rule name, StoneOS rule id,
  FortiOS policy id, ASA `ACL line N`; object name for object checks,
  `default` for the default action);
- `secrets`: `[{"host", "kind", "value"}]` every secret value as it appears.

The policy is built so that everything not planted is clean: bulk rules each
reach their own destination block (no overlaps, so nothing shadows anything),
name specific sources and services, log, and carry a comment; servers are only
reached by the flows `SERVERS` declares (the same data as
`policy/firewall_intent.yaml`), and a cleanup deny protects the server range.
"""

from __future__ import annotations

import ipaddress
import random
from dataclasses import dataclass, field

from netsteward.lab.fleet.firewall_render import RENDERERS, _ports
from netsteward.lab.model import DeviceSpec

# -- the declared servers (mirrored by policy/firewall_intent.yaml) ----------

OPS_NET = "10.10.0.0/24"
OFFICE_NET = "10.30.0.0/16"
PARTNER_NET = "198.51.100.0/24"
SERVER_RANGE = "10.20.0.0/16"

# name -> (addresses, [(protocol, lo, hi, [sources] or ["any"])])
SERVERS: dict[str, tuple[list[str], list[tuple[str, int, int, list[str]]]]] = {
    "WEB-PORTAL": (
        ["10.20.1.10/32", "10.20.1.11/32"],
        [("tcp", 443, 443, ["any"]), ("tcp", 80, 80, ["any"]), ("tcp", 22, 22, [OPS_NET])],
    ),
    "MAIL": (
        ["10.20.1.20/32"],
        [("tcp", 25, 25, ["any"]), ("tcp", 443, 443, [OFFICE_NET]), ("tcp", 22, 22, [OPS_NET])],
    ),
    "DNS": (["10.20.1.30/32"], [("udp", 53, 53, ["any"]), ("tcp", 53, 53, ["any"])]),
    "APP-CLUSTER": (
        ["10.20.2.0/28"],
        [("tcp", 8443, 8443, ["10.20.1.10/32", "10.20.1.11/32"]), ("tcp", 22, 22, [OPS_NET])],
    ),
    "ORACLE-DB": (
        ["10.20.3.10/32"],
        [("tcp", 1521, 1521, ["10.20.2.0/28"]), ("tcp", 22, 22, [OPS_NET])],
    ),
    "FILE-SERVER": (
        ["10.20.4.10/32"],
        [("tcp", 445, 445, [OFFICE_NET]), ("tcp", 22, 22, [OPS_NET])],
    ),
    "EGOV-API": (
        ["10.20.5.10/32"],
        [("tcp", 443, 443, [PARTNER_NET]), ("tcp", 8443, 8443, [PARTNER_NET, OPS_NET])],
    ),
}

PAST_START = (2024, 1, 1)
PAST_END = (2025, 6, 30)
FUTURE_END = (2031, 12, 31)

SOURCE_POOL = [
    OPS_NET,
    "10.30.1.0/24",
    "10.30.2.0/24",
    "10.30.16.0/20",
    "10.40.0.0/16",
    "10.41.8.0/24",
    "172.16.5.0/24",
    "10.50.0.0/16",
]
SERVICE_POOL: list[tuple[str, int, int]] = [
    ("tcp", 8080, 8080),
    ("tcp", 8000, 8099),
    ("tcp", 9443, 9443),
    ("tcp", 5044, 5044),
    ("udp", 514, 514),
    ("udp", 123, 123),
    ("tcp", 389, 389),
    ("tcp", 636, 636),
    ("tcp", 443, 443),
    ("tcp", 80, 80),
    ("udp", 161, 162),
    ("tcp", 9100, 9100),
    ("tcp", 5900, 5900),
    ("tcp", 7001, 7010),
]


# -- a vendor-neutral rule list ----------------------------------------------


@dataclass
class Addr:
    name: str
    nets: list[str]


@dataclass
class Svc:
    name: str
    entries: list[tuple[str, int, int]]


@dataclass
class Rule:
    name: str
    action: str  # permit | deny
    src: list[str]  # "any", "obj:NAME", "net:CIDR"
    dst: list[str]
    svc: list[str]  # "any", "obj:NAME"
    szone: str = "any"
    dzone: str = "any"
    log: bool = True
    comment: str = ""
    enabled: bool = True
    schedule: str = ""  # name of an absolute schedule / time-range
    acl: str = ""  # ASA: the access-list the rule belongs to
    checks: list[str] = field(default_factory=list)
    rule_id: str = ""  # filled by the renderer: what the audit reports


@dataclass
class Policy:
    host: str
    platform: str
    addrs: dict[str, Addr] = field(default_factory=dict)
    svcs: dict[str, Svc] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    schedules: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = field(
        default_factory=dict
    )
    default_permit: bool = False
    object_problems: list[tuple[str, str]] = field(default_factory=list)  # (object name, check)


def _cidr_block(k: int) -> ipaddress.IPv4Network:
    """The k-th /24 destination block, never overlapping the server range or sources."""
    return ipaddress.IPv4Network(f"10.{100 + k // 256}.{k % 256}.0/24")


def _svc_name(proto: str, lo: int, hi: int) -> str:
    return f"{proto.upper()}-{lo}" if lo == hi else f"{proto.upper()}-{lo}-{hi}"


class _Builder:
    def __init__(self, spec: DeviceSpec, rng: random.Random) -> None:
        self.spec = spec
        self.rng = rng
        self.p = Policy(spec.name, spec.platform)
        self.block = rng.randrange(0, 64)
        self.counter = 0
        self.zones = self._zones()

    def _zones(self) -> dict[str, str]:
        if self.spec.platform == "fortinet":
            ports = _ports(self.spec, ["port1", "port2", "port3"])
            return {"out": ports[0], "in": ports[1], "dmz": ports[2]}
        if self.spec.platform == "cisco_asa":
            return {"out": "outside", "in": "inside", "dmz": "dmz"}
        return {"out": "untrust", "in": "trust", "dmz": "dmz"}

    def acl_for(self, szone: str) -> str:
        return {"out": "OUTSIDE_IN", "in": "INSIDE_IN", "dmz": "DMZ_IN"}[szone]

    def next_block(self) -> ipaddress.IPv4Network:
        net = _cidr_block(self.block)
        self.block += 1
        return net

    def name(self, label: str) -> str:
        self.counter += 1
        return f"r{self.counter:04d}-{label}"

    def addr(self, nets: list[str], prefix: str) -> str:
        for a in self.p.addrs.values():
            if a.nets == nets:
                return "obj:" + a.name
        base = f"{prefix}-{str(ipaddress.ip_network(nets[0]).network_address).replace('.', '-')}"
        name = base
        n = 1
        while name in self.p.addrs:
            n += 1
            name = f"{base}-{n}"
        self.p.addrs[name] = Addr(name, nets)
        return "obj:" + name

    def svc(self, proto: str, lo: int, hi: int) -> str:
        name = _svc_name(proto, lo, hi)
        self.p.svcs.setdefault(name, Svc(name, [(proto, lo, hi)]))
        return "obj:" + name

    def ref_net(self, net: str, prefix: str) -> str:
        """An address either inline or through an object (ASA/USG allow inline)."""
        if self.spec.platform in ("huawei_vrp", "cisco_asa") and self.rng.random() < 0.4:
            return "net:" + net
        return self.addr([net], prefix)

    def rule(
        self,
        label: str,
        action: str,
        src: list[str],
        dst: list[str],
        svc: list[str],
        szone: str = "in",
        dzone: str = "out",
        **kw: object,
    ) -> Rule:
        z = self.zones
        r = Rule(
            name=self.name(label),
            action=action,
            src=src,
            dst=dst,
            svc=svc,
            szone=z.get(szone, szone),
            dzone=z.get(dzone, dzone),
            comment=kw.pop("comment", f"CHG-{self.rng.randrange(1000, 9999)} {label}"),  # type: ignore[arg-type]
            acl=kw.pop(
                "acl", self.acl_for(szone) if szone in ("in", "out", "dmz") else "INSIDE_IN"
            ),  # type: ignore[arg-type]
            **kw,  # type: ignore[arg-type]
        )
        self.p.rules.append(r)
        return r


def _build_policy(spec: DeviceSpec, rng: random.Random, default_permit: bool) -> Policy:
    b = _Builder(spec, rng)
    p = b.p
    p.default_permit = default_permit
    if default_permit:
        p.object_problems.append(("default", "DEFAULT_PERMIT"))

    # 1. intended server flows (a random subset of the declared ones)
    names = sorted(SERVERS)
    chosen = sorted(rng.sample(names, rng.randint(4, len(names))))
    for server in chosen:
        addrs, services = SERVERS[server]
        dst = (
            b.addr(addrs, "SRV-" + server)
            if len(addrs) > 1
            else b.ref_net(addrs[0], "SRV-" + server)
        )
        for proto, lo, hi, sources in services:
            if sources == ["any"]:
                src = ["any"]
                szone = "out"
            else:
                src = [b.addr(sources, "SRC") if len(sources) > 1 else b.ref_net(sources[0], "NET")]
                szone = "in"
            b.rule(
                f"{server.lower()}-{proto}{lo}",
                "permit",
                src,
                [dst],
                [b.svc(proto, lo, hi)],
                szone=szone,
                dzone="dmz",
            )

    # 2. planted exposure problems (before the cleanup deny)
    web = b.addr(SERVERS["WEB-PORTAL"][0], "SRV-WEB-PORTAL")
    srv = rng.choice(["MAIL", "APP-CLUSTER", "ORACLE-DB", "FILE-SERVER"])
    srv_dst = b.addr(SERVERS[srv][0], "SRV-" + srv)
    b.rule(
        "ops-wide-ssh",
        "permit",
        [b.ref_net("10.10.0.0/16", "NET")],
        [srv_dst],
        [b.svc("tcp", 22, 22)],
        szone="in",
        dzone="dmz",
        checks=["EXCESS_EXPOSURE"],
    )
    b.rule(
        "ops-extra-port",
        "permit",
        [b.ref_net(OPS_NET, "NET")],
        [srv_dst],
        [b.svc("tcp", 8081, 8081)],
        szone="in",
        dzone="dmz",
        checks=["EXCESS_EXPOSURE"],
    )
    b.rule(
        "web-rdp",
        "permit",
        ["any"],
        [web],
        [b.svc("tcp", 3389, 3389)],
        szone="out",
        dzone="dmz",
        checks=["RISKY_SERVICE", "EXCESS_EXPOSURE"],
    )

    # 3. cleanup: nothing else reaches the server range
    b.rule(
        "server-cleanup",
        "deny",
        ["any"],
        [b.addr([SERVER_RANGE], "SERVER-RANGE")],
        ["any"],
        szone="any",
        dzone="any",
        log=False,
        acl="*",
    )

    # 4. bulk rules, each to its own destination block, with plants interleaved
    plants = [
        "any_source",
        "any_service",
        "wide_range",
        "no_logging",
        "no_comment",
        "disabled",
        "expired",
        "shadow",
        "redundant",
        "undefined",
    ]
    bulk = rng.randint(180, 300)
    slots = sorted(rng.sample(range(bulk), len(plants)))
    plant_at = dict(zip(slots, rng.sample(plants, len(plants)), strict=True))
    for i in range(bulk):
        _bulk_rule(b, rng)
        if rng.random() < 0.06:  # a few clean rules with a future expiry
            p.schedules["UNTIL-2031"] = (PAST_START, FUTURE_END)
            p.rules[-1].schedule = "UNTIL-2031"
        if i in plant_at:
            _plant(b, rng, plant_at[i])

    # 5. unused objects
    unused_addr = f"OLD-HOST-{rng.randrange(10, 250)}"
    p.addrs[unused_addr] = Addr(
        unused_addr, [f"10.99.{rng.randrange(256)}.{rng.randrange(1, 255)}/32"]
    )
    p.object_problems.append((unused_addr, "UNUSED_OBJECT"))
    unused_svc = f"TCP-{rng.randrange(20000, 30000)}"
    p.svcs[unused_svc] = Svc(unused_svc, [("tcp", int(unused_svc[4:]), int(unused_svc[4:]))])
    p.object_problems.append((unused_svc, "UNUSED_OBJECT"))
    return p


def _bulk_rule(b: _Builder, rng: random.Random) -> None:
    block = b.next_block()
    size = rng.choice([24, 26, 28, 32])
    sub = (
        next(iter(block.subnets(new_prefix=size)))
        if size < 32
        else ipaddress.ip_network(f"{block.network_address + rng.randrange(1, 250)}/32")
    )
    src_net = rng.choice(SOURCE_POOL)
    src = b.ref_net(src_net, "NET")
    services = [b.svc(*s) for s in rng.sample(SERVICE_POOL, rng.randint(1, 3))]
    zone = rng.choice(["in", "dmz"]) if b.spec.platform != "cisco_asa" else "in"
    b.rule(
        rng.choice(["app", "mgmt", "print", "log", "ldap", "web", "mon"]),
        "permit",
        [src],
        [b.ref_net(str(sub), "NET")],
        services,
        szone=zone,
        dzone="out",
    )


def _plant(b: _Builder, rng: random.Random, kind: str) -> None:
    block = b.next_block()
    src = b.ref_net(rng.choice(SOURCE_POOL[1:]), "NET")
    dst_net = str(block)
    svc = [b.svc("tcp", 8443, 8443)]
    if kind == "any_source":
        b.rule(
            "any-src", "permit", ["any"], [b.ref_net(dst_net, "NET")], svc, checks=["ANY_SOURCE"]
        )
    elif kind == "any_service":
        b.rule(
            "any-svc", "permit", [src], [b.ref_net(dst_net, "NET")], ["any"], checks=["ANY_SERVICE"]
        )
    elif kind == "wide_range":
        lo = rng.choice([10000, 20000, 30000])
        b.rule(
            "wide-range",
            "permit",
            [src],
            [b.ref_net(dst_net, "NET")],
            [b.svc("tcp", lo, lo + rng.choice([1500, 5000, 9999]))],
            checks=["WIDE_PORT_RANGE"],
        )
    elif kind == "no_logging":
        b.rule(
            "nolog",
            "permit",
            [src],
            [b.ref_net(dst_net, "NET")],
            svc,
            log=False,
            checks=["NO_LOGGING"],
        )
    elif kind == "no_comment":
        b.rule(
            "nocomment",
            "permit",
            [src],
            [b.ref_net(dst_net, "NET")],
            svc,
            comment="",
            checks=["NO_COMMENT"],
        )
    elif kind == "disabled":
        b.rule(
            "disabled",
            "permit",
            [src],
            [b.ref_net(dst_net, "NET")],
            svc,
            enabled=False,
            checks=["DISABLED_RULE"],
        )
    elif kind == "expired":
        sched = f"PROJECT-{rng.randrange(100, 999)}"
        b.p.schedules[sched] = (PAST_START, PAST_END)
        b.rule(
            "expired",
            "permit",
            [src],
            [b.ref_net(dst_net, "NET")],
            svc,
            schedule=sched,
            checks=["EXPIRED_RULE"],
        )
    elif kind == "shadow":
        # two denies whose union (not either alone) covers a later permit
        net = ipaddress.ip_network(dst_net)
        sources = str(
            ipaddress.ip_network(rng.choice(["10.30.1.0/24", "10.30.2.0/24", "10.41.8.0/24"]))
        )
        src_obj = b.addr([sources], "NET")
        dst_obj = b.addr([str(next(iter(net.subnets(new_prefix=26))))], "NET")
        b.rule("block-a", "deny", [src_obj], [dst_obj], [b.svc("tcp", 5000, 5099)], log=False)
        b.rule("block-b", "deny", [src_obj], [dst_obj], [b.svc("tcp", 5100, 5199)], log=False)
        host = ipaddress.ip_network(sources).network_address + rng.randrange(1, 200)
        target = net.network_address + rng.randrange(1, 60)
        b.rule(
            "shadowed",
            "permit",
            [b.ref_net(f"{host}/32", "HOST")],
            [b.ref_net(f"{target}/32", "HOST")],
            [b.svc("tcp", 5050, 5150)],
            checks=["SHADOWED_RULE"],
        )
    elif kind == "redundant":
        net = ipaddress.ip_network(dst_net)
        sources = rng.choice(["10.30.1.0/24", "10.30.2.0/24", "10.41.8.0/24"])
        b.rule(
            "broad",
            "permit",
            [b.addr([sources], "NET")],
            [b.addr([str(net)], "NET")],
            [b.svc("tcp", 6000, 6010)],
        )
        host = ipaddress.ip_network(sources).network_address + rng.randrange(1, 200)
        target = net.network_address + rng.randrange(1, 250)
        b.rule(
            "narrow",
            "permit",
            [b.ref_net(f"{host}/32", "HOST")],
            [b.ref_net(f"{target}/32", "HOST")],
            [b.svc("tcp", 6005, 6005)],
            checks=["REDUNDANT_RULE"],
        )
    elif kind == "undefined":
        b.rule(
            "decommissioned",
            "permit",
            [src],
            [f"obj:DECOM-{rng.randrange(100, 999)}"],
            svc,
            checks=["UNDEFINED_OBJECT"],
        )


def _any_any(p: Policy, b: _Builder) -> None:
    b.rule(
        "temp-any",
        "permit",
        ["any"],
        ["any"],
        ["any"],
        szone="in",
        dzone="any",
        checks=["ANY_ANY_PERMIT"],
    )


# the zone that is the firewall itself: USG `local`, StoneOS `self` (management-plane traffic)
DEVICE_ZONE = {"huawei_vrp": "local", "hillstone_stoneos": "self"}


def _management_from_anywhere(b: _Builder) -> None:
    """SSH to the firewall itself from the untrusted side, as real rule bases often have:
    management-plane access from any source (MANAGEMENT_ACCESS). Last, and drawing nothing from
    the random generator, so that every other rule and object stays as it was."""
    b.rule(
        "mgmt-ssh",
        "permit",
        ["any"],
        ["any"],
        [b.svc("tcp", 22, 22)],
        szone="out",
        dzone=DEVICE_ZONE[b.spec.platform],
        comment="CHG-0042 vendor support access to the firewall",
        checks=["MANAGEMENT_ACCESS"],
    )


def generate_firewall(spec: DeviceSpec, rng: random.Random) -> tuple[str, list[dict], list[dict]]:
    """Running configuration, planted problems and planted secrets for one firewall."""
    if spec.platform not in RENDERERS:
        raise ValueError(f"{spec.name}: no firewall generator for platform {spec.platform}")
    # the fleet marks one USG with extra["default_permit"]: its policy ends in a default permit
    default_permit = bool(spec.extra.get("default_permit")) and spec.platform in (
        "huawei_vrp",
        "hillstone_stoneos",
    )
    policy = _build_policy(spec, rng, default_permit=default_permit)
    builder = _Builder(spec, rng)
    builder.p = policy
    builder.counter = len(policy.rules)
    if rng.random() < 0.35:
        _any_any(policy, builder)
    if spec.platform in DEVICE_ZONE:
        _management_from_anywhere(builder)
    lines, secrets = RENDERERS[spec.platform](spec, policy, rng)
    problems: list[dict] = []
    for r in policy.rules:
        for check in r.checks:
            problems.append({"host": spec.name, "rule": r.rule_id, "check": check})
    for name, check in policy.object_problems:
        problems.append({"host": spec.name, "rule": name, "check": check})
    return "\n".join(lines) + "\n", problems, secrets
