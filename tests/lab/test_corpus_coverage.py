"""Every platform and command of the ntc-templates corpus has a realism test (issue 2).

The realism tests read parsed samples copied into this repository
(`realism_samples/` for the SSH round in test_realism.py, `engine_samples/` for the
offline per-platform tests). This test holds that list against the corpus itself
(`../shared/corpus/ntc-templates`, beside the checkout), so a command the corpus
covers cannot be left out silently. Without the corpus beside the checkout it skips.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent
CORPUS = HERE.parents[2] / "shared" / "corpus" / "ntc-templates"
COPIES = (HERE / "realism_samples", HERE / "engine_samples")


def corpus_pairs() -> set[tuple[str, str]]:
    return {
        (d.parent.name, d.name) for d in CORPUS.glob("*/*") if d.is_dir() and any(d.glob("*.raw"))
    }


def copied_pairs() -> set[tuple[str, str]]:
    return {(p.parent.name, p.stem) for root in COPIES for p in root.glob("*/*.yml")}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no ../shared/corpus beside the checkout")
def test_every_corpus_command_has_a_copied_sample() -> None:
    missing = sorted(corpus_pairs() - copied_pairs())
    assert not missing, f"corpus commands without a realism test: {missing}"


def test_copied_samples_name_corpus_commands() -> None:
    """Each copy is named after its corpus folder (platform/command with `_` for spaces)."""
    pairs = copied_pairs()
    assert pairs
    if CORPUS.is_dir():
        assert pairs <= corpus_pairs()
