"""Pick the firewall parser for a platform: configuration text -> `Firewall`.

Each parser is also a registered reader (`<platform>.firewall_policy`, see the platform files'
`reads:`): `netsteward parse --platform P --command "<the backup's command>" FILE` and
`netsteward audit firewall` run the same code on the same text.
"""

from __future__ import annotations

from collections.abc import Callable

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import Reading, at_line, reader
from netsteward.tasks.firewall.model import Firewall
from netsteward.tasks.firewall.parsers.cisco_asa import parse_asa
from netsteward.tasks.firewall.parsers.common import PLATFORM_NAMES, ObjectBook
from netsteward.tasks.firewall.parsers.fortinet import parse_fortios
from netsteward.tasks.firewall.parsers.hillstone_stoneos import parse_stoneos
from netsteward.tasks.firewall.parsers.huawei_usg import parse_usg
from netsteward.tasks.firewall.source import looks_like

PARSERS: dict[str, Callable[[str, str], ObjectBook]] = {
    "huawei_vrp": parse_usg,
    "hillstone_stoneos": parse_stoneos,
    "fortinet": parse_fortios,
    "cisco_asa": parse_asa,
}


def read_firewall(platform: str, text: str, device: str = "") -> Reading[Firewall]:
    """One firewall configuration as a `Firewall` (one record) and what could not be read."""
    parser = PARSERS.get(platform)
    if parser is None:
        raise BadInput(
            _("no firewall parser for platform {platform!r} (known: {known})").format(
                platform=platform, known=", ".join(sorted(PARSERS))
            ),
            field="--platform",
        )
    book = parser(text, device)
    warnings = book.read_warnings(text)
    other = looks_like(platform, text)
    if other is not None and not any(w.kind == "format" for w in warnings):
        first = next((i for i, ln in enumerate(text.splitlines(), 1) if ln.strip()), 0)
        what = PLATFORM_NAMES.get(platform, platform)
        problem = _("not a {what} configuration: it looks like a {other} one").format(
            what=what, other=PLATFORM_NAMES[other]
        )
        warnings = (at_line(text, first, problem, kind="format"),)
    if any(w.kind == "format" for w in warnings):
        return Reading(warnings=warnings)  # not a configuration of this platform: no record
    return Reading((book.finish(),), warnings)


def parse_firewall(platform: str, text: str, device: str = "") -> Firewall:
    """Parse one firewall configuration; unknown platforms, and text that is not a
    configuration of the platform, are bad input (exit 2)."""
    reading = read_firewall(platform, text, device)
    if not reading.records:
        w = reading.warnings[0]
        raise BadInput(w.problem, file=device or None, line=w.line or None)
    return reading.records[0]


@reader("huawei_vrp.firewall_policy")
def usg_policy(text: str) -> Reading[Firewall]:
    """A Huawei USG configuration: address/service sets, time ranges, `security-policy`."""
    return read_firewall("huawei_vrp", text)


@reader("hillstone_stoneos.firewall_policy")
def stoneos_policy(text: str) -> Reading[Firewall]:
    """A Hillstone StoneOS configuration: address and service books, `policy-global`."""
    return read_firewall("hillstone_stoneos", text)


@reader("fortinet.firewall_policy")
def fortios_policy(text: str) -> Reading[Firewall]:
    """A FortiOS configuration: `config firewall address/service/schedule/policy`."""
    return read_firewall("fortinet", text)


@reader("cisco_asa.firewall_policy")
def asa_policy(text: str) -> Reading[Firewall]:
    """A Cisco ASA running configuration: objects, object-groups, access-lists, access-groups."""
    return read_firewall("cisco_asa", text)
