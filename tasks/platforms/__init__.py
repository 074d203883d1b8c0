"""Per-platform data: commands, prompts, secrets, volatile lines, end markers.

Everything that differs between vendors lives in `tasks/platforms/<name>.yaml`
and is loaded into the strict `Platform` model below (unknown keys fail at load
time, every regex is compiled at load time). Code is used only where data cannot
say it: a named hook that the YAML refers to (`hooks:`), resolved through the one
registry `netsteward.tasks.core.scrub.HOOKS`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from netsteward.tasks.core.errors import BadInput

PLATFORM_DIR = Path(__file__).parent
PLATFORMS: tuple[str, ...] = (
    "huawei_vrp",
    "hp_comware",
    "cisco_ios",
    "hillstone_stoneos",
    "fortinet",
    "cisco_asa",
    "brocade_fos",
)


def _compile(value: str, what: str) -> str:
    try:
        re.compile(value, re.MULTILINE)
    except re.error as exc:
        raise ValueError(f"bad {what} regex {value!r}: {exc}") from None
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SecretRule(_Strict):
    """A line pattern whose named groups `secret*` are replaced by the marker.

    The rest of the line is kept, so a changed secret still shows as a changed line.
    """

    name: str
    pattern: str
    # only inside the section whose top-level (unindented) header matches this regex
    section: str | None = None
    # well-known default values (SNMP `public`): masked as `<removed:default>` instead,
    # so the hardening audit can tell a default from the backup (the value never is kept)
    defaults: list[str] = []

    @field_validator("section")
    @classmethod
    def _section(cls, value: str | None) -> str | None:
        return None if value is None else _compile(value, "section")

    @field_validator("pattern")
    @classmethod
    def _has_secret_group(cls, value: str) -> str:
        _compile(value, "secret")
        groups = re.compile(value).groupindex
        if not any(g.startswith("secret") for g in groups):
            raise ValueError(f"secret pattern {value!r} has no named group (?P<secret>...)")
        return value


class SecretBlock(_Strict):
    """A multi-line secret (private keys, public-key blobs): the lines after the line
    matching `start` up to the line matching `end` become one marker line. `start`
    itself is cut at its `secret` group if it has one (then no extra marker line);
    the `end` line is kept when `keep_end`."""

    name: str
    start: str
    end: str
    keep_end: bool = False

    @field_validator("start", "end")
    @classmethod
    def _regex(cls, value: str) -> str:
        return _compile(value, "block")


class Collect(_Strict):
    """One command whose output is stored in the backup repository."""

    command: str
    kind: Literal["config", "zoning"] = "config"
    suffix: str = Field(default="cfg", pattern=r"^[a-z]+$")
    end_marker: str  # regex (multi-line mode) that a complete output contains
    end_marker_tail: int | None = None  # only search the last N non-blank lines (None: anywhere)
    min_lines: int = 1  # fewer lines than this after normalising: incomplete
    # block syntax without an end marker (FortiOS): as many closing as opening lines
    opens: str | None = None
    closes: str | None = None
    read_timeout: float = 30.0

    @field_validator("end_marker", "opens", "closes")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        return None if value is None else _compile(value, "end_marker")


class Read(_Strict):
    """One command a job reads from the device, and the registered reader that parses it
    (`netsteward.tasks.core.reading.READERS`). Jobs and `netsteward parse` look readers up
    here by purpose (`lldp`, `lag`, `facts`, the inspection's health displays, ...)."""

    command: str
    reader: str = Field(pattern=r"^[a-z0-9_]+\.[a-z0-9_.]+$")
    read_timeout: float = 30.0


class Platform(_Strict):
    name: str
    vendor: str
    netmiko_device_type: str
    paging_off: (
        str | None
    )  # what the netmiko driver sends at log-in (documented, checked in the lab)
    privileged: bool = (
        False  # enter enable mode (netmiko `enable()`, secret from the environment) first
    )
    prompt: str  # regex for the device prompt at the end of an output (one line)
    pager: str  # regex for the pager prompt that paging-on prints
    # paging is one setting for the whole device, which another session may switch back
    # on at any moment: answer its pager prompt with a space instead of failing (FortiOS)
    page_through: bool = False
    collect: list[Collect] = Field(min_length=1)
    reads: dict[str, Read] = {}  # purpose -> command and reader (see `Read`)
    secrets: list[SecretRule] = []
    secret_blocks: list[SecretBlock] = []
    volatile: list[str] = []  # regexes; matching lines are removed
    errors: list[str] = []  # regexes; any matching line makes the output unusable
    hooks: list[
        str
    ] = []  # names in netsteward.tasks.core.scrub.HOOKS, applied in order after the line rules
    # how the device's output bytes become text, tried line by line in this order
    # (netsteward.tasks.core.devicetext); backups are always stored as UTF-8
    text_encodings: list[str] = Field(default=["utf-8", "gb18030"], min_length=1)
    # what the device's length limit of an interface description counts: bytes of the
    # line as sent (UTF-8: a Chinese character is 3) or characters
    description_length: Literal["bytes", "characters"] = "bytes"

    @field_validator("text_encodings")
    @classmethod
    def _encodings(cls, values: list[str]) -> list[str]:
        import codecs

        for value in values:
            try:
                codecs.lookup(value)
            except LookupError:
                raise ValueError(f"unknown text encoding {value!r}") from None
        return values

    @field_validator("prompt", "pager")
    @classmethod
    def _regex(cls, value: str) -> str:
        return _compile(value, "prompt")

    @field_validator("volatile", "errors")
    @classmethod
    def _regexes(cls, values: list[str]) -> list[str]:
        return [_compile(v, "line") for v in values]

    @field_validator("hooks")
    @classmethod
    def _known_hooks(cls, values: list[str]) -> list[str]:
        from netsteward.tasks.core.scrub import HOOKS

        unknown = [v for v in values if v not in HOOKS]
        if unknown:
            raise ValueError(f"unknown hook(s) {unknown}; known: {sorted(HOOKS)}")
        return values


def _first_error(exc: ValidationError) -> tuple[str, str]:
    err = exc.errors()[0]
    return ".".join(str(p) for p in err["loc"]), err["msg"]


@cache
def load_platform(name: str) -> Platform:
    """The platform named `name` (netmiko spelling). Raises BadInput for unknown or broken files."""
    if name not in PLATFORMS:
        raise BadInput(
            f"unknown platform {name!r}; known: {', '.join(PLATFORMS)}", field="platform"
        )
    path = PLATFORM_DIR / f"{name}.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        platform = Platform.model_validate(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BadInput(
            f"not valid YAML ({exc})", file=str(path), line=mark.line + 1 if mark else None
        ) from None
    except ValidationError as exc:
        field, msg = _first_error(exc)
        raise BadInput(msg, file=str(path), field=field) from None
    if platform.name != name:
        raise BadInput(f"file declares name {platform.name!r}", file=str(path), field="name")
    return platform


def all_platforms() -> dict[str, Platform]:
    return {name: load_platform(name) for name in PLATFORMS}
