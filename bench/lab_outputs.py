"""The lab's job outputs as digests: do backups, snapshots, plans and findings stay byte for byte?

Starts its own lab on free ports, runs against all 739 devices with fixed dates:
`backup`, `topology snapshot`, `normalize plan` (live and `--offline`), `audit firewall`
and `drift` (live, against the backup just taken), then prints one sha256 per output:
every file of the backup repository's work tree (the snapshot is one of them), the
backup commit's message, the two plans (without `created_at`/`created_by`), the audit's
and the drift check's `--json` (without times). Used before and after a change to the
device layer or the repository layer:

    .venv/bin/python bench/lab_outputs.py --save build/outputs-before.json
    .venv/bin/python bench/lab_outputs.py --compare build/outputs-before.json

`--compare` prints every output that differs and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import lab, netsteward, write_config

# fields that name the moment or the person, not the network
VOLATILE = {"created_at", "created_by", "checked_at", "seconds", "repo", "commit", "approved"}
_ADDRESS = re.compile(r"127\.0\.0\.1:(\d+)")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _unported(data: bytes, base: int) -> bytes:
    """Lab addresses relative to the lab's base port (the snapshot records `mgmt` addresses)."""
    text = data.decode("utf-8")
    return _ADDRESS.sub(lambda m: f"127.0.0.1:+{int(m.group(1)) - base}", text).encode()


def _strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k not in VOLATILE}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


def _json_digest(text: str) -> str:
    return _sha(json.dumps(_strip(json.loads(text)), sort_keys=True).encode())


def start(work: Path) -> tuple[Path, int]:
    state = work / "state"
    for _ in range(8):
        base = random.randrange(12000, 30000 - 800)
        proc = lab(state, "start", "--base-port", str(base))
        if proc.returncode == 0:
            return state, base
    raise SystemExit("lab did not start")


def run(work: Path, keep: Path | None = None) -> dict[str, str]:
    state, base = start(work)
    out: dict[str, str] = {}
    try:
        cfg = str(write_config(work, base, state))
        repo = work / "configs"
        common = ["--config", cfg, "--repo", str(repo)]
        steps = {
            "backup": ["backup", "--date", "2026-03-01", "--json", *common],
            "snapshot": ["topology", "snapshot", "--date", "2026-03-02", "--json", *common],
            "plan-live": [
                "normalize", "plan", "--out", str(work / "plan-live.json"), "--json", *common
            ],
            "plan-offline": [
                "normalize", "plan", "--offline", "--out", str(work / "plan-offline.json"),
                "--json", *common,
            ],
            "audit": ["audit", "firewall", "--as-of", "2026-03-03", "--json", *common],
            "drift": ["drift", "--as-of", "2026-03-03", "--json", *common],
        }  # fmt: skip
        for name, args in steps.items():
            seconds, proc = netsteward(*args)
            print(f"{name:>13}: exit {proc.returncode} in {seconds:.1f} s", file=sys.stderr)
            out[f"exit:{name}"] = str(proc.returncode)
            if name in ("audit", "drift"):
                out[f"json:{name}"] = _json_digest(_unported(proc.stdout.encode(), base).decode())
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
                (keep / f"{name}.stdout").write_text(proc.stdout)
                (keep / f"{name}.stderr").write_text(proc.stderr)
        for kind in ("live", "offline"):
            out[f"plan:{kind}"] = _json_digest((work / f"plan-{kind}.json").read_text())
        log = subprocess.run(
            ["git", "-C", str(repo), "log", "--format=%B%x00", "--reverse"],
            capture_output=True,
            text=True,
            check=True,
        )
        for i, message in enumerate(m.strip() for m in log.stdout.split("\0") if m.strip()):
            out[f"commit:{i}"] = _sha(message.encode())
        for path in sorted(repo.rglob("*")):
            rel = path.relative_to(repo).as_posix()
            if path.is_file() and not rel.startswith(".git/"):
                out[f"file:{rel}"] = _sha(_unported(path.read_bytes(), base))
        if keep is not None:
            shutil.rmtree(keep / "configs", ignore_errors=True)
            shutil.copytree(repo, keep / "configs")
            for kind in ("live", "offline"):
                shutil.copy(work / f"plan-{kind}.json", keep)
    finally:
        lab(state, "stop")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--save", type=Path, help="write the digests here")
    ap.add_argument("--compare", type=Path, help="compare with digests saved earlier")
    ap.add_argument("--keep", type=Path, help="also copy the outputs into this folder")
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="netsteward-outputs-") as tmp:
        digests = run(Path(tmp), opts.keep)
    files = sum(1 for k in digests if k.startswith("file:"))
    print(f"{len(digests)} outputs ({files} files in the backup repository)")
    if opts.save:
        opts.save.parent.mkdir(parents=True, exist_ok=True)
        opts.save.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
        print(f"saved to {opts.save}")
    if opts.compare:
        before = json.loads(opts.compare.read_text())
        differ = sorted(
            k for k in before.keys() | digests.keys() if before.get(k) != digests.get(k)
        )
        for key in differ:
            print(f"differs: {key}")
        print(f"{len(differ)} of {len(before.keys() | digests.keys())} outputs differ")
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
