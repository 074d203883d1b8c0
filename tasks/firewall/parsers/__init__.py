"""Pick the firewall parser for a platform: configuration text -> `Firewall`.

Each parser is also a registered reader (`<platform>.firewall_policy`, see the platform files'
`reads:`): `netsteward parse --platform P --command "<the backup's command>" FILE` and
`netsteward audit firewall` run the same code on the same text.
"""

from __future__ import annotations

from collections.abc import Callable

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.reading import Reading, reader
from netsteward.tasks.firewall.model import Firewall
from netsteward.tasks.firewall.parsers.cisco_asa import parse_asa
from netsteward.tasks.firewall.parsers.common import ObjectBook
from netsteward.tasks.firewall.parsers.fortinet import parse_fortios
from netsteward.tasks.firewall.parsers.hillstone_stoneos import parse_stoneos
from netsteward.tasks.firewall.parsers.huawei_usg import parse_usg

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
    fw = book.finish()
    return Reading((fw,), book.read_warnings(text))


def parse_firewall(platform: str, text: str, device: str = "") -> Firewall:
    """Parse one firewall configuration; unknown platforms are bad input (exit 2)."""
    return read_firewall(platform, text, device).records[0]


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
