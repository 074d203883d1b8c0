"""Per-platform data: how to talk to a device, what to read, how to store it.

Everything that differs between vendors lives in `tasks/platforms/<name>.yaml` and is
loaded into the strict `Platform` model below (unknown keys fail at load time, every
regex is compiled at load time): the session (netmiko driver and its fixes, napalm
driver, prompts, paging, privileged mode, configuration mode and saving), the commands
collected for the backup and read by the jobs (`reads:`), secrets, volatile lines and
error lines. Code is used only where data cannot say it: a named hook that the YAML
refers to, resolved through one registry (`hooks:` in `netsteward.tasks.core.scrub.HOOKS`,
`netmiko_fixes:` in `netsteward.tasks.core.connection.FIXES`, `reads:` readers in
`netsteward.tasks.core.reading.READERS`).

A new platform is one more YAML file here, or in a folder named by the environment
variable `NETSTEWARD_PLATFORM_PATH` (folders separated by `:`), which sites use for
their own platforms without touching the installed package.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.yamlfile import load_yaml, validate

PLATFORM_DIR = Path(__file__).parent
PATH_VARIABLE = "NETSTEWARD_PLATFORM_PATH"
# the platforms shipped with netsteward (a site adds its own through NETSTEWARD_PLATFORM_PATH)
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
    (`netsteward.tasks.core.reading.READERS`). Jobs look readers up here by purpose, and
    `netsteward parse` by command (`Platform.reads_command`), so both run the same reader.
    Purposes so far: `lldp`, `lldp_brief`, `cdp` (neighbours), `lag`, `lag_config` (LAG
    members; the second from the configuration when the first is not understood), `version`,
    `serial` (facts), `firewall_policy` (the backed-up configuration the audit reads), and
    `inspect.<what>` for the inspection's health displays (`netsteward.tasks.inspect`)."""

    command: str
    reader: str = Field(pattern=r"^[a-z0-9_]+\.[a-z0-9_.]+$")
    read_timeout: float = 30.0
    # a second command whose output the reader compares with the first's: the reader is
    # called as `reader(text, other)` (`inspect.config_saved` on Comware and the ASA: the
    # running configuration against the saved one). `netsteward parse` reads one output,
    # so such a read is not offered there (`Platform.reads_command`).
    compare: str | None = None


class ConfigMode(_Strict):
    """How configuration lines are pushed and saved (`Session.configure`, `Session.save`)."""

    enter: str  # the command that enters configuration mode (`system-view`)
    leave: str  # the command that returns to the exec prompt (`return`, `end`)
    # regex of this device's prompt in any mode; `{base}` stands for the device's own
    # name as netmiko found it at log-in (exec, system view, interface view, ...)
    prompt: str
    save: str  # the command that saves the running configuration
    save_question: str | None = None  # regex of the confirmation question `save` may ask
    save_answer: str = "y"  # what answers it
    # regex of ONE character the CLI takes in a configuration line: every line netsteward
    # pushes is one line of printable characters (str.isprintable) each matching this;
    # a plan with any other line is refused at load (`netsteward.tasks.ports.seal`)
    line_chars: str = "[ -~]"

    @field_validator("prompt")
    @classmethod
    def _prompt(cls, value: str) -> str:
        if "{base}" not in value:
            raise ValueError("the configuration prompt must contain {base} (the device's name)")
        _compile(value.replace("{base}", "BASE"), "prompt")
        return value

    @field_validator("line_chars")
    @classmethod
    def _chars(cls, value: str) -> str:
        return _compile(value, "line_chars")

    @field_validator("save_question")
    @classmethod
    def _question(cls, value: str | None) -> str | None:
        return None if value is None else _compile(value, "save_question")

    def prompt_for(self, base_prompt: str) -> str:
        """The prompt regex of one device (its base prompt escaped into `{base}`)."""
        return self.prompt.replace("{base}", re.escape(base_prompt))


class LoginQuestion(_Strict):
    """A question a device may ask between the log-in and its first prompt."""

    ask: str  # regex of the question (searched in the last line received)
    answer: str  # the line netsteward types (an empty line is Enter)

    @field_validator("ask")
    @classmethod
    def _regex(cls, value: str) -> str:
        return _compile(value, "login question")


class Login(_Strict):
    """The session's preparation, read from this file instead of run by netmiko's driver
    (`netsteward.tasks.core.connection.PlatformLogin`): wait for the first prompt (answering
    `questions`), send `paging_off` and `commands`, each read to the prompt, and at the end
    type `logout`. Where this is absent, netmiko's driver prepares and ends the session."""

    questions: list[LoginQuestion] = []
    commands: list[str] = []  # sent after `paging_off`, each read to the prompt
    logout: str  # what ends the session (netmiko's clean-up command of the driver)
    # the device's name is cut to this many characters (IOS shortens it in its
    # configuration prompts; netmiko's cisco_ios driver cuts its base prompt alike)
    base_length: int | None = Field(default=None, ge=1)


# Kinds of port, the same for every vendor: what a port is, whatever it is called.
PortKind = Literal[
    "ge", "2.5ge", "5ge", "multige", "xge", "25ge", "40ge", "100ge", "fe", "eth",
    "lag", "mgmt", "vlan", "loop", "null",
]  # fmt: skip


class InterfaceName(_Strict):
    """One interface type as the platform names it: the full name its running configuration
    prints, the short name of its brief tables, and other spellings that mean the same type
    on this platform (what its neighbours, napalm or older releases print). The first entry of
    a kind is the platform's name for that kind of port when another vendor's spelling is
    given (`netsteward.tasks.core.ifnames`)."""

    name: str = Field(min_length=1)
    short: str
    kind: PortKind
    aliases: list[str] = []


