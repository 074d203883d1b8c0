"""Helpers shared by the dialects of this part (IOS, ASA, FortiOS, StoneOS, FOS)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from lab.configtree import ConfigTree
from lab.render.common import Neighbor, to_neighbor

if TYPE_CHECKING:  # pragma: no cover
    from lab.session import Session

DEFAULT_PASSWORD = "Lab-Only-Pa55"  # the documented lab default (DESIGN.md, Credentials)


def lab_password() -> str:
    """The enable / privileged password: the lab's own login password."""
    return os.environ.get("NETSTEWARD_PASSWORD") or DEFAULT_PASSWORD


def render_neighbors(s: Session) -> list[Neighbor]:
    return [
        to_neighbor(n.local_port, n.peer, n.peer_port, n.peer_port_description)
        for n in s.device.neighbors()
    ]


def up_ports(s: Session) -> set[str]:
    """Local ports with a cable whose far end is plugged in (LLDP or not)."""
    lab = s.device.lab
    if s.device.name in lab.unplugged:
        return set()
    out: set[str] = set()
    for cable in lab.cables:
        for here, there in (
            ((cable.a, cable.a_port), (cable.b, cable.b_port)),
            ((cable.b, cable.b_port), (cable.a, cable.a_port)),
        ):
            if here[0] == s.device.name and there[0] not in lab.unplugged:
                out.add(here[1])
    return out


def replace_running(s: Session, text: str) -> None:
    """Replace the whole running configuration (dialects with their own config model)."""
    tree = s.device.running
    fresh = ConfigTree.parse(text)
    tree.root.children = fresh.root.children
    for child in tree.root.children:
        child.parent = tree.root
    tree.trailing_newline = fresh.trailing_newline
    s.device.touch()


def saved_or_initial(s: Session) -> str:
    return s.device.startup_text()
