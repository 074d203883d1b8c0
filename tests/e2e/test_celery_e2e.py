"""`netsteward backup --engine celery` end to end: a real redis-server on a loopback port,
real `netsteward worker` processes, SSH to the session's lab (36 devices of every network
and platform: `--hosts 'YM-*-0[1-2]'`).

The story of issue 16's "Done when": the repository after a Celery run is byte-identical
to a local run's; a queue with no worker costs its devices only (unreachable, with the
reason); a broker that is down is one line, exit 3, nothing written; a worker SIGKILLed
mid-shard loses nothing and commits nothing twice. The read jobs on the same parts:
`drift`, `topology snapshot` and `inspect` on Celery report what the local runs report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import git
import pytest
import yaml
from celery_parts import ROOT, free_port, start_redis, start_worker

from netsteward.tasks.distributed.settings import CelerySettings, make_shards

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SELECTION = "YM-*-0[1-2]"
RUN_DATE = "2026-12-01"
NETWORKS = ("base", "device_net", "egov_extranet", "egov_intranet", "san")


@pytest.fixture(scope="module")
def redis(tmp_path_factory):
    server = start_redis(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def state(lab, redis, tmp_path_factory) -> dict[str, Any]:
    return {"lab": lab, "redis": redis, "work": tmp_path_factory.mktemp("celery")}


def site_config(state: dict[str, Any], name: str, **celery: Any) -> Path:
    """The lab's Nornir configuration with the Celery engine's site settings."""
    data = yaml.safe_load(state["lab"].config.read_text(encoding="utf-8"))
    data["user_defined"] = {
        "celery": {"queues": {n: n for n in NETWORKS}, "default_queue": None, **celery}
    }
    path = state["work"] / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def env(state: dict[str, Any], broker: str | None = None) -> dict[str, str]:
    out = dict(os.environ)
    out["NETSTEWARD_BROKER_URL"] = broker or state["redis"].url
    return out


def backup_args(config: Path, repo: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "netsteward.playbooks.cli", "backup", "--config", str(config),
        "--repo", str(repo), "--json", "--hosts", SELECTION, "--date", RUN_DATE, *extra,
    ]  # fmt: skip


def backup(
    state: dict[str, Any], config: Path, repo: Path, *extra: str, broker: str | None = None
) -> tuple[int, dict[str, Any] | None, str]:
    proc = subprocess.run(
        backup_args(config, repo, *extra),
        capture_output=True,
        text=True,
        env=env(state, broker),
        cwd=ROOT,
        timeout=1800,
    )
    return proc.returncode, json.loads(proc.stdout) if proc.stdout.strip() else None, proc.stderr


def tree(repo: Path) -> dict[str, bytes]:
    """Every file of the repository's last commit, path -> bytes."""
    r = git.Repo(repo)
    return {
        b.path: b.data_stream.read()
        for b in r.head.commit.tree.traverse()
        if isinstance(b, git.Blob)
    }


def selected(state: dict[str, Any]) -> dict[str, list[str]]:
    """The selection's hosts -> groups, from the lab's inventory."""
    cfg = yaml.safe_load(state["lab"].config.read_text(encoding="utf-8"))
    hosts = yaml.safe_load(Path(cfg["inventory"]["options"]["host_file"]).read_text())
    import fnmatch

    return {h: v["groups"] for h, v in hosts.items() if fnmatch.fnmatchcase(h, SELECTION)}


@pytest.fixture(scope="module")
def local(state: dict[str, Any]) -> dict[str, Any]:
    """The same selection backed up by the local engine: what every Celery run must equal."""
    repo = state["work"] / "local"
    code, summary, err = backup(state, site_config(state, "local"), repo)
    assert code == 0 and summary is not None, err
    assert summary["counts"]["backed_up"] == len(selected(state)) == 36
    message = next(git.Repo(repo).iter_commits()).message
    return {"summary": summary, "tree": tree(repo), "message": message}


