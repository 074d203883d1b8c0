"""Every corpus command the lab imitates has a realism sample, and every sample names one.

The realism tests read parsed samples copied into this repository (`realism_samples/`
for the SSH round in test_realism.py, `engine_samples/` for the offline per-platform
tests). `corpus_commands.txt` lists the ntc-templates corpus commands the lab covers
(`platform/command`, as the corpus folders are named), so a sample cannot be dropped or
misnamed silently; the corpus itself lives outside the repository and is not read here.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
COPIES = (HERE / "realism_samples", HERE / "engine_samples")


def listed_pairs() -> set[tuple[str, str]]:
    lines = (HERE / "corpus_commands.txt").read_text(encoding="utf-8").splitlines()
    rows = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    pairs = {tuple(row.split("/", 1)) for row in rows}
    assert len(pairs) == len(rows), "a command is listed twice"
    return {(p, c) for p, c in pairs}


def copied_pairs() -> set[tuple[str, str]]:
    return {(p.parent.name, p.stem) for root in COPIES for p in root.glob("*/*.yml")}


def test_every_listed_corpus_command_has_a_copied_sample() -> None:
    missing = sorted(listed_pairs() - copied_pairs())
    assert not missing, f"corpus commands without a realism sample: {missing}"


def test_copied_samples_name_listed_corpus_commands() -> None:
    """Each copy is named after its corpus folder (platform/command with `_` for spaces)."""
    pairs = copied_pairs()
    assert len(pairs) > 100
    assert not sorted(pairs - listed_pairs()), "a sample that is not a listed corpus command"
