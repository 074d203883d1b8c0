"""The running configuration against the saved one (Comware, ASA) and Hillstone's HA gap:
on real configurations (the ASA 5512 capture of ytti/oxidized, tests/NOTICE) and the
project's Comware 7 sample, with the saved text made from them as the device would print
it after a save (its own `: Written by` and checksum lines) or before the last change."""

from __future__ import annotations

from pathlib import Path

import pytest

from netsteward.tasks.core.reading import Reading
from netsteward.tasks.inspect.judge import DeviceReading, DisplayRead, judge
from netsteward.tasks.inspect.model import UNREAD, DeviceResult, Fact
from netsteward.tasks.inspect.policy import load_policy
from netsteward.tasks.inspect.readers.firewalls import stoneos_ha
from netsteward.tasks.inspect.readers.saved import compare

ROOT = Path(__file__).resolve().parents[3]
ASA = (ROOT / "tests" / "golden" / "cisco_asa" / "asa5512_9_12.raw").read_text(encoding="utf-8")
COMWARE = (ROOT / "tests" / "golden" / "hp_comware" / "s5130_7_1_full.raw").read_text(
    encoding="utf-8"
)
COMWARE_SNIPPET = (ROOT / "tests" / "golden" / "hp_comware" / "s5130_7_1_snippet.raw").read_text(
    encoding="utf-8"
)
ASA_SAVED = "show startup-config"
COMWARE_SAVED = "display saved-configuration"


def _asa_saved(text: str) -> str:
    """The same configuration as `show startup-config` prints it after another save: its
    own writer and time, its own checksum."""
    out = []
    for line in text.split("\n"):
        if line.startswith(": Written by "):
            line = ": Written by enable_15 at 09:12:44.120 CST Mon Dec 7 2026"
        elif line.startswith("Cryptochecksum:"):
            line = "Cryptochecksum:0123456789abcdef0123456789abcdef"
        out.append(line)
    return "\n".join(out)


def _without(text: str, prefix: str) -> str:
    lines = text.split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith(prefix))
    return "\n".join(lines[:at] + lines[at + 1 :])


def test_asa_saved_when_only_the_comment_and_checksum_lines_differ() -> None:
    assert ": Written by" in ASA and "Cryptochecksum:" in ASA
    reading = compare("cisco_asa", ASA, _asa_saved(ASA), ASA_SAVED)
    assert not reading.warnings
    [fact] = reading.records
    assert (fact.check, fact.value, fact.state) == ("config_saved", "saved", "ok")


def test_asa_unsaved_line_is_the_evidence_with_its_line_number() -> None:
    saved = _asa_saved(_without(ASA, "domain-name "))
    [fact] = compare("cisco_asa", ASA, saved, ASA_SAVED).records
    assert (fact.value, fact.state) == ("unsaved", "failed")
    assert fact.evidence == "+ domain-name lab"
    assert ASA.split("\n")[fact.line - 1] == "domain-name lab"
    assert fact.get("differing_lines") == 1 and fact.get("saved_command") == ASA_SAVED


def test_a_line_only_the_saved_configuration_has_is_marked_minus() -> None:
    running = _without(ASA, "domain-name ")
    [fact] = compare("cisco_asa", running, _asa_saved(ASA), ASA_SAVED).records
    assert fact.value == "unsaved" and fact.evidence == "- domain-name lab" and fact.line == 0