def test_celery_backup_is_byte_identical_to_local(
    state: dict[str, Any], local: dict[str, Any]
) -> None:
    config = site_config(state, "identical", shard_size=8)
    worker = start_worker(config, list(NETWORKS), env(state), state["work"] / "w-identical.log")
    try:
        celery_repo = state["work"] / "celery"
        code, summary, err = backup(state, config, celery_repo, "--engine", "celery")
    finally:
        worker.stop()
    assert code == 0 and summary is not None, err
    assert summary["counts"] == local["summary"]["counts"]
    assert tree(celery_repo) == local["tree"]
    commits = list(git.Repo(celery_repo).iter_commits())
    assert len(commits) == 1
    assert commits[0].message == local["message"]
    # five queues, shards of at most 8: the worker ran more than one shard
    assert worker.text().count("backup shard done") == len(
        make_shards(selected(state), CelerySettings(queues={n: n for n in NETWORKS}, shard_size=8))
    )


def test_queue_without_worker_reports_its_devices_unreachable(
    state: dict[str, Any], local: dict[str, Any]
) -> None:
    # 15 s: long enough that a loaded machine's slow control replies from the live worker
    # never look like a missing one; the san queue really has none
    config = site_config(state, "no-san-worker", shard_size=8, queue_wait=15)
    busy = [n for n in NETWORKS if n != "san"]
    worker = start_worker(config, busy, env(state), state["work"] / "w-nosan.log")
    try:
        repo = state["work"] / "nosan"
        code, summary, err = backup(state, config, repo, "--engine", "celery")
    finally:
        worker.stop()
    assert code == 3 and summary is not None, err
    san = sorted(h for h, groups in selected(state).items() if "san" in groups)
    assert [f["host"] for f in summary["failed"]] == san
    assert {f["failure"] for f in summary["failed"]} == {"unreachable"}
    assert all("no worker consumes queue san" in f["reason"] for f in summary["failed"])
    assert summary["counts"]["backed_up"] == 36 - len(san)
    files = tree(repo)
    assert not [p for p in files if p.startswith("san/")]
    assert {p: b for p, b in local["tree"].items() if not p.startswith("san/")} == files


def test_broker_down_is_one_line_exit_3_nothing_written(state: dict[str, Any]) -> None:
    config = site_config(state, "broker-down")
    repo = state["work"] / "broker-down"
    dead = f"redis://127.0.0.1:{free_port()}/0"
    code, summary, err = backup(state, config, repo, "--engine", "celery", broker=dead)
    assert code == 3
    assert summary is not None and summary["exit_code"] == 3
    assert "does not answer" in summary["error"]["message"]
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "does not answer" in lines[0] and "nothing written" in lines[0]
    assert not repo.exists()


