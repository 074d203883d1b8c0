"""GraphML export of a topology snapshot, for tools that lay graphs out themselves.

The draw.io file is the diagram people look at; GraphML carries the same graph
as data, readable by yEd, Gephi, Cytoscape and networkx (`networkx.read_graphml`):

- one node per device (every `Node` field as a string attribute, empty ones left
  out), unknown neighbours included with `kind="unknown"`;
- one edge per link (`Link.key` as the edge id; `a_port`, `b_port`, `kind`,
  `seen`, and for a LAG its member cables as `members`, "a:port=b:port; ...");
- for the annual report, `status` ("added", "removed", "changed") on the
  elements the year changed (see `merge_for_report`).

networkx is imported when a graph is built: importing it costs every `netsteward`
command about 0.2 s of start-up, and only the topology drawings need it.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from netsteward.tasks.core.escape import visible
from netsteward.tasks.topology.model import Link, Snapshot

if TYPE_CHECKING:
    import networkx as nx


def _members(lk: Link) -> str:
    return "; ".join(f"{lk.a}:{a}={lk.b}:{b}" for a, b in lk.members)


def snapshot_graph(snap: Snapshot, status: dict[str, str] | None = None) -> nx.MultiGraph:
    """The snapshot as a networkx multigraph (two devices may have several links)."""
    import networkx as nx

    status = status or {}
    v = visible  # names and ports come from devices: no character XML forbids
    graph = nx.MultiGraph(date=snap.date, unreachable=v(", ".join(snap.unreachable)))
    for name, node in sorted(snap.nodes.items()):
        attrs = {
            k: v(str(val))
            for k, val in asdict(node).items()
            if k != "name" and val not in ("", None)
        }
        if f"n:{name}" in status:
            attrs["status"] = status[f"n:{name}"]
        graph.add_node(v(name), **attrs)
    for key, lk in sorted(snap.links.items()):
        attrs = {"a_port": v(lk.a_port), "b_port": v(lk.b_port), "kind": lk.kind, "seen": lk.seen}
        if lk.members:
            attrs["members"] = v(_members(lk))
        if f"l:{key}" in status:
            attrs["status"] = status[f"l:{key}"]
        graph.add_edge(v(lk.a), v(lk.b), key=v(key), **attrs)
    return graph


def write_graphml(snap: Snapshot, path: Path, status: dict[str, str] | None = None) -> Path:
    import networkx as nx

    nx.write_graphml(snapshot_graph(snap, status), path, encoding="utf-8", prettyprint=True)
    return path
