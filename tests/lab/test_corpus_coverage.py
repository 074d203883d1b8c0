"""Every platform and command of the ntc-templates corpus has a realism test (issue 2).

The realism tests read parsed samples copied into this repository
(`realism_samples/` for the SSH round in test_realism.py, `engine_samples/` for the
offline per-platform tests). This test holds that list against the corpus itself
(`tests/corpus/ntc-templates`, the copy of the shared corpus kept in this repository, see
tests/NOTICE), so a command the corpus covers cannot be left out silently.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
CORPUS = HERE.parent / "corpus" / "ntc-templates"
COPIES = (HERE / "realism_samples", HERE / "engine_samples")
# Cisco IOS device-health outputs (and `show ap cdp neighbors`) the corpus gained on
# 2026-12-07 for the daily inspection: the lab learns to print them with that job (the
# `inspect` helper); until then they are known to have no realism test.
PENDING = {
    ("cisco_ios", name)
    for name in (
        "show_alert_counters",
        "show_ap_cdp_neighbors",
        "show_controller_t1",
        "show_environment_power_all",
        "show_environment_temperature",
        "show_interface_transceiver",
        "show_interfaces_status_err-disabled",
        "show_module",
        "show_platform",
        "show_platform_diag",
        "show_power_available",
        "show_power_status",
        "show_power_supplies",
        "show_power_used",
        "show_processes_memory_sorted",
        "show_redundancy",
        "show_stack-power",
        "show_switch_detail",
    )
}


def corpus_pairs() -> set[tuple[str, str]]:
    return {
        (d.parent.name, d.name) for d in CORPUS.glob("*/*") if d.is_dir() and any(d.glob("*.raw"))
    }


def copied_pairs() -> set[tuple[str, str]]:
    return {(p.parent.name, p.stem) for root in COPIES for p in root.glob("*/*.yml")}


def test_every_corpus_command_has_a_copied_sample() -> None:
    assert CORPUS.is_dir()
    missing = sorted(corpus_pairs() - copied_pairs() - PENDING)
    assert not missing, f"corpus commands without a realism test: {missing}"


def test_copied_samples_name_corpus_commands() -> None:
    """Each copy is named after its corpus folder (platform/command with `_` for spaces)."""
    pairs = copied_pairs()
    assert pairs
    assert pairs <= corpus_pairs()
