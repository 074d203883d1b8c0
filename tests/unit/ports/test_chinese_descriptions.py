"""Chinese port descriptions in the port normalisation: lengths as the vendor counts them,
Chinese descriptions from the policy, the team's own Chinese wording kept where the policy
says so; the round trip (plan, apply, plan again -> empty) holds with Chinese text."""

from __future__ import annotations

from pathlib import Path

from netsteward.tasks.core.i18n import set_language
from netsteward.tasks.ports.plan import Device, Link, PeerIndex, clean_description, plan_device
from netsteward.tasks.ports.policy import parse_policy

ROOT = Path(__file__).resolve().parents[3]
TEXT = (ROOT / "policy" / "ports.yaml").read_text(encoding="utf-8")
SW = Device("YM-BASE-ACC-014", "huawei_vrp", "access", "base", "S5735-L48T4X-A1")
MAPPED = "三层东侧弱电间-配线架A-第12口-至财务科打印机"


def config(desc_up: str | None, desc_47: str | None) -> str:
    up = [f" description {desc_up}"] if desc_up else []
    p47 = [f" description {desc_47}"] if desc_47 else []
    return "\n".join(
        [
            "sysname YM-BASE-ACC-014",
            "stp bpdu-protection",
            "#",
            "interface GigabitEthernet0/0/47",
            *p47,
            " stp edged-port enable",
            " loopback-detect enable",
            "#",
            "interface XGigabitEthernet0/0/1",
            *up,
            "#",
            "return",
        ]
    )


LINKS = [Link("XGigabitEthernet0/0/1", "YM-BASE-AGG-01", "Ten-GigabitEthernet1/0/3")]
PEERS = PeerIndex(platforms={"YM-BASE-AGG-01": "hp_comware"})  # the inventory


def policy(extra: str = "", keep: bool = False):
    text = TEXT.replace(
        "keep_if_names_neighbour: false", f"keep_if_names_neighbour: {str(keep).lower()}"
    )
    return parse_policy(text.replace("hosts: {}", "hosts:\n" + extra if extra else "hosts: {}"))


def test_lengths_count_bytes_and_never_split_a_character() -> None:
    syntax = policy().platforms["huawei_vrp"]
    assert syntax.description_max_length == 242
    long = "财" * 100  # 300 bytes in UTF-8
    cut = clean_description(long, syntax)
    assert cut == "财" * 80 and len(cut.encode()) == 240
    assert clean_description(long, syntax, "characters") == long
    assert clean_description("ab" + long, syntax) == "ab" + "财" * 80  # 242 bytes exactly


def test_a_chinese_description_from_the_policy_round_trip() -> None:
    pol = policy(
        f'  YM-BASE-ACC-014:\n    port_descriptions: {{GigabitEthernet0/0/47: "{MAPPED}"}}\n'
    )
    plan = plan_device(SW, config("TO-YM-BASE-AGG-01-XGE1/0/3", None), LINKS, pol, PEERS)
    assert [(c.interface, c.lines) for c in plan.changes] == [
        ("GigabitEthernet0/0/47", [f"description {MAPPED}"])
    ]
    again = plan_device(SW, config("TO-YM-BASE-AGG-01-XGE1/0/3", MAPPED), LINKS, pol, PEERS)
    assert again.changes == []


def test_the_teams_own_chinese_wording_is_kept_when_the_policy_says_so() -> None:
    own = "上联至YM-BASE-AGG-01 Ten-GigabitEthernet1/0/3（万兆主链路）"
    plan = plan_device(SW, config(own, None), LINKS, policy(), PEERS)
    assert [c.kind for c in plan.changes] == ["stale_description"]
    assert plan_device(SW, config(own, None), LINKS, policy(keep=True), PEERS).changes == []
    wrong = "上联至YM-BASE-AGG-02 XGE1/0/3"  # names another switch: still rewritten
    assert [
        c.kind
        for c in plan_device(SW, config(wrong, None), LINKS, policy(keep=True), PEERS).changes
    ] == ["stale_description"]


def test_reasons_in_chinese() -> None:
    set_language("zh")
    plan = plan_device(SW, config(None, None), LINKS, policy(), PEERS)
    assert plan.changes[0].reason == "LLDP 邻居 YM-BASE-AGG-01 XGE1/0/3；该端口没有描述"