def test_worker_killed_mid_shard_loses_nothing(
    state: dict[str, Any], local: dict[str, Any]
) -> None:
    lab = state["lab"]
    config = site_config(state, "kill", shard_size=6, visibility_timeout=10, queue_wait=300)
    shards = make_shards(
        selected(state), CelerySettings(queues={n: n for n in NETWORKS}, shard_size=6)
    )
    slow = shards[1].hosts[0]  # a shard that is not the first: the worker is surely busy by then
    size = len(shards[1].hosts)
    assert lab.cli("fault", slow, "slow").returncode == 0
    first = start_worker(config, list(NETWORKS), env(state), state["work"] / "w-kill-1.log")
    repo = state["work"] / "killed"
    run = subprocess.Popen(
        backup_args(config, repo, "--engine", "celery"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(state),
        cwd=ROOT,
    )
    second = None
    try:
        first.wait_for(f"backup shard started: {size} hosts (first {slow})")
        first.kill()
        assert f"backup shard done: {size} hosts (first {slow})" not in first.text()
        lab.cli("fault", slow, "clear")
        second = start_worker(config, list(NETWORKS), env(state), state["work"] / "w-kill-2.log")
        out, err = run.communicate(timeout=1800)
    finally:
        lab.cli("fault", slow, "clear")
        if run.poll() is None:
            run.kill()
        first.kill()
        if second is not None:
            second.stop()
    assert run.returncode == 0, err
    summary = json.loads(out)
    assert summary["counts"]["backed_up"] == 36 and summary["counts"]["failed"] == 0
    assert f"backup shard done: {size} hosts (first {slow})" in second.text()
    assert tree(repo) == local["tree"]
    commits = list(git.Repo(repo).iter_commits())
    assert len(commits) == 1
    assert commits[0].message.startswith(f"backup {RUN_DATE}: 36 of 36 devices backed up")


def test_drift_on_celery_reports_what_the_local_check_reports(
    state: dict[str, Any], local: dict[str, Any]
) -> None:
    config = site_config(state, "drift", shard_size=8)
    approved = state["work"] / "local"  # the local backup is the approved state
    args = [sys.executable, "-m", "netsteward.playbooks.cli", "drift", "--config", str(config),
            "--repo", str(approved), "--json", "--hosts", SELECTION]  # fmt: skip

    def check(*extra: str) -> tuple[int, dict[str, Any]]:
        proc = subprocess.run(
            [*args, *extra], capture_output=True, text=True, env=env(state), cwd=ROOT, timeout=1800
        )
        assert proc.stdout.strip(), proc.stderr
        doc = json.loads(proc.stdout)
        doc.pop("checked_at", None)
        return proc.returncode, doc

    here = check()
    worker = start_worker(config, list(NETWORKS), env(state), state["work"] / "w-drift.log")
    try:
        there = check("--engine", "celery")
    finally:
        worker.stop()
    assert here[0] in (0, 1), here[1]
    assert there == here
    assert worker.text().count("drift shard done") == len(
        make_shards(selected(state), CelerySettings(queues={n: n for n in NETWORKS}, shard_size=8))
    )


# -- the read-only jobs: topology snapshot and inspection -------------------------------
# One worker on every queue for both (module scope, started by the first of these tests
# and stopped at the module's end: the tests above run their own workers and are done).


@pytest.fixture(scope="module")
def reader(state: dict[str, Any]) -> dict[str, Any]:
    config = site_config(state, "readers", shard_size=8)
    worker = start_worker(config, list(NETWORKS), env(state), state["work"] / "w-readers.log")
    yield {"config": config, "worker": worker}
    worker.stop()


def cli(state: dict[str, Any], *args: str) -> tuple[int, dict[str, Any]]:
    """`netsteward ARGS --json --hosts SELECTION` -> (exit code, the JSON document)."""
    proc = subprocess.run(
        [sys.executable, "-m", "netsteward.playbooks.cli", *args, "--json", "--hosts", SELECTION],
        capture_output=True,
        text=True,
        env=env(state),
        cwd=ROOT,
        timeout=1800,
    )
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def shards_of(state: dict[str, Any]) -> int:
    return len(
        make_shards(selected(state), CelerySettings(queues={n: n for n in NETWORKS}, shard_size=8))
    )


def test_topology_snapshot_on_celery_equals_the_local_one(
    state: dict[str, Any], reader: dict[str, Any]
) -> None:
    """The snapshot file is byte-identical (same --date); of the summary only `file` (each
    run its own repository) and `seconds` (wall time) differ."""
    docs = {}
    for engine in ("local", "celery"):
        repo = state["work"] / f"topology-{engine}"
        args = ["topology", "snapshot", "--config", str(reader["config"]), "--repo", str(repo)]
        code, doc = cli(state, *args, "--date", RUN_DATE, "--engine", engine)
        assert code == 0, doc
        docs[engine] = doc
    here, there = docs["local"], docs["celery"]
    assert Path(there["file"]).read_bytes() == Path(here["file"]).read_bytes()
    for doc in (here, there):
        doc.pop("file"), doc.pop("seconds")
    assert there == here
    assert here["counts"]["links"] > 0 and here["counts"]["unreachable"] == 0
    assert reader["worker"].text().count("topology shard done") == shards_of(state)


def timeless(doc: dict[str, Any]) -> None:
    """An inspection's JSON without its time and place (see below)."""
    for key in ("date", "started", "seconds", "files"):
        doc.pop(key)
    for finding in doc["findings"]:
        if finding["check"] == "uptime":
            for key in ("value", "evidence", "message"):
                finding.pop(key)


def test_inspection_on_celery_gives_the_local_findings(
    state: dict[str, Any], reader: dict[str, Any]
) -> None:
    """The same findings, counts and unreachable list; what differs is time and place only:
    `date`, `started` (when each run began), `seconds` (wall time), `files` (each run its
    own --out and repository), and of an uptime finding its `value`, `evidence` and
    `message` (the device's clock and uptime at the moment it was read, e.g. `22:46:26 up 0
    days, 2:17`, and "rebooted 2.3 h ago": the two runs read it seconds apart).
    Each run has a repository of its own, so neither has a previous inspection. Then a
    queue without a worker: its devices are unreachable findings on the sheet."""
    docs = {}
    for engine in ("local", "celery"):
        work = state["work"] / f"inspect-{engine}"
        args = ["inspect", "--config", str(reader["config"]), "--repo", str(work / "configs")]
        code, doc = cli(state, *args, "--out", str(work / "out"), "--engine", engine)
        assert code == 1, doc  # the lab's planted anomalies
        assert Path(doc["files"]["xlsx"]).exists()
        docs[engine] = doc
    here, there = docs["local"], docs["celery"]
    for doc in (here, there):
        timeless(doc)
    assert there == here
    assert here["counts"]["read"] == 36 and here["findings"]
    assert reader["worker"].text().count("inspect shard done") == shards_of(state)

    # the san devices' queue has no worker: each is a `reachable` finding with the reason,
    # the others' findings are the local run's
    nobody = {**{n: n for n in NETWORKS}, "san": "nobody"}
    config = site_config(state, "inspect-nosan", shard_size=8, queue_wait=15, queues=nobody)
    work = state["work"] / "inspect-nosan"
    args = ["inspect", "--config", str(config), "--repo", str(work / "configs")]
    code, doc = cli(state, *args, "--out", str(work / "out"), "--engine", "celery")
    assert code == 3, doc
    timeless(doc)
    san = sorted(h for h, groups in selected(state).items() if "san" in groups)
    assert [u["host"] for u in doc["unreachable"]] == san
    assert all("no worker consumes queue nobody" in u["reason"] for u in doc["unreachable"])
    lost = [f for f in doc["findings"] if f["host"] in san]
    assert sorted(f["host"] for f in lost) == san and {f["check"] for f in lost} == {"reachable"}
    kept = [f for f in doc["findings"] if f["host"] not in san]
    assert kept == [f for f in here["findings"] if f["host"] not in san]


@pytest.mark.parametrize(
    "job",
    [
        ["topology", "snapshot"],
        ["inspect"],
        ["normalize", "plan"],
    ],
    ids=["topology", "inspect", "normalize-plan"],
)
def test_broker_down_stops_every_read_job_before_anything_is_written(
    state: dict[str, Any], job: list[str]
) -> None:
    """A broker that does not answer: one line, exit 3, and neither the repository nor an
    output file exists (the broker is checked before any device is read or file written)."""
    config = site_config(state, "broker-down-" + "-".join(job))
    work = state["work"] / ("down-" + "-".join(job))
    out = ["--out", str(work / "out")] if job != ["topology", "snapshot"] else []
    args = [
        sys.executable, "-m", "netsteward.playbooks.cli", *job, "--config", str(config),
        "--repo", str(work / "configs"), *out, "--engine", "celery", "--json",
        "--hosts", SELECTION,
    ]  # fmt: skip
    proc = subprocess.run(
        args,
        capture_output=True,
        text=True,
        env=env(state, f"redis://127.0.0.1:{free_port()}/0"),
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 3, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "does not answer" in lines[0], proc.stderr
    assert json.loads(proc.stdout)["exit_code"] == 3
    assert not work.exists()