class Platform(_Strict):
    name: str
    vendor: str
    label: str | None = None  # short name for narrow tables (`vrp`); default the name
    netmiko_device_type: str
    # named fixes of the netmiko driver (`netsteward.tasks.core.connection.FIXES`) on top of
    # the ones every platform gets (TCP_NODELAY, no fixed sleeps, reads that end with the session)
    netmiko_fixes: list[str] = []
    napalm_driver: str | None = None  # napalm's driver name where napalm reads this platform
    paging_off: (
        str | None
    )  # what the netmiko driver sends at log-in (documented, checked in the lab)
    privileged: bool = (
        False  # enter enable mode (netmiko `enable()`, secret from the environment) first
    )
    prompt: str  # regex for the device prompt at the end of an output (one line); with
    # `login`, its group `base` is the device's name (netmiko's base prompt)
    login: Login | None = None  # the session's preparation as data (None: netmiko's driver)
    pager: str  # regex for the pager prompt that paging-on prints
    config_mode: ConfigMode | None = None  # None: netsteward never configures this platform
    # regex (multi-line) of a line only this platform's configuration has: how `audit firewall`
    # tells the platform of a configuration file without an inventory
    identify: str | None = None
    # paging is one setting for the whole device, which another session may switch back
    # on at any moment: answer its pager prompt with a space instead of failing (FortiOS)
    page_through: bool = False
    collect: list[Collect] = Field(min_length=1)
    reads: dict[str, Read] = {}  # purpose -> command and reader (see `Read`)
    interface_names: list[InterfaceName] = []  # empty: interface names are taken as printed
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

    @field_validator("prompt", "pager", "identify")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        return None if value is None else _compile(value, "prompt")

    @field_validator("netmiko_fixes")
    @classmethod
    def _known_fixes(cls, values: list[str]) -> list[str]:
        from netsteward.tasks.core.connection import FIXES

        unknown = [v for v in values if v not in FIXES]
        if unknown:
            raise ValueError(f"unknown netmiko fix(es) {unknown}; known: {sorted(FIXES)}")
        return values

    @model_validator(mode="after")
    def _login_names_the_base(self) -> Platform:
        if self.login is not None and "base" not in re.compile(self.prompt).groupindex:
            raise ValueError("with `login`, the prompt regex must name the device: (?P<base>...)")
        return self

    @property
    def short(self) -> str:
        return self.label or self.name

    @field_validator("volatile", "errors")
    @classmethod
    def _regexes(cls, values: list[str]) -> list[str]:
        return [_compile(v, "line") for v in values]

    @field_validator("interface_names")
    @classmethod
    def _unique_spellings(cls, values: list[InterfaceName]) -> list[InterfaceName]:
        seen: dict[str, str] = {}
        for item in values:
            for spelling in (item.name, item.short, *item.aliases):
                other = seen.setdefault(spelling.lower(), item.name)
                if other != item.name:
                    raise ValueError(f"{spelling!r} names both {other} and {item.name}")
        return values

    def reads_command(self, command: str) -> list[tuple[str, Read]]:
        """(purpose, Read) of every purpose that reads the command, in the file's order
        (spaces and case as typed do not matter). One command may serve several jobs:
        `show version` is the topology's `version` and the inspection's `inspect.uptime`. Reads
        that compare two outputs (`Read.compare`) are left out: they need both."""
        wanted = " ".join(command.lower().split())
        return [
            (purpose, read)
            for purpose, read in self.reads.items()
            if read.compare is None and " ".join(read.command.lower().split()) == wanted
        ]

    @field_validator("hooks")
    @classmethod
    def _known_hooks(cls, values: list[str]) -> list[str]:
        from netsteward.tasks.core.scrub import HOOKS

        unknown = [v for v in values if v not in HOOKS]
        if unknown:
            raise ValueError(f"unknown hook(s) {unknown}; known: {sorted(HOOKS)}")
        return values


def platform_dirs() -> list[Path]:
    """Where platform files are looked for: the folders of NETSTEWARD_PLATFORM_PATH, then ours."""
    extra = [Path(p) for p in os.environ.get(PATH_VARIABLE, "").split(os.pathsep) if p]
    return [*extra, PLATFORM_DIR]


def platform_names() -> tuple[str, ...]:
    """Every platform that can be loaded: ours in their usual order, then a site's own."""
    own = [
        p.stem
        for d in platform_dirs()[:-1]
        for p in sorted(d.glob("*.yaml"))
        if p.stem not in PLATFORMS
    ]
    return PLATFORMS + tuple(dict.fromkeys(own))


def _platform_file(name: str) -> Path | None:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        return None
    for folder in platform_dirs():
        path = folder / f"{name}.yaml"
        if path.is_file():
            return path
    return None


@cache
def load_platform(name: str) -> Platform:
    """The platform named `name` (netmiko spelling). Raises BadInput for unknown or broken files."""
    path = _platform_file(name)
    if path is None:
        raise BadInput(
            f"unknown platform {name!r}; known: {', '.join(platform_names())}", field="platform"
        )
    platform = validate(load_yaml(path, required=True), Platform)
    if platform.name != name:
        raise BadInput(f"file declares name {platform.name!r}", file=str(path), field="name")
    return platform


def all_platforms() -> dict[str, Platform]:
    return {name: load_platform(name) for name in platform_names()}
