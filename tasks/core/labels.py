"""Inventory roles and networks as people read them (`--json`, file paths and group names
keep the ids: `access`, `egov_intranet`)."""

from __future__ import annotations

from netsteward.tasks.core.i18n import pgettext


def role_label(role: str | None) -> str:
    """`access` -> `access` in English, `接入交换机` in Chinese; unknown roles as they are."""
    known = {
        "router": lambda: pgettext("role", "router"),
        "core": lambda: pgettext("role", "core"),
        "aggregation": lambda: pgettext("role", "aggregation"),
        "access": lambda: pgettext("role", "access"),
        "firewall": lambda: pgettext("role", "firewall"),
        "ips": lambda: pgettext("role", "ips"),
        "fc_switch": lambda: pgettext("role", "fc_switch"),
    }
    return known[role]() if role in known else str(role or "")


def network_label(network: str | None) -> str:
    """`egov_intranet` -> `egov_intranet` in English, `电子政务内网` in Chinese."""
    known = {
        "base": lambda: pgettext("network", "base"),
        "egov_intranet": lambda: pgettext("network", "egov_intranet"),
        "egov_extranet": lambda: pgettext("network", "egov_extranet"),
        "device_net": lambda: pgettext("network", "device_net"),
        "san": lambda: pgettext("network", "san"),
    }
    return known[network]() if network in known else str(network or "")


def action_label(action: str) -> str:
    """A firewall rule's action: `permit` / `deny` in English, 允许 / 拒绝 in Chinese."""
    known = {
        "permit": lambda: pgettext("action", "permit"),
        "deny": lambda: pgettext("action", "deny"),
    }
    return known[action]() if action in known else action


def severity_label(severity: str) -> str:
    """`high` / `medium` / `low` in English, 高风险 / 中风险 / 低风险 in Chinese."""
    known = {
        "high": lambda: pgettext("severity", "high"),
        "medium": lambda: pgettext("severity", "medium"),
        "low": lambda: pgettext("severity", "low"),
    }
    return known[severity]() if severity in known else severity


def role_short_label(role: str | None) -> str:
    """A role in a narrow table column: `acc` / `接入`, `agg` / `汇聚`, `rtr` / `路由`."""
    known = {
        "router": lambda: pgettext("role, short", "rtr"),
        "core": lambda: pgettext("role, short", "core"),
        "aggregation": lambda: pgettext("role, short", "agg"),
        "access": lambda: pgettext("role, short", "acc"),
    }
    return known[role]() if role in known else role_label(role)