def test_a_changed_secret_is_reported_without_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the backup's fingerprint key a changed password differs; the evidence carries
    the marker, never the hash or its fingerprint."""
    monkeypatch.setenv("NETSTEWARD_SECRET_KEY", "test-key")
    old = next(ln for ln in ASA.split("\n") if ln.startswith("enable password "))
    secret = old.split()[2]
    running = ASA.replace(old, old.replace(secret, "$sha512$5000$ZZZZNEWHASHZZZZ"))
    [fact] = compare("cisco_asa", running, _asa_saved(ASA), ASA_SAVED).records
    assert fact.value == "unsaved"
    assert fact.evidence.startswith("+ enable password <removed>")
    assert "ZZZZ" not in fact.evidence and secret not in fact.evidence
    assert "hmac" not in fact.evidence


@pytest.mark.parametrize(
    ("saved", "problem", "kind"),
    [
        ("", "no saved configuration printed", "nothing"),
        ("ERROR: % Invalid input detected at '^' marker.\n", "could not be read", "partial"),
        ("\n".join(ASA.split("\n")[:40]) + "\n", "truncated", "partial"),
        (None, "not given", "nothing"),
    ],
    ids=["empty", "refused", "truncated", "missing"],
)
def test_a_saved_configuration_that_cannot_be_read_is_a_gap_never_saved(
    saved: str | None, problem: str, kind: str
) -> None:
    reading = compare("cisco_asa", ASA, saved, ASA_SAVED)
    assert reading.records == ()
    [warning] = reading.warnings
    assert problem in warning.problem and warning.kind == kind


def test_comware_saved_and_unsaved() -> None:
    assert compare("hp_comware", COMWARE, COMWARE, COMWARE_SAVED).records[0].value == "saved"
    # Comware prints the clock on top of some displays: volatile, not a difference
    with_clock = "2026-12-07 09:00:00\n" + COMWARE
    assert compare("hp_comware", with_clock, COMWARE, COMWARE_SAVED).records[0].value == "saved"
    saved = _without(COMWARE, " sysname ")
    [fact] = compare("hp_comware", COMWARE, saved, COMWARE_SAVED).records
    assert fact.value == "unsaved" and fact.evidence.startswith("+ sysname ")


def test_comware_secret_lines_never_reach_the_evidence() -> None:
    line = next(ln for ln in COMWARE.split("\n") if " password hash " in ln)
    saved = _without(COMWARE, line)
    [fact] = compare("hp_comware", COMWARE, saved, COMWARE_SAVED).records
    assert fact.evidence == "+ password hash <removed>"


def test_a_running_configuration_that_is_not_complete_is_a_gap() -> None:
    """The real Comware capture of oxidized is a snippet without `return`: not a whole
    configuration, so nothing is concluded from it."""
    reading = compare("hp_comware", COMWARE_SNIPPET, COMWARE, COMWARE_SAVED)
    assert reading.records == () and "running configuration could not be read" in str(
        reading.warnings[0]
    )


def test_unsaved_is_a_finding_and_an_unread_saved_configuration_an_unread_check() -> None:
    rules = load_policy(ROOT / "policy" / "inspection.yaml").for_device(
        "FW1", "cisco_asa", "firewall"
    )
    saved = _asa_saved(_without(ASA, "domain-name "))
    ok = compare("cisco_asa", ASA, saved, ASA_SAVED)
    gap = compare("cisco_asa", ASA, "", ASA_SAVED)

    def result(reading: Reading[Fact]) -> DeviceResult:
        d = DisplayRead(
            "inspect.config_saved", "show running-config", reading.records, reading.warnings
        )
        at = "2026-12-07T09:00:00"
        return judge(
            DeviceReading("FW1", "cisco_asa", "firewall", "F01", displays=(d,), read_at=at), rules
        )

    found = result(ok)
    [f] = found.findings
    assert (f.check, f.severity, f.evidence) == ("config_saved", "minor", "+ domain-name lab")
    assert found.checks["config_saved"].status == "minor"
    unread = result(gap)
    assert unread.checks["config_saved"].status == UNREAD and unread.gaps == 1


HILLSTONE = """\
hostname FW-HS-01
admin user "netops"
  password hashed "$1$abcdefgh$IJKLMNOPQRSTUVWXYZabcd"
exit
{ha}
interface ethernet0/0
  zone "trust"
exit
end
"""


def test_hillstone_without_ha_is_not_configured() -> None:
    reading = stoneos_ha(HILLSTONE.format(ha="ntp server 192.0.2.241"))
    assert not reading.warnings and reading.records[0].value == "not configured"


def test_hillstone_with_ha_configured_is_a_gap_on_its_ha_line() -> None:
    reading = stoneos_ha(HILLSTONE.format(ha="ha link interface ethernet0/5\nha cluster 1"))
    assert reading.records == ()
    [warning] = reading.warnings
    assert warning.line == 6 and warning.text == "ha cluster 1"
    assert "HA configured but its state is not read" in warning.problem


def test_hillstone_configuration_cut_short_is_a_gap() -> None:
    cut = HILLSTONE.format(ha="").replace("end\n", "")
    assert stoneos_ha(cut).warnings and not stoneos_ha(cut).records
    assert stoneos_ha("").warnings
