"""The built-in fleet, built once per seed and generator version and kept on disk.

Building the 739-device fleet costs about 0.9 s of CPU (the firewalls' 9,509 rules, the
hardening deviations), and `lab start`, `lab inventory`, `lab ledger`, `lab truth`
without a running lab and the tests build the same fleet again and again; a pickle of it
loads in about 50 ms. The key is the seed, the number of buildings, the Python version
and the text of every module the generator is made of (`lab/fleet/*.py` and `lab/model.py`,
which import nothing else of the project), so any change to the
generator builds anew.

The files live in `fleet-cache/` of the default lab directory ($NETSTEWARD_LAB_DIR or
`.lab/`, which git ignores), or in $NETSTEWARD_LAB_CACHE; they are written whole (a
temporary file renamed into place) and read only by the lab; one that cannot be read is
built again, and the files of an earlier generator are removed when a new one is written.
`NETSTEWARD_LAB_CACHE=off` builds every time. Written here because the fleet is the lab's
own data: no caching library knows when its generator changed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path

from netsteward.lab.model import Fleet

GENERATOR = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """Where the fleets are kept; None when caching is off."""
    chosen = os.environ.get("NETSTEWARD_LAB_CACHE", "")
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("NETSTEWARD_LAB_DIR") or ".lab") / "fleet-cache"


@cache
def generator_digest() -> str:
    """sha256 over the generator's source files (names and contents) and the Python version."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted([*GENERATOR.glob("*.py"), GENERATOR.parent / "model.py"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached_fleet(seed: int, buildings: int) -> Fleet:
    """`build_fleet(seed, buildings)`, from the cache when it holds this fleet."""
    from netsteward.lab.fleet.build import build_fleet

    folder = cache_dir()
    if folder is None:
        return build_fleet(seed, buildings)
    generator = f"-{generator_digest()[:16]}.pickle"
    path = folder / f"fleet-{seed}-{buildings}{generator}"
    try:
        fleet = pickle.loads(path.read_bytes())
        if isinstance(fleet, Fleet):
            return fleet
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass  # not there yet, or unreadable: build it
    fleet = build_fleet(seed, buildings)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as out:
            out.write(pickle.dumps(fleet, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(out.name, path)
        for old in folder.glob("fleet-*.pickle"):  # fleets of an earlier generator
            if not old.name.endswith(generator):
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only directory: the fleet is built every time
    return fleet
