"""Every secret the lab plants (truth "secrets") is masked in every device's configuration.

Offline: the fleet is generated in-process from the lab's seed; the e2e backup test
checks the same over SSH and through git history.
"""

from __future__ import annotations

import pytest

from netsteward.tasks.core.scrub import SECRET_MARKER, normalise_config


@pytest.fixture(scope="module")
def fleet(lab_fleet):
    return lab_fleet


def test_no_planted_secret_survives(fleet) -> None:
    scrubbed = {d.name: normalise_config(d.platform, d.config) for d in fleet.devices}
    secrets = fleet.truth["secrets"]
    assert secrets, "the lab plants secrets"
    leaks = [(s["host"], s["kind"]) for s in secrets if s["value"] in scrubbed[s["host"]]]
    assert leaks == []
    # every platform that carries secrets shows the marker
    assert {d.platform for d in fleet.devices if SECRET_MARKER in scrubbed[d.name]} == {
        d.platform for d in fleet.devices if any(s["host"] == d.name for s in secrets)
    }


def test_scrubbing_keeps_the_configuration(fleet) -> None:
    for d in fleet.devices[:50]:
        out = normalise_config(d.platform, d.config)
        assert (
            len(out.splitlines())
            >= 0.9 * len([ln for ln in d.config.splitlines() if ln.strip()]) - 5
        )
