"""Chinese text on the lab's devices, where the building's real devices carry it.

The operations team writes locations and the descriptions of user ports in Chinese on
part of the fleet, and some Huawei switches were configured from Chinese Windows
terminals, so they display that text in GBK. `plant_chinese(devices, plans, rng)`:

- gives about a third of the routers and switches a location in Chinese after the
  site code (`F03-IDF-2 3层2号弱电间`, `B1-MDF-R01 负一层主机房R01机柜`): it is the
  inventory's `location` and the configuration's `snmp-agent sys-info location` /
  `snmp-server location` (the code stays first: port plans take the floor from it);
- writes the descriptions of those devices' user ports (edge ports that had an English
  description: `Room 0312 PC`) in Chinese (`0312室 办公电脑`);
- marks a quarter of the Huawei devices among them as answering in GBK
  (`extra["encoding"] = "gbk"`): the engine encodes what they send, and decodes what
  they receive, in GBK.

It returns the truth records (`truth["chinese"]`): `gbk_devices` (sorted names) and
`texts` ([{host, kind: location|description, interface, text}], sorted), which the
end-to-end tests compare with the backups. Its own random stream (seeded `seed:chinese`)
leaves every other part of the fleet as it was.
"""

from __future__ import annotations

import random
import re
from typing import Any

from netsteward.lab.fleet.ports import DevicePlan
from netsteward.lab.model import DeviceSpec

SHARE = 3  # one device in SHARE carries Chinese text
GBK_SHARE = 4  # one Chinese Huawei device in GBK_SHARE answers in GBK
ROLES = ("router", "core", "aggregation", "access")
_SITE = re.compile(
    r"^(?:F(?P<floor>\d\d)-IDF-(?P<room>\d+)(?P<sec>-SEC)?|B1-(?P<b1>MDF|DC)-R(?P<rack>\d+))$"
)
# English user-port descriptions (lab/fleet/ports.py) -> how the team writes them
_USER = [
    (re.compile(r"^Room (\S+) PC$"), "{0}室 办公电脑"),
    (re.compile(r"^Room (\S+) phone$"), "{0}室 IP电话"),
    (re.compile(r"^AP-F0?(\d+)-(\d+)$"), "{0}层无线AP-{1}"),
    (re.compile(r"^Printer (\S+)$"), "{0}室 打印机"),
    (re.compile(r"^Cam-F0?(\d+)-(\d+)$"), "{0}层监控摄像头-{1}"),
    (re.compile(r"^Door reader (\S+)$"), "{0}室 门禁读卡器"),
    (re.compile(r"^Meeting room (\S+)$"), "{0}会议室"),
    (re.compile(r"^Kiosk (\d+)$"), "自助服务终端{0}号"),
]


def chinese_location(code: str) -> str:
    """`F03-IDF-2` -> `F03-IDF-2 3层2号弱电间`; unknown codes unchanged."""
    m = _SITE.match(code)
    if not m:
        return code
    if m["floor"]:
        room = f"{int(m['floor'])}层{m['room']}号弱电间" + ("（涉密）" if m["sec"] else "")
    else:
        room = ("负一层主机房" if m["b1"] == "MDF" else "负一层数据中心") + f"R{m['rack']}机柜"
    return f"{code} {room}"


def chinese_description(text: str) -> str | None:
    """An English user-port description in Chinese, None when it is not one of them."""
    for rx, fmt in _USER:
        m = rx.match(text)
        if m:
            return fmt.format(*m.groups())
    return None


def plant_chinese(
    devices: list[DeviceSpec], plans: dict[str, DevicePlan], rng: random.Random
) -> dict[str, Any]:
    """Chinese locations and descriptions on a share of the fleet, some of it in GBK."""
    texts: list[dict[str, str | None]] = []
    gbk: list[str] = []
    for spec in devices:
        if spec.role not in ROLES or rng.randrange(SHARE):
            continue
        location = chinese_location(spec.location)
        if location != spec.location:
            spec.location = location
            texts.append(
                {"host": spec.name, "kind": "location", "interface": None, "text": location}
            )
        plan = plans.get(spec.name)
        for ifp in plan.ifs.values() if plan else ():
            zh = chinese_description(ifp.desc) if ifp.role == "edge" and ifp.desc else None
            if zh:
                ifp.desc = zh
                texts.append(
                    {"host": spec.name, "kind": "description", "interface": ifp.name, "text": zh}
                )
        if spec.platform == "huawei_vrp" and not rng.randrange(GBK_SHARE):
            spec.extra["encoding"] = "gbk"
            gbk.append(spec.name)
    texts.sort(key=lambda t: (t["host"] or "", t["kind"] or "", t["interface"] or ""))
    return {"gbk_devices": sorted(gbk), "texts": texts}
