"""The Celery engine's pure parts: site settings (one line for a mistake), routing hosts to
queues, shards, and a shard's reply turned into typed outcomes (no host ever lost)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netsteward.tasks.backup.collect import (
    BackupFile,
    BackupOutcome,
    outcome_payload,
    outcomes_from_payload,
)
from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.session import SessionOptions
from netsteward.tasks.distributed.coordinator import ShardDone
from netsteward.tasks.distributed.jobs import options_from_message, options_message, shard_outcomes
from netsteward.tasks.distributed.settings import (
    BROKER_ENV,
    CelerySettings,
    Shard,
    load_engine_settings,
    loopback_only,
    make_shards,
    queue_of,
    redacted,
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "nornir_config.yaml"
    path.write_text("inventory: {plugin: SimpleInventory}\n" + text, encoding="utf-8")
    return path


def test_local_is_the_default_without_any_setting(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(BROKER_ENV, raising=False)
    settings = load_engine_settings(write(tmp_path, ""))
    assert settings.engine == "local"
    assert settings.celery == CelerySettings()


def test_site_settings_and_the_environment(tmp_path, monkeypatch) -> None:
    config = write(
        tmp_path,
        "user_defined:\n  language: zh\n  engine: celery\n  celery:\n"
        "    broker_url: redis://127.0.0.1:6390/1\n"
        "    queues: {egov_intranet: intranet, base: base}\n    shard_size: 10\n",
    )
    monkeypatch.delenv(BROKER_ENV, raising=False)
    site = load_engine_settings(config)
    assert site.engine == "celery"
    assert site.celery.broker_url == "redis://127.0.0.1:6390/1"
    assert site.celery.queues == {"egov_intranet": "intranet", "base": "base"}
    monkeypatch.setenv(BROKER_ENV, "redis://127.0.0.1:7000/0")
    assert load_engine_settings(config, "local").celery.broker_url == "redis://127.0.0.1:7000/0"
    assert load_engine_settings(config, "local").engine == "local"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("user_defined:\n  celery:\n    shard_size: 0\n", ":4: user_defined.celery.shard_size:"),
        ("user_defined:\n  celery:\n    shard_sise: 5\n", ":4: user_defined.celery.shard_sise:"),
        ("user_defined:\n  engine: spark\n", ":3: user_defined.engine:"),
        (
            "user_defined:\n  celery:\n    queues: {base: 'two words'}\n",
            ":4: user_defined.celery.queues:",
        ),
    ],
)
def test_a_bad_setting_is_one_line_with_file_line_field(tmp_path, text, where) -> None:
    with pytest.raises(BadInput) as exc:
        load_engine_settings(write(tmp_path, text))
    assert where in str(exc.value) and "\n" not in str(exc.value)
    assert exc.value.exit_code == 2


def test_an_unknown_engine_option_is_bad_input(tmp_path) -> None:
    with pytest.raises(BadInput, match="--engine"):
        load_engine_settings(write(tmp_path, ""), "spark")


def test_only_loopback_brokers_and_no_password_shown() -> None:
    loopback_only("redis://127.0.0.1:6379/0", "x")
    loopback_only("redis://:secret@127.0.0.2:6379/0", "x")
    with pytest.raises(BadInput) as exc:
        loopback_only("redis://user:secret@10.1.1.1:6379/0", "x")
    assert "secret" not in str(exc.value) and "***" in str(exc.value)
    assert redacted("redis://u:p4ss@127.0.0.1/0") == "redis://u:***@127.0.0.1/0"


ROUTED = CelerySettings(
    queues={"egov_intranet": "intranet", "base": "base"}, default_queue="other", shard_size=2
)


def test_routing_is_data_first_routed_group_wins() -> None:
    assert queue_of(["huawei_vrp", "access", "egov_intranet"], ROUTED) == "intranet"
    assert queue_of(["base", "egov_intranet"], ROUTED) == "intranet"  # the file's order
    assert queue_of(["cisco_ios", "router", "san"], ROUTED) == "other"


def test_shards_per_queue_in_name_order() -> None:
    hosts = {
        "B-2": ["base"],
        "B-1": ["base"],
        "B-3": ["base"],
        "I-1": ["egov_intranet"],
        "S-1": ["san"],
    }
    assert make_shards(hosts, ROUTED) == [
        Shard("base", ("B-1", "B-2")),
        Shard("base", ("B-3",)),
        Shard("intranet", ("I-1",)),
        Shard("other", ("S-1",)),
    ]
    every = [h for s in make_shards(hosts, ROUTED) for h in s.hosts]
    assert sorted(every) == sorted(hosts)  # each host in exactly one shard


def test_a_host_no_queue_takes_is_bad_input() -> None:
    strict = ROUTED.model_copy(update={"default_queue": None})
    with pytest.raises(BadInput, match="S-1"):
        make_shards({"S-1": ["san"]}, strict)


def test_outcomes_round_trip_through_json() -> None:
    import json

    outcome = BackupOutcome(
        "B-1", "huawei_vrp", ok=True, files=(BackupFile("base/access/B-1.cfg", "sysname B-1\n"),)
    )
    wire = json.loads(json.dumps([outcome_payload(outcome)]))
    assert outcomes_from_payload(wire) == [outcome]


def test_a_shard_reply_never_loses_a_host() -> None:
    shard = Shard("base", ("B-1", "B-2", "B-3"))
    ok = BackupOutcome("B-1", "huawei_vrp", ok=True, files=(BackupFile("p", "t\n"),), changed=True)
    stranger = BackupOutcome("X-9", "huawei_vrp", ok=True)
    got = shard_outcomes(
        ShardDone(shard, [outcome_payload(ok), outcome_payload(stranger)]), {"B-2": "hp_comware"}
    )
    assert sorted(got) == ["B-1", "B-2", "B-3"]  # the stranger is ignored
    assert got["B-1"].ok and not got["B-1"].changed  # the coordinator judges
    assert not got["B-2"].ok and got["B-2"].platform == "hp_comware"
    none = shard_outcomes(ShardDone(shard, None, "unreachable", "no worker"), {})
    assert {o.failure for o in none.values()} == {"unreachable"}
    assert {o.reason for o in none.values()} == {"no worker"}
    bad = shard_outcomes(ShardDone(shard, [{"host": 1}]), {})
    assert all(not o.ok and "does not validate" in (o.reason or "") for o in bad.values())


def test_run_options_travel_as_json_without_credentials() -> None:
    message = options_message(SessionOptions(timeout=30, retries=1), 20)
    assert set(message) == {"timeout", "retries", "backoff", "workers"}
    options, workers = options_from_message(message)
    assert (options.timeout, options.retries, workers) == (30.0, 1, 20)


def test_a_drift_shard_reply_never_loses_a_host() -> None:
    from netsteward.tasks.distributed.jobs import shard_reads
    from netsteward.tasks.drift.collect import LiveRead, live_payload, lives_from_payload

    read = LiveRead("B-1", {"cfg": "sysname B-1\n"}, {"cfg": "base/access/B-1.cfg"})
    stranger = LiveRead("X-9", {}, {})
    assert lives_from_payload([live_payload(read)]) == [read]
    shard = Shard("base", ("B-1", "B-2", "B-3"))
    reply = {"reads": [live_payload(read), live_payload(stranger)], "failed": {"B-2": "raised"}}
    reads, failed = shard_reads(ShardDone(shard, reply))
    assert reads == {"B-1": read}
    assert failed == {"B-2": "raised", "B-3": "the worker returned no result for this device"}
    reads, failed = shard_reads(ShardDone(shard, None, "unreachable", "no worker on base"))
    assert reads == {} and failed == dict.fromkeys(shard.hosts, "no worker on base")
    reads, failed = shard_reads(ShardDone(shard, ["not", "a", "mapping"]))
    assert reads == {} and all("does not validate" in r for r in failed.values())
