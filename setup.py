"""Packaging: the folders `tasks/`, `playbooks/` and `lab/` install as `netsteward.tasks`,
`netsteward.playbooks` and `netsteward.lab` (a namespace package `netsteward`), so a
user's site-packages never gets top-level modules called `tasks`, `playbooks` or `lab`.
Everything else (metadata, dependencies) is in pyproject.toml."""

from setuptools import find_packages, setup

ROOTS = ("tasks", "playbooks", "lab")
DATA = [
    "*.yaml",
    "*.ttp",
    "*.textfsm",
    "*.j2",
    "templates/*",
    "data/*",
    "data/**/*",
    "locale/*/LC_MESSAGES/*",
    "fonts/*",
]

setup(
    packages=[f"netsteward.{p}" for p in find_packages(include=[f"{r}*" for r in ROOTS])],
    package_dir={f"netsteward.{r}": r for r in ROOTS},
    package_data={"": DATA},
)
