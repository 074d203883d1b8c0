"""FortiOS 7.x NIC detail, kernel ifconfig, `diagnose sys top` and the log display (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta

from netsteward.lab.dialects.fortinet.extra import interfaces
from netsteward.lab.dialects.fortinet.render import Block
from netsteward.lab.dialects.render_common import mac_colon, mac_offset, stable_int
from netsteward.lab.model import DeviceSpec


def _mac(spec: DeviceSpec, ports: list[str], name: str) -> str:
    index = ports.index(name) + 1 if name in ports else 0
    return mac_colon(mac_offset(spec.mac, index))


def hardware_nic(spec: DeviceSpec, ports: list[str], name: str, link: bool) -> str:
    mac = _mac(spec, ports, name)
    lif = ports.index(name) + 1 if name in ports else 1
    rx = stable_int(spec.name, name, "rx", modulo=10**8) if link else 0
    tx = stable_int(spec.name, name, "tx", modulo=10**8) if link else 0
    lines = [
        "Description     :FortiASIC NP6 Adapter",
        "Driver Name     :FortiASIC NP6 Driver",
        f"Board           :{spec.model.removeprefix('FortiGate-')}",
        f"lif id          :{lif}",
        f"lif oid         :{lif + 64}",
        f"netdev oid      :{lif + 64}",
        f"Current_HWaddr   {mac}",
        f"Permanent_HWaddr {mac}",
        "========== Link Status ==========",
        "Admin           :up",
        "netdev status   :N/A",
        "autonego_setting:1",
        "link_setting    :0",
        "speed_setting   :1000",
        "duplex_setting  :1",
        f"Speed           :{1000 if link else 0}",
        f"Duplex          :{'Full' if link else 'Half'}",
        f"link_status     :{'Up' if link else 'Down'}",
        "============ Counters ===========",
        f"Rx Pkts         :{rx}",
        f"Rx Bytes        :{rx * 97}",
        f"Tx Pkts         :{tx}",
        f"Tx Bytes        :{tx * 81}",
        f"Host Rx Pkts    :{rx // 9}",
        f"Host Rx Bytes   :{rx // 9 * 70}",
        f"Host Tx Pkts    :{tx // 9}",
        f"Host Tx Bytes   :{tx // 9 * 66}",
        "Host Tx dropped :0",
        "FragTxCreate    :0",
        "FragTxOk        :0",
        "FragTxDrop      :0",
        "",
    ]
    return "\n".join(lines)


def _human(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n}  Bytes"


def fnsysctl_ifconfig(spec: DeviceSpec, root: Block, ports: list[str], up: set[str]) -> str:
    addresses = {i.name: i for i in interfaces(root)}
    out: list[str] = []
    for name in ports:
        running = name in up
        rx = stable_int(spec.name, name, "rx", modulo=10**8) if running else 0
        tx = stable_int(spec.name, name, "tx", modulo=10**8) if running else 0
        out.append(f"{name:<15} Link encap:Ethernet  HWaddr {_mac(spec, ports, name).upper()}")
        i = addresses.get(name)
        if i is not None:
            out.append(
                f"        inet addr:{i.ip}  Bcast:{i.network.broadcast_address}  Mask:{i.mask}"
            )
        flags = "UP BROADCAST RUNNING MULTICAST" if running else "UP BROADCAST MULTICAST"
        out += [
            f"        {flags}  MTU:1500  Metric:1",
            f"        RX packets:{rx} errors:0 dropped:0 overruns:0 frame:0",
            f"        TX packets:{tx} errors:0 dropped:0 overruns:0 carrier:0",
            "        collisions:0 txqueuelen:1000",
            f"        RX bytes:{rx * 97} ({_human(rx * 97)})  TX bytes:{tx * 81} ({_human(tx * 81)})",
            "",
        ]
    out += [
        "root            Link encap:Unknown",
        "        inet addr:127.0.0.1  Mask:255.0.0.0",
        "        UP LOOPBACK RUNNING NOARP  MTU:16436  Metric:1",
        "        RX packets:0 errors:0 dropped:0 overruns:0 frame:0",
        "        TX packets:0 errors:0 dropped:0 overruns:0 carrier:0",
        "        collisions:0 txqueuelen:0",
        "        RX bytes:0 (0  Bytes)  TX bytes:0 (0  Bytes)",
        "",
    ]
    return "\n".join(out) + "\n"


_PROCESSES = (
    ("newcli", "R", "0.3", "0.4"),
    ("sshd", "S", "0.1", "0.1"),
    ("ipsengine", "S <", "0.1", "3.9"),
    ("httpsd", "S", "0.0", "1.2"),
    ("miglogd", "S", "0.0", "0.9"),
    ("cmdbsvr", "S", "0.0", "0.8"),
    ("forticron", "S", "0.0", "0.4"),
    ("updated", "S", "0.0", "0.4"),
    ("fgfmd", "S", "0.0", "0.3"),
    ("snmpd", "S", "0.0", "0.3"),
)


def diagnose_sys_top(spec: DeviceSpec, now: datetime, booted: datetime) -> str:
    up = now - booted
    idle = 95 + stable_int(spec.name, now.minute, "idle", modulo=5)
    user = (100 - idle) // 2
    total = 32148
    free = total - 9000 - stable_int(spec.name, "mem", modulo=4000)
    lines = [
        f"Run Time:  {up.days} days, {up.seconds // 3600} hours and {up.seconds // 60 % 60} minutes",
        f"{user}U, 0N, {100 - idle - user}S, {idle}I, 0WA, 0HI, 0SI, 0ST; {total}T, {free}F",
    ]
    for k, (name, state, cpu, mem) in enumerate(_PROCESSES):
        pid = 150 + stable_int(spec.name, name, "pid", modulo=30000) if k < 2 else 180 + 7 * k
        lines.append(f"{name:>16} {pid:>8}      {state:<3}    {cpu:>4}     {mem}")
    return "\n".join(lines) + "\n"


def log_display(spec: DeviceSpec, root: Block, now: datetime) -> str:
    """`execute log display` (default filter: the last 10 event/system logs)."""
    found = 1000 + stable_int(spec.name, "logs", modulo=9000)
    lines = [
        f"{found} logs found.",
        "10 logs returned.",
        f"{1000 / found * 10:.1f}% of logs has been searched.",
        "",
    ]
    ips = [i.ip for i in interfaces(root)] or ["192.0.2.1"]
    start = now.replace(microsecond=0)
    for n in range(1, 11):
        when = start - timedelta(seconds=37 * n + stable_int(spec.name, n, modulo=30))
        stamp = int(when.timestamp()) * 10**9 + stable_int(spec.name, n, "ns", modulo=10**9)
        src = f"10.100.{stable_int(spec.name, n, 's', modulo=90) + 10}.{stable_int(spec.name, n, 'h', modulo=200) + 20}"
        if n % 3 == 0:
            body = (
                f'logid="0100032001" type="event" subtype="system" level="information" vd="root"'
                f' eventtime={stamp} tz="+0100" logdesc="Admin login successful" sn="{int(when.timestamp())}"'
                f' user="netsteward" ui="ssh({src})" method="ssh" srcip={src} dstip={ips[0]}'
                f' action="login" status="success" reason="none" profile="super_admin"'
                f' msg="Administrator netsteward logged in successfully from ssh({src})"'
            )
        else:
            body = (
                f'logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root"'
                f' eventtime={stamp} tz="+0100" srcip={src} srcport={40000 + n * 131}'
                f' srcintf="port2" srcintfrole="lan" dstip=10.20.1.{10 + n} dstport=443'
                f' dstintf="port3" dstintfrole="dmz" sessionid={stable_int(spec.name, n, modulo=10**7)}'
                f' proto=6 action="close" policyid={n % 5 + 1} policytype="policy" service="HTTPS"'
                f' trandisp="noop" duration={n * 7} sentbyte={n * 1520} rcvdbyte={n * 4380}'
                f" sentpkt={n * 5} rcvdpkt={n * 6}"
            )
        lines += [f"{n}: date={when:%Y-%m-%d} time={when:%H:%M:%S} {body}", ""]
    return "\n".join(lines) + "\n"
