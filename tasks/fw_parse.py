"""Pick the firewall parser for a platform: configuration text -> `Firewall`."""

from __future__ import annotations

from collections.abc import Callable

from tasks.errors import BadInput
from tasks.fw_model import Firewall
from tasks.fw_parse_asa import parse_asa
from tasks.fw_parse_common import ObjectBook
from tasks.fw_parse_fortios import parse_fortios
from tasks.fw_parse_stoneos import parse_stoneos
from tasks.fw_parse_usg import parse_usg

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
            f"no firewall parser for platform {platform!r} (known: {', '.join(sorted(PARSERS))})",
            field="--platform",
        )
    return parser(text, device).finish()
