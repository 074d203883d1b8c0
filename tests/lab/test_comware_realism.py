"""H3C Comware 7 output of the lab, parsed with the ntc-templates TextFSM templates.

Every command with a real sample in ../shared/corpus/ntc-templates/hp_comware
that the lab implements must parse into non-empty records carrying the fields
the real sample carries (`engine_samples/hp_comware/<command>.yml`, copied from
networktocode/ntc-templates, Apache-2.0; see tests/NOTICE).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from labtest import check_parses_like_sample, filled_fields, sample_commands, sample_records
from ntc_templates.parse import parse_output

PLATFORM = "hp_comware"
# sample name -> the line a person types (the corpus folder names `in`/`out`bound as `bound`)
SENT = {"display counters bound interface": "display counters inbound interface"}
COMMANDS = [c for c in sample_commands(PLATFORM) if c not in SENT]
ROLES = ("aggregation", "access")
NOT_OURS: dict[str, set[str]] = {}


# tables learned from neighbours: empty on a device without any
NEEDS_NEIGHBOURS = {"display mac-address", "display arp"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", COMMANDS)
def test_output_parses_like_the_real_sample(offline_lab, command: str, role: str) -> None:
    try:
        host = offline_lab.first(
            PLATFORM,
            role,
            lag="link-aggregation" in command,
            lldp="lldp" in command or command in NEEDS_NEIGHBOURS,
        )
    except LookupError:
        pytest.skip(f"no {PLATFORM} {role} with what {command!r} shows in this fleet")
    check_parses_like_sample(offline_lab, PLATFORM, host, command, NOT_OURS.get(command, set()))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("command", sorted(SENT))
def test_typed_line_parses_like_the_real_sample(offline_lab, command: str, role: str) -> None:
    host = offline_lab.first(PLATFORM, role)
    text = offline_lab.run(host, SENT[command])
    records = parse_output(platform=PLATFORM, command=SENT[command], data=text)
    assert records, text
    sample = sample_records(PLATFORM, command)
    assert set(records[0]) == set(sample[0])
    always = set.intersection(*({k for k, v in r.items() if v} for r in sample))
    assert always <= filled_fields(records), (always - filled_fields(records), text)


def test_routing_table_holds_connected_static_and_ospf_routes(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "aggregation")
    records = parse_output(
        platform=PLATFORM,
        command="display ip routing-table",
        data=offline_lab.run(host, "display ip routing-table"),
    )
    protocols = {r["protocol"] for r in records}
    assert {"Direct", "Static", "OSPF"} <= protocols
    config = offline_lab.state.specs[host].config
    loopback = config.split("interface LoopBack0\n ip address ")[1].split()[0]
    assert {"network": loopback, "prefix_length": "32", "nexthop_if": "InLoop0"}.items() <= next(
        r for r in records if r["network"] == loopback
    ).items()
    default = next(r for r in records if r["network"] == "0.0.0.0" and r["prefix_length"] == "0")
    assert default["protocol"] == "Static"
    assert f"ip route-static 0.0.0.0 0 {default['nexthop_ip']}" in config


def test_routing_table_lookup_and_protocol_filter_agree_with_the_full_table(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "aggregation")

    def table(line: str) -> list[dict[str, str]]:
        # the template knows no `<Inactive>` part (what `protocol X` adds after the routes)
        text = offline_lab.run(host, line).split("OSPF Routing table status : <Inactive>")[0]
        return parse_output(platform=PLATFORM, command="display ip routing-table", data=text)

    full = table("display ip routing-table")
    ospf = table("display ip routing-table protocol ospf")
    assert ospf == [r for r in full if r["protocol"] == "OSPF"]
    loopback = next(r for r in ospf if r["prefix_length"] == "32")
    assert table(f"display ip routing-table {loopback['network']}") == [loopback]
    default = [r for r in full if r["network"] == "0.0.0.0" and r["prefix_length"] == "0"]
    assert table("display ip routing-table 198.51.100.7") == default
    assert "Unrecognized command" in offline_lab.run(host, "display ip routing-table protocol x")


def test_version_is_comware(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "aggregation")
    text = offline_lab.run(host, "display version")
    assert text.startswith("H3C Comware Software, Version 7.1.070")
    assert f"H3C {offline_lab.state.specs[host].model} uptime is " in text


def test_lldp_verbose_matches_the_list(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "aggregation", lldp=True)
    verbose = parse_output(
        platform=PLATFORM,
        command="display lldp neighbor-information verbose",
        data=offline_lab.run(host, "display lldp neighbor-information verbose"),
    )
    brief = parse_output(
        platform=PLATFORM,
        command="display lldp neighbor-information list",
        data=offline_lab.run(host, "dis lldp neighbor-information list"),
    )
    assert len(verbose) == len(brief) == len(offline_lab.state.neighbors(host))
    assert {(r["neighbor_name"], r["neighbor_interface"]) for r in verbose} == {
        (r["neighbor_name"], r["neighbor_interface"]) for r in brief
    }


def test_unknown_command_gets_the_caret(offline_lab) -> None:
    host = offline_lab.first(PLATFORM, "access")
    text = offline_lab.run(host, "display bogus")
    caret, error = text.splitlines()[:2]
    assert error == " % Unrecognized command found at '^' position."
    assert caret.index("^") == len(f"<{host}>") + len("display ")


SESSION = Path(__file__).parent / "engine_samples" / "h3c_5130-48G_7.1.070_simulation.yaml"


def recorded() -> tuple[str, dict[str, str], str]:
    """The oxidized recording: (login text, command -> response, recorded hostname)."""
    data = yaml.safe_load(SESSION.read_text(encoding="utf-8"))
    answers = {k: v for item in data["commands"] for k, v in item.items()}
    init = data["init_prompt"].replace("\\r", "\r")
    name = init.rsplit("<", 1)[1].rstrip(">")
    return init, {k: v.replace("\\r", "\r") for k, v in answers.items()}, name


def live_session(offline_lab, host: str):
    from lab.dialects import get_dialect
    from lab.session import Session

    writes: list[str] = []
    device = offline_lab.state.device(host)
    return Session(device, get_dialect(PLATFORM), writes.append, lambda: None), writes


def shape(text: str) -> list[str]:
    """Line shapes: box-drawing banner lines, blank lines, the prompt."""
    out = []
    for line in text.split("\r\n"):
        if line.startswith("*") and line.endswith("*"):
            out.append(f"box{len(line)}")
        elif not line:
            out.append("blank")
        elif line.startswith("<") and line.endswith(">"):
            out.append("prompt")
        else:
            out.append("text")
    return out


def test_login_banner_and_prompt_match_the_recorded_session(offline_lab) -> None:
    init, _, _ = recorded()
    host = offline_lab.first(PLATFORM, "access")
    session, writes = live_session(offline_lab, host)
    session.start_shell()
    assert shape(writes[0]) == shape(init)
    assert writes[0].endswith(f"\r\n\r\n<{host}>")


def test_paging_off_echo_and_prompt_match_the_recorded_session(offline_lab) -> None:
    _, answers, name = recorded()
    host = offline_lab.first(PLATFORM, "access")
    session, writes = live_session(offline_lab, host)
    session.feed("screen-length disable\n")
    assert writes[-1] == answers["screen-length disable\n"].replace(name, host)


def test_display_version_has_the_recorded_shape(offline_lab) -> None:
    import re

    _, answers, name = recorded()
    real = answers["display version\n"].split("\r\n")
    host = offline_lab.first(PLATFORM, "access")
    session, writes = live_session(offline_lab, host)
    session.feed("screen-length disable\n")
    session.feed("display version\n")
    ours = writes[-1].split("\r\n")
    assert ours[0] == real[0] == "display version"
    assert ours[-1] == f"<{host}>" and real[-1] == f"<{name}>"
    patterns = [
        r"^(HPE|H3C) Comware Software, Version 7\.1\.\d+, Release \w+$",
        r"^Copyright \(c\) 20\d\d-20\d\d .+$",
        r"^(HPE|H3C) .+ uptime is \d+ weeks?, \d+ days?, \d+ hours?, \d+ minutes?$",
        r"^Last reboot reason : .+$",
    ]
    for i, pattern in enumerate(patterns, 1):
        assert re.match(pattern, real[i]), real[i]
        assert re.match(pattern, ours[i]), ours[i]
    keys = [
        line.split(":")[0].strip()
        for line in real
        if ":" in line and not line.strip().startswith(("Copyright", "Last", "Compiled"))
    ]
    for key in keys:
        assert any(line.startswith(key) for line in ours), key
