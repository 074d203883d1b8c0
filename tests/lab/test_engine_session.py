"""The engine without SSH: configuration tree round trips, echo, line endings, paging, questions.

`netsteward.lab.engine.session.Session` is driven directly with `feed()`; what it would send over
the channel is collected per write, so "one write per input chunk" is checked.
"""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path

import pytest
from labtest import SMALL_FLEET

from netsteward.lab.dialects import get_dialect
from netsteward.lab.dialects.base import SessionEnd
from netsteward.lab.engine.configtree import ConfigTree
from netsteward.lab.engine.session import Session
from netsteward.lab.engine.state import LabState, load_fleet

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "oxidized-simulations"  # tests/NOTICE


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    return LabState(load_fleet(2026, SMALL_FLEET), tmp_path_factory.mktemp("session"), 10001)


class Wire:
    def __init__(self, state, host: str) -> None:
        self.writes: list[str] = []
        self.written: asyncio.Event | None = None  # set on each write, for a test that waits
        self.closed = False
        device = state.device(host)
        self.s = Session(device, get_dialect(device.spec.platform), self._write, self._close)

    def _write(self, text: str) -> None:
        self.writes.append(text)
        if self.written is not None:
            self.written.set()

    def _close(self) -> None:
        self.closed = True

    def send(self, data: str) -> str:
        before = len(self.writes)
        self.s.feed(data)
        new = self.writes[before:]
        assert len(new) <= 1, f"{len(new)} writes for one input chunk"
        return new[0] if new else ""


def test_every_fleet_config_round_trips(offline_lab) -> None:
    for spec in offline_lab.state.fleet.devices:
        assert ConfigTree.parse(spec.config).render() == spec.config, spec.name


def test_real_configs_round_trip() -> None:
    paths = sorted(CORPUS.glob("*_output.txt"))
    assert paths, CORPUS
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert ConfigTree.parse(text).render() == text, path.name


def test_round_trip_edge_cases() -> None:
    for text in ["", "a", "a\n", "a\n b\n\n c\nd", "#\n x\n  y\n z\n#\nreturn\n", "\n\n"]:
        assert ConfigTree.parse(text).render() == text


def test_new_section_lands_after_its_kind_with_separators() -> None:
    tree = ConfigTree.parse(
        "#\nsysname A\n#\ninterface GE0/0/1\n description x\n#\nuser-interface vty 0 4\n#\nreturn\n"
    )
    tree.new_section("interface GE0/0/2", like="interface ", separator="#", tail=("return",))
    tree.new_section("lldp enable", like="lldp ", separator="#", tail=("return",))
    assert tree.render() == (
        "#\nsysname A\n#\ninterface GE0/0/1\n description x\n#\ninterface GE0/0/2\n#\n"
        "user-interface vty 0 4\n#\nlldp enable\n#\nreturn\n"
    )


def test_login_shows_banner_then_prompt(state) -> None:
    w = Wire(state, "LAB-ACC-002")
    w.s.start_shell()
    assert w.writes[0].endswith("<LAB-ACC-002>")
    assert "Copyright" in w.writes[0]


def test_change_password_question_comes_before_the_prompt(state) -> None:
    w = Wire(state, "LAB-ACC-001")
    w.s.start_shell()
    assert w.writes[0].rstrip().endswith("Change now? [Y/N]:")
    assert w.send("N\n") == "N\r\n<LAB-ACC-001>"


@pytest.mark.parametrize("ending", ["\n", "\r", "\r\n"])
def test_each_line_ending_runs_the_command_once(state, ending: str) -> None:
    w = Wire(state, "LAB-CORE-01")
    out = w.send("display clock" + ending)
    assert out.startswith("display clock\r\n")
    assert out.endswith("<LAB-CORE-01>")
    assert out.count("<LAB-CORE-01>") == 1
    assert w.send("\n" if ending == "\r" else "") in ("", "\r\n<LAB-CORE-01>")


def test_crlf_split_across_chunks_is_one_line_end(state) -> None:
    w = Wire(state, "LAB-CORE-01")
    first = w.send("display esn\r")
    assert first.endswith("<LAB-CORE-01>")
    assert w.send("\n") == ""


def test_two_commands_in_one_chunk_make_one_write(state) -> None:
    w = Wire(state, "LAB-CORE-01")
    out = w.send("display clock\ndisplay esn\n")
    assert out.count("<LAB-CORE-01>") == 2
    assert "ESN of slot 0: " in out


def test_backspace_edits_the_line(state) -> None:
    w = Wire(state, "LAB-CORE-01")
    out = w.send("display clocx\x7fk\n")
    assert "\b \b" in out
    assert "Time Zone" in out


