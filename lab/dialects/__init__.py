"""Dialect registry: platform name -> dialect class (see `netsteward.lab.dialects.base`).

Each package in `MODULES` has a `cli` module that defines a `Dialect` subclass
decorated with `@register`; `load_all()` imports them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.dialects.base import Dialect

MODULES = (
    "huawei_vrp",
    "hp_comware",
    "cisco_ios",
    "cisco_asa",
    "fortinet",
    "hillstone_stoneos",
    "brocade_fos",
)

REGISTRY: dict[str, type[Dialect]] = {}
_INSTANCES: dict[str, Dialect] = {}
_loaded = False


def register(cls: type[Dialect]) -> type[Dialect]:
    """Class decorator: make `cls` the dialect for `cls.platform`."""
    if not cls.platform:
        raise ValueError(f"{cls.__name__}: dialect without a platform name")
    REGISTRY[cls.platform] = cls
    return cls


def load_all() -> dict[str, type[Dialect]]:
    global _loaded
    if not _loaded:
        _loaded = True
        for name in MODULES:
            importlib.import_module(f"{__name__}.{name}.cli")
    return REGISTRY


def get_dialect(platform: str) -> Dialect:
    """The shared dialect instance for `platform` (KeyError if none)."""
    if platform not in _INSTANCES:
        load_all()
        _INSTANCES[platform] = REGISTRY[platform]()
    return _INSTANCES[platform]
