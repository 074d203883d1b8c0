"""Pick the firewall parser for a platform: configuration text -> `Firewall`."""

from __future__ import annotations

from collections.abc import Callable

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
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


def parse_firewall(platform: str, text: str, device: str = "") -> Firewall:
    """Parse one firewall configuration; unknown platforms are bad input (exit 2)."""
    parser = PARSERS.get(platform)
    if parser is None:
        raise BadInput(
            _("no firewall parser for platform {platform!r} (known: {known})").format(
                platform=platform, known=", ".join(sorted(PARSERS))
            ),
            field="--platform",
        )
    return parser(text, device).finish()