def test_paging_until_screen_length_0_temporary(state) -> None:
    w = Wire(state, "LAB-ACC-001")
    page = w.send("display current-configuration\n")
    assert page.endswith("  ---- More ----")
    assert page.count("\r\n") == 24  # the echo line and 23 lines of output
    rest = w.send(" ")
    assert rest.startswith("\x1b[16D")
    while rest.endswith("---- More ----"):
        rest = w.send(" ")
    assert rest.endswith("return\r\n<LAB-ACC-001>")
    info = w.send("screen-length 0 temporary\n")
    assert (
        "Info: The configuration takes effect on the current user terminal interface only." in info
    )
    whole = w.send("display current-configuration\n")
    assert "---- More ----" not in whole and whole.endswith("<LAB-ACC-001>")


def test_q_at_the_pager_stops_the_output(state) -> None:
    w = Wire(state, "LAB-AGG-01")
    assert w.send("display current-configuration\n").endswith("---- More ----")
    assert w.send("q").endswith("<LAB-AGG-01>")
    assert w.send("screen-length disable\n") == "screen-length disable\r\n<LAB-AGG-01>"


def test_views_prompts_ctrl_z_and_quit(state) -> None:
    w = Wire(state, "LAB-CORE-01")
    assert w.send("system-view\n").endswith("[LAB-CORE-01]")
    assert w.send("int xge0/0/2\n").endswith("[LAB-CORE-01-XGigabitEthernet0/0/2]")
    assert w.send("interface XGigabitEthernet 0/0/3\n").endswith(
        "[LAB-CORE-01-XGigabitEthernet0/0/3]"
    )
    assert w.send("quit\n").endswith("[LAB-CORE-01]")
    assert w.send("aaa\n").endswith("[LAB-CORE-01-aaa]")
    assert w.send("\x1a").endswith("\r\n<LAB-CORE-01>")
    assert not w.closed
    w.send("quit\n")
    assert w.closed


@pytest.mark.parametrize("typing", ["whole", "by_key"])
def test_logout_echo_ends_its_line_before_the_session_ends(state, typing) -> None:
    """RANCID's expect scripts type `quit` key by key and need the echoed line to end
    (`<HOST>quit` + CRLF) before the channel goes: echo, line end and farewell leave in
    one write, then the session ends the dialect's way (a graceful channel close)."""
    ended: list[SessionEnd] = []
    device = state.device("LAB-CORE-01")
    writes: list[str] = []
    s = Session(
        device, get_dialect(device.spec.platform), writes.append, lambda: None, end=ended.append
    )
    s.feed("screen-length 0 temporary\n")
    keys = ["quit\r"] if typing == "whole" else list("quit\r")
    for key in keys:
        assert not ended
        s.feed(key)
    assert "".join(writes).endswith("<LAB-CORE-01>quit\r\n")
    assert writes[-1].endswith("quit\r\n" if typing == "whole" else "\r\n")
    assert ended == [SessionEnd(farewell="", close="channel", exit_status=0)]
    s.feed("display version\n")  # nothing after the logout
    assert writes[-1].endswith("\r\n")


def test_the_asa_says_logoff_after_the_echo(state, offline_lab) -> None:
    host = offline_lab.first("cisco_asa", "firewall")
    device = offline_lab.state.device(host)
    writes: list[str] = []
    ended: list[SessionEnd] = []
    s = Session(device, get_dialect("cisco_asa"), writes.append, lambda: None, end=ended.append)
    s.feed("exit\r")
    assert writes[-1] == "exit\r\n\r\nLogoff\r\n\r\n"
    assert ended and ended[0].close == "channel"


def test_session_end_close_is_checked() -> None:
    with pytest.raises(ValueError, match="hangup"):
        SessionEnd(close="hangup")


def test_config_lines_edit_the_running_config(state) -> None:
    w = Wire(state, "LAB-ACC-002")
    w.send("system-view\n")
    w.send("interface GigabitEthernet1/0/4\n")
    w.send("description FIRST\n")
    w.send("description SECOND\n")
    w.send("stp edged-port\n")
    w.send("undo stp edged-port\n")
    w.send("loopback-detection enable vlan all\n")
    w.send("return\n")
    out = w.send("display current-configuration interface GE1/0/4\n")
    assert (
        "interface GigabitEthernet1/0/4\r\n port link-mode bridge\r\n description SECOND\r\n loopback-detection enable vlan all\r\n#"
        in out
    )
    w.send("system-view\n")
    w.send("interface GigabitEthernet1/0/4\n")
    w.send("undo description\n")
    assert " description" not in w.send("display this\n")


def test_unknown_interface_is_a_wrong_parameter(state) -> None:
    w = Wire(state, "LAB-CORE-01")
    w.send("system-view\n")
    out = w.send("interface GigabitEthernet9/9/9\n")
    assert "Error: Wrong parameter found at '^' position." in out
    assert out.endswith("[LAB-CORE-01]")


def test_vrp_save_asks_and_persists(state) -> None:
    w = Wire(state, "LAB-CORE-01")
    asked = w.send("save\n")
    assert asked.endswith("Are you sure to continue?[Y/N]:")
    done = w.send("y\n")
    assert "saved successfully" in done and done.endswith("<LAB-CORE-01>")
    assert (state.state_dir / "saved" / "LAB-CORE-01.cfg").read_text() == state.device(
        "LAB-CORE-01"
    ).running_text()


def test_comware_plain_save_asks_three_questions(state) -> None:
    w = Wire(state, "LAB-AGG-01")
    assert w.send("save\n").endswith("Are you sure? [Y/N]:")
    assert w.send("y\n").endswith("press the enter key):")
    assert w.send("\n").endswith("flash:/startup.cfg exists, overwrite? [Y/N]:")
    assert w.send("y\n").endswith("successfully.\r\n<LAB-AGG-01>")


def test_pipe_filters(state) -> None:
    w = Wire(state, "LAB-ACC-001")
    w.send("screen-length 0 temporary\n")
    inc = w.send("display current-configuration | include ^interface|sysname\n")
    body = inc.split("\r\n")[1:-1]
    assert body and all(line.startswith(("interface", "sysname")) for line in body)
    begin = w.send("display current-configuration | begin user-interface\n")
    assert begin.split("\r\n")[1] == "user-interface vty 0 4"


def test_slow_fault_delays_the_answer(state) -> None:
    """Nothing is written when the line arrives; the answer comes later, in one write."""

    async def run() -> tuple[str, str]:
        w = Wire(state, "LAB-ACC-002")
        state.faults["LAB-ACC-002"] = "slow"
        w.written = asyncio.Event()
        try:
            immediate = w.send("display clock\n")
            await asyncio.wait_for(w.written.wait(), 30)
            return immediate, w.writes[-1]
        finally:
            state.faults.pop("LAB-ACC-002")

    immediate, later = asyncio.run(run())
    assert immediate == ""
    assert later.startswith("display clock\r\n") and later.endswith("<LAB-ACC-002>")


def test_nested_views_edit_firewall_rules(offline_lab) -> None:
    host = offline_lab.first("huawei_vrp", "firewall")

    class Real(Wire):
        def __init__(self) -> None:
            Wire.__init__(self, offline_lab.state, host)

    w = Real()
    w.send("screen-length 0 temporary\n")
    w.send("system-view\n")
    assert w.send("security-policy\n").endswith(f"[{host}-policy-security]")
    assert w.send("rule name LAB-TEST\n").endswith(f"[{host}-policy-security-rule-LAB-TEST]")
    w.send("source-zone trust\n")
    w.send("action deny\n")
    assert w.send("quit\n").endswith(f"[{host}-policy-security]")
    w.send("return\n")
    out = w.send("display current-configuration | begin rule name LAB-TEST\n").split("\r\n")
    assert out[1:4] == [" rule name LAB-TEST", "  source-zone trust", "  action deny"]
    w.send("system-view\n")
    w.send("security-policy\n")
    w.send("undo rule name LAB-TEST\n")
    w.send("return\n")
    assert "LAB-TEST" not in w.send("display current-configuration\n")


def test_a_dialect_bug_answers_an_error_and_keeps_the_session(state, monkeypatch, caplog) -> None:
    w = Wire(state, "LAB-CORE-01")
    dialect = w.s.dialect

    def broken(s, args):
        raise RuntimeError("bug")

    monkeypatch.setattr(dialect, "display_clock", broken)
    out = w.send("display clock\n")
    assert "Error: Unrecognized command" in out and out.endswith("<LAB-CORE-01>")
    assert "display clock" in caplog.text and "LAB-CORE-01" in caplog.text
    assert "ESN of slot 0" in w.send("display esn\n")


def test_last_change_header_moves_only_on_edits(state) -> None:
    device = state.device("LAB-CORE-01")
    w = Wire(state, "LAB-CORE-01")
    w.send("system-view\n")
    before = device.changed_at
    w.send("display current-configuration\n")
    w.send("display this\n")
    w.send("quit\n")
    assert device.changed_at == before
    w.send("system-view\n")
    w.send("snmp-agent sys-info location LAB\n")
    assert device.changed_at > before


def test_the_server_silences_the_finite_field_dh_warning() -> None:
    """FortiGate clients negotiate finite-field DH; its deprecation warning must not
    become an error (filterwarnings=error) should the server run in the test process."""
    from asyncssh.crypto.dh import DH
    from asyncssh.kex_dh import _group14_g, _group14_p
    from cryptography.utils import CryptographyDeprecationWarning

    from netsteward.lab.engine.server import quiet_old_kex

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # stricter than pyproject, which ignores this category
        with pytest.raises(CryptographyDeprecationWarning):
            DH(_group14_g, _group14_p)
        quiet_old_kex()
        ours, theirs = DH(_group14_g, _group14_p), DH(_group14_g, _group14_p)
        assert ours.get_shared(theirs.get_public()) == theirs.get_shared(ours.get_public())
