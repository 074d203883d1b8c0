"""The dialect API: how a vendor CLI plugs into the lab's SSH engine.

The engine (`netsteward.lab.engine.server`, `netsteward.lab.engine.session`) owns SSH, echo, line endings, paging
mechanics, faults and persistence.  A *dialect* owns everything a vendor's CLI
says: prompts, banner, login questions, command syntax, output formats and how
configuration lines edit the running configuration.  One dialect instance per
platform is shared by all sessions; it keeps no state of its own: everything
per session lives on the `Session` it is handed, everything per device on
`session.device`.

Plugging in
-----------
Write `lab/dialects/<platform>.py` with a subclass of `Dialect` decorated
with `@register` (from `netsteward.lab.dialects`), and add the module name to
`netsteward.lab.dialects.MODULES` if it is not there yet::

    from netsteward.lab.dialects import register
    from netsteward.lab.dialects.base import Dialect, command

    @register
    class CiscoIos(Dialect):
        platform = "cisco_ios"
        paging_commands = ("terminal length 0",)
        pager_prompt = " --More-- "
        comment_char = "!"
        negate_word = "no"
        ...

Login
-----
After authentication and the shell request the engine writes
`login_banner(s)`.  If `login_question(s)` returns a `Question`, its text is
written and the next input line is its answer (handled by
`Question.on_answer`); then the prompt `prompt(s)` is written.  Everything
the dialect returns uses "\\n" line ends; the engine turns them into "\\r\\n".

Prompts and modes
-----------------
`s.mode` is a free-form string the dialect defines ("user", "system",
"interface" for VRP; "exec", "enable", "config", "config-if" for IOS).
`s.section` is the configuration `Node` the mode edits (None at the top level).
`s.enter(mode, section)` pushes, `s.leave()` pops one level (returns False at
the bottom), `s.reset()` returns to the login mode, `s.leave_to(mode)` pops back to `mode`.
An exec channel runs one command without a shell: `start_exec(s)` may set the
mode first (IOS/ASA: privileged, as for a `privilege 15` user).  `prompt(s)` renders the
prompt for the current mode; it is re-rendered after every command.

Commands
--------
Methods decorated with `@command("display current-configuration", ...)` form
the command table.  A line is split into tokens; a command matches when each
of its keywords starts with the corresponding token (case-insensitive), so
`dis cur` and `int GE0/0/1` work.  The longest keyword sequence wins, then
declaration order.  The remaining tokens are passed as `args`.  `modes` limits
where a command is accepted (None: everywhere; `IN_CONFIG`
in it stands for the dialect's own `config_modes`).  `pipe=True` lets the engine
apply `| include/exclude/begin REGEX` (see `apply_pipe`) to the output.
`running_config=True` marks output in which the hang/truncate faults strike.
`raw=True` passes the handler the whole line after the keywords (for free text
such as `description Two words`).  A subclass inherits its parent's commands;
`exclude_commands` (handler names) drops the ones its CLI lacks, and a handler
redefined under the same name replaces the parent's.  Commands that never edit
the configuration and are not `pipe=True` displays belong in
`readonly_commands`, so they do not move the device's last-change time.
A line is matched only when the whole of a keyword sequence is present; a
partial match of a display command ("display bogus") is an unknown command
with the caret under the first bad token.

A handler returns a `str` (output, possibly "") or a `Reply` (output plus an
optional follow-up `Question`, or `close=True` to end the session).  Raise
`CliError(text)` for vendor errors.  A line matching no command goes to
`config_line(s, line)` when `s.mode` is in `config_modes` (the default stores
the line in `s.section`, or removes it with `negate_word`), else to
`unknown(s, line, pos)`, which renders the vendor's error text and caret.

Ending a session
----------------
A handler ends the session with `Reply(text, close=True)` (`quit` in the VRP user view,
`exit` on IOS).  How the session then ends is the dialect's `session_end`
(`SessionEnd`): the echo of the line and its line end, `text` and the vendor's
`farewell` leave in one write, then the channel is closed the way `close` says:
"channel" sends exit-status `exit_status`, EOF and CLOSE after the output (the client
closes the connection, as with OpenSSH's own server), "disconnect" also sends the SSH
disconnect message once the channel is closed.  Clients such as RANCID wait for the
echoed logout line to end before the session goes away.

Paging
------
`paging_commands` are the commands that turn paging off (the dialect's
handler must call `s.set_paging(False)`; the engine ignores that call when the
`paging` fault is active).  While paging is on, output longer than
`page_lines` lines is cut into pages separated by `pager_prompt`; the engine
waits for a key (space: next page, Enter: one more line, anything else: stop)
and erases the pager prompt with `pager_erase`.

Configuration editing
---------------------
`s.device.running` is a `netsteward.lab.engine.configtree.ConfigTree`.  Dialects use
`section_for(s, header)` to find or create a top-level section (interfaces go
next to the other interfaces, delimited by `comment_char`), and
`Node.add/find/remove` for lines.  `save(s)` (the engine's
`s.device.save()`) persists the running configuration: it survives a restart,
unsaved changes do not.

Device context for show commands
--------------------------------
`s.device.spec` (`netsteward.lab.model.DeviceSpec`: model, serial, version, mac, ports,
lags...), `s.device.running` / `s.device.saved_text`,
`s.device.neighbors()` -> list of `netsteward.lab.engine.state.Neighbor` derived from the current
cabling at display time (peer spec, peer port, the peer's port description from
its running config; unplugged peers are absent), `s.device.lag_of(port)`,
`s.device.boot_time` and `s.now()` for uptime and clock lines, and
`s.device.interface_description(port)`.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from netsteward.lab.dialects.vocabulary import unknown_word

if TYPE_CHECKING:  # pragma: no cover
    from netsteward.lab.engine.configtree import Node
    from netsteward.lab.engine.session import Session


class CliError(Exception):
    """A vendor error message; the engine prints `text` and the prompt."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass
class Question:
    """A question the device asks; the next input line is the answer."""

    text: str  # written without a line end, e.g. "Are you sure to continue?[Y/N]:"
    on_answer: Callable[[Session, str], str | Reply]


@dataclass(frozen=True)
class SessionEnd:
    """How a session ends after the logout command (see "Ending a session" above)."""

    farewell: str = ""  # the vendor's text after the echoed logout line ("\n" line ends)
    close: str = "channel"  # "channel": exit-status, EOF, CLOSE; "disconnect": then disconnect
    exit_status: int = 0

    def __post_init__(self) -> None:
        if self.close not in ("channel", "disconnect"):
            raise ValueError(f"SessionEnd.close: {self.close!r} is not channel or disconnect")


@dataclass
class Reply:
    text: str = ""
    question: Question | None = None
    close: bool = False  # end the session after writing `text`
    running_config: bool = False  # the hang / truncate faults strike in this output


@dataclass(frozen=True)
class CommandSpec:
    words: tuple[str, ...]
    method: str
    modes: frozenset[str] | None
    pipe: bool
    running_config: bool
    raw: bool
    min_len: tuple[int, ...]


def command(
    words: str,
    *,
    modes: tuple[str, ...] | None = None,
    pipe: bool = False,
    running_config: bool = False,
    raw: bool = False,
    min_len: tuple[int, ...] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a dialect method as the handler of the command `words`."""

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        specs = getattr(fn, "_lab_commands", [])
        kw = tuple(words.split())
        specs.append(
            CommandSpec(
                words=kw,
                method=fn.__name__,
                modes=frozenset(modes) if modes is not None else None,
                pipe=pipe,
                running_config=running_config,
                raw=raw,
                min_len=min_len or tuple(1 for _ in kw),
            )
        )
        fn._lab_commands = specs  # type: ignore[attr-defined]
        return fn

    return mark


@dataclass
class Match:
    spec: CommandSpec
    args: list[str]
    rest: str  # the line after the keywords, spacing kept
    pipe: list[tuple[str, str]] = field(default_factory=list)


_TOKEN = re.compile(r"\S+")

# in `@command(modes=...)`: every mode of the dialect's `config_modes` (resolved per subclass,
# so a handler written once in a shared base class serves each dialect's own configuration modes)
IN_CONFIG = "<config modes>"


class Dialect:
    """Base class; subclasses set the class attributes and add commands."""

    platform: str = ""
    login_mode: str = "user"
    config_modes: frozenset[str] = frozenset()
    paging_commands: tuple[str, ...] = ()
    pager_prompt: str = "  ---- More ----"
    pager_erase: str = "\x1b[42D" + " " * 42 + "\x1b[42D"
    page_lines: int = 24
    comment_char: str | None = "#"
    negate_word: str = "undo"
    tail_lines: tuple[str, ...] = ("return",)
    pipe_words: tuple[str, ...] = ("include", "exclude", "begin")
    session_end: SessionEnd = SessionEnd()
    exclude_commands: frozenset[str] = frozenset()  # inherited handler names this dialect lacks
    # handlers that never change the running configuration (display commands are `pipe=True`)
    readonly_commands: frozenset[str] = frozenset(
        {"quit", "return_", "save", "system_view", "end", "exit", "enable", "disable", "configure"}
    )

    _commands: list[CommandSpec]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        specs: list[CommandSpec] = []
        seen: set[tuple[tuple[str, ...], frozenset[str] | None]] = set()
        for klass in cls.__mro__:
            for value in vars(klass).values():
                for spec in getattr(value, "_lab_commands", []):
                    if spec.modes is not None and IN_CONFIG in spec.modes:
                        spec = replace(spec, modes=(spec.modes - {IN_CONFIG}) | cls.config_modes)
                    key = (spec.words, spec.modes)
                    if key not in seen and spec.method not in cls.exclude_commands:
                        seen.add(key)
                        specs.append(spec)
        # longest keyword sequence first; stable otherwise
        cls._commands = sorted(specs, key=lambda c: -len(c.words))

    # -- login -----------------------------------------------------------
    def login_banner(self, s: Session) -> str:
        return ""

    def login_question(self, s: Session) -> Question | None:
        return None

    def prompt(self, s: Session) -> str:
        raise NotImplementedError

    def ctrl_z(self, s: Session) -> None:
        """Ctrl-Z: back to the login mode (VRP/Comware user view, IOS privileged exec)."""
        s.reset()

    def start_exec(self, s: Session) -> None:
        """Called before an exec channel's command runs (no shell, no login question)."""

    # -- dispatch --------------------------------------------------------
    def match(self, s: Session, line: str) -> Match | int:
        """The command for `line`, or the offset of the first bad token."""
        tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(line)]
        best_bad = 0
        for spec in self._commands:
            if spec.modes is not None and s.mode not in spec.modes:
                continue
            if len(tokens) < len(spec.words):
                # partly typed: remember how far it got, for the caret
                n = self._prefix_len(spec, tokens)
                if n == len(tokens) and n > 0:
                    best_bad = max(best_bad, len(line.rstrip()))
                continue
            n = self._prefix_len(spec, tokens)
            if n < len(spec.words):
                if n > 0 and n < len(tokens):
                    best_bad = max(best_bad, tokens[n][1])
                continue
            rest_start = tokens[n][1] if n < len(tokens) else len(line)
            rest = line[rest_start:]
            pipe: list[tuple[str, str]] = []
            if spec.pipe:
                rest, pipe = self.split_pipe(rest)
            return Match(spec, rest.split(), rest.strip(), pipe)
        return best_bad

    @staticmethod
    def _prefix_len(spec: CommandSpec, tokens: list[tuple[str, int]]) -> int:
        n = 0
        for word, minimum, (tok, _) in zip(spec.words, spec.min_len, tokens, strict=False):
            low = tok.lower()
            if len(low) < minimum or not word.lower().startswith(low):
                break
            n += 1
        return n

    def split_pipe(self, rest: str) -> tuple[str, list[tuple[str, str]]]:
        """Split `args | include REGEX` into args and one filter (the regex may contain '|')."""
        head, bar, tail = rest.partition("|")
        if not bar:
            return rest, []
        word, _, regex = tail.strip().partition(" ")
        full = next((w for w in self.pipe_words if word and w.startswith(word.lower())), None)
        if full is None or not regex.strip():
            raise CliError(self.unknown_text(s=None, line=rest, pos=0))
        return head.rstrip(), [(full, regex.strip())]

    def apply_pipe(self, text: str, filters: list[tuple[str, str]]) -> str:
        if not filters:
            return text
        lines = text.split("\n")
        trailing = lines and lines[-1] == ""
        if trailing:
            lines.pop()
        for kind, regex in filters:
            try:
                rx = re.compile(regex)
            except re.error:
                rx = re.compile(re.escape(regex))
            if kind == "include":
                lines = [ln for ln in lines if rx.search(ln)]
            elif kind == "exclude":
                lines = [ln for ln in lines if not rx.search(ln)]
            elif kind == "begin":
                for i, ln in enumerate(lines):
                    if rx.search(ln):
                        lines = lines[i:]
                        break
                else:
                    lines = []
        return "\n".join(lines) + ("\n" if lines else "")

    def unknown(self, s: Session, line: str, pos: int) -> str:
        return self.unknown_text(s, line, pos)

    def unknown_text(self, s: Session | None, line: str, pos: int) -> str:
        prompt_len = len(self.prompt(s)) if s is not None else 0
        return " " * (prompt_len + pos) + "^\nError: Unrecognized command found at '^' position.\n"

    def answer_without(self, s: Session, line: str, methods: frozenset[str]) -> str:
        """The answer `line` gets from this dialect's commands other than `methods`: how
        a platform answers that inherits those handlers but lacks the commands (Comware
        subclasses VRP) -- another command's output, a configuration line in a
        configuration mode, else the unknown-command error."""
        others = [c for c in self._commands if c.method not in methods]
        view = SimpleNamespace(
            _commands=others, _prefix_len=self._prefix_len, split_pipe=self.split_pipe
        )
        match = Dialect.match(view, s, line)  # type: ignore[arg-type]
        if isinstance(match, Match):
            result = getattr(self, match.spec.method)(s, match.args)
            return result if isinstance(result, str) else result.text
        if match == 0 and s.mode in self.config_modes:
            refused = self.unknown_config_word(line)
            if refused is not None:
                raise CliError(self.unknown(s, line, refused))
            return self.config_line(s, line) or ""
        raise CliError(self.unknown(s, line, match))

    # -- configuration ---------------------------------------------------
    def unknown_config_word(self, line: str) -> int | None:
        """Where in a configuration line stands a command word this platform does not
        know (netsteward.lab.dialects.vocabulary), or None when the line may be stored."""
        return unknown_word(self.platform, line, self.negate_word)

    # commands that are on by default and whose negation the device prints when they are
    # turned off (VRP `undo lldp enable`, IOS `no ip http server`): the negation is a line
    shown_negations: tuple[str, ...] = ()
    # default-state lines a section never prints (VRP `lldp enable` in an interface),
    # and default-state lines never printed anywhere (IOS `ip source-route`)
    hidden_in_sections: tuple[str, ...] = ()
    hidden_defaults: tuple[str, ...] = ()

    def config_line(self, s: Session, line: str) -> str:
        """Store a configuration line in the current section (or undo it)."""
        text = line.strip()
        parent = s.section if s.section is not None else s.device.running.root
        if text.split()[0].lower() == self.negate_word:
            target = text.split(None, 1)[1] if len(text.split()) > 1 else ""
            for holder in self.line_holders(s, parent):
                self.remove_lines(holder, target)
            if parent is s.device.running.root:
                self.collapse_separators(parent)
            if any(target == c or target.startswith(c + " ") for c in self.shown_negations):
                self.store_line(s, parent, text)
            return ""
        self.drop_negations(s, parent, text)
        if text in self.hidden_defaults or (
            parent is not s.device.running.root and text in self.hidden_in_sections
        ):
            return ""
        key = self.line_key(text)
        if key is not None:
            for node in list(parent.children):
                if self.line_key(node.text) == key:
                    node.line = " " * node.indent + text
                    return ""
        self.store_line(s, parent, text)
        return ""

    def drop_negations(self, s: Session, parent: Node, text: str) -> None:
        """A line turns its feature on again: the `undo X` / `no X` it answers goes away."""
        prefix = self.negate_word + " "
        for holder in self.line_holders(s, parent):
            for node in list(holder.children):
                if node.text.startswith(prefix):
                    target = node.text[len(prefix) :]
                    if text == target or text.startswith(target + " "):
                        node.remove()

    def store_line(self, s: Session, parent: Node, text: str) -> None:
        """Add `text` to `parent` unless it is there (top-level lines next to their kind)."""
        holders = self.line_holders(s, parent)
        if all(holder.find(text) is None for holder in holders):
            if parent is s.device.running.root and self.global_lines_indented and holders[1:]:
                # Comware prints global lines indented under "#": join the block whose
                # lines start with the same word, else the last block
                word = text.split()[0] + " "
                block = next(
                    (
                        h
                        for h in reversed(holders[1:])
                        if any(c.text.startswith(word) for c in h.children)
                    ),
                    holders[-1],
                )
                block.add(text)
            elif parent is s.device.running.root:
                s.device.running.new_section(
                    text,
                    like=text.split()[0] + " ",
                    separator=self.comment_char,
                    tail=self.tail_lines,
                )
            else:
                parent.add(text)

    global_lines_indented = False  # Comware: ` stp bpdu-protection` under a "#" line

    single_separators = False  # VRP/Comware never print two `#` lines in a row (IOS does `!`)

    def collapse_separators(self, root: Node) -> None:
        """A section taken away leaves its separator behind: an empty separator line
        right before another one goes, on devices that never print two in a row."""
        if not self.single_separators:
            return
        for node, following in itertools.pairwise(list(root.children)):
            if node.text == following.text == self.comment_char and not node.children:
                node.remove()

    def line_holders(self, s: Session, parent: Node) -> list[Node]:
        """Where the lines of `parent` live: at the top level, global lines that the
        device prints indented under a `#` separator (Comware: ` stp bpdu-protection`)
        are lines of the system view too."""
        if parent is not s.device.running.root:
            return [parent]
        return [parent] + [n for n in parent.children if n.text == self.comment_char and n.children]

    # lines that replace the line of the same key, by regex: the match is the key. A real
    # device keeps one password per local user, one shared key per server template: typing
    # `local-user admin password irreversible-cipher NEW` replaces the old password's line
    keyed_lines: tuple[str, ...] = ()

    def line_key(self, text: str) -> str | None:
        """Lines that replace each other (`description X` replaces `description Y`)."""
        for single in ("description ", "sysname ", "hostname ", "port link-type ", "mtu "):
            if text.startswith(single):
                return single
        for rx in _keyed(self.keyed_lines):
            m = rx.match(text)
            if m:
                return m.group(0)
        return None

    def remove_lines(self, parent: Node, target: str) -> None:
        """`undo X`: remove lines equal to X, or whose key matches X's key."""
        key = self.line_key(target + " ") or self.line_key(target)
        for node in list(parent.children):
            if (
                node.text == target
                or node.text.startswith(target + " ")
                or (key is not None and self.line_key(node.text) == key)
            ):
                node.remove()

    def section_for(self, s: Session, header: str) -> Node:
        tree = s.device.running
        node = tree.section(header)
        if node is None:
            node = tree.new_section(
                header,
                like=header.split()[0] + " ",
                separator=self.comment_char,
                tail=self.tail_lines,
            )
        return node

    # -- helpers for show commands ---------------------------------------
    def interface_description(self, tree: Any, port: str) -> str:
        node = tree.section(f"interface {port}")
        if node is None:
            return ""
        for child in node.children:
            if child.text.startswith("description "):
                return child.text[len("description ") :]
        return ""

    # -- interface names -------------------------------------------------
    # (full type name, short name used in brief tables, extra aliases), most preferred first
    interface_types: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    logical_types: frozenset[str] = frozenset()  # created on demand (LAG, VLAN interface, loopback)

    _IFNAME = re.compile(r"^(\d*[A-Za-z][A-Za-z-]*?)\s*(\d[\d/:.]*)$")

    def resolve_interface(self, s: Session, text: str) -> str | None:
        """Full interface name for `GE0/0/1`, `gi 0/0/1`, `gigabitethernet0/0/1`; None if unknown type."""
        m = self._IFNAME.match(text.strip())
        if not m:
            return None
        typed, number = m.group(1).lower(), m.group(2)
        for full, short, aliases in self.interface_types:
            if typed == short.lower() or typed in (a.lower() for a in aliases):
                return full + number
        for full, _short, _aliases in self.interface_types:
            if full.lower().startswith(typed):
                return full + number
        return None

    def short_interface(self, name: str) -> str:
        for full, short, _aliases in self.interface_types:
            if name.startswith(full):
                return short + name[len(full) :]
        return name

    def interface_exists(self, s: Session, name: str) -> bool:
        spec = s.device.spec
        if any(p.name == name for p in spec.ports):
            return True
        if s.device.running.section(f"interface {name}") is not None:
            return True
        return not spec.ports  # a spec without a port list accepts any port


@functools.cache
def _keyed(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def fmt_mac(mac: str, style: str = "huawei") -> str:
    """`aa:bb:cc:dd:ee:ff` (any separators) as `aabb-ccdd-eeff` (huawei/h3c) or `aabb.ccdd.eeff` (cisco)."""
    digits = re.sub(r"[^0-9a-fA-F]", "", mac).lower().rjust(12, "0")[:12]
    sep = "." if style == "cisco" else "-"
    return sep.join(digits[i : i + 4] for i in range(0, 12, 4))


def mac_plus(mac: str, n: int) -> str:
    """The base MAC plus n (per-port MACs), colon form."""
    digits = re.sub(r"[^0-9a-fA-F]", "", mac).rjust(12, "0")[:12]
    value = (int(digits, 16) + n) & 0xFFFFFFFFFFFF
    h = f"{value:012x}"
    return ":".join(h[i : i + 2] for i in range(0, 12, 2))


def vrp_family(model: str) -> str:
    m = re.match(r"[A-Za-z]+\d+", model)
    return m.group(0) if m else model


def vrp_version_line(spec: Any) -> str:
    """`VRP (R) software, Version 5.170 (S5735 V200R019C10SPC500)` from a spec."""
    version = spec.version
    if version.startswith("VRP"):
        return version
    vrp = "8.180" if version.startswith("V8") else "5.170"
    return f"VRP (R) software, Version {vrp} ({vrp_family(spec.model)} {version})"


def comware_version(spec: Any) -> tuple[str, str]:
    """('7.1.070', '6635P07') from a version string like '7.1.070, Release 6635P07'."""
    m = re.search(r"(\d+\.\d+\.\d+)\D+(\w+)", spec.version)
    if m:
        return m.group(1), m.group(2)
    return "7.1.070", spec.version or "6635P07"


def lldp_system_description(peer: Any) -> list[str]:
    """The LLDP system description a peer sends (one entry per line), by vendor."""
    if peer.platform == "huawei_vrp":
        year = "2022"
        kind = "Router" if peer.model.startswith("AR") else "Switch"
        return [
            f"Huawei {kind} {peer.model}",
            "Huawei Versatile Routing Platform Software",
            vrp_version_line(peer),
            f"Copyright (C) 2000-{year} HUAWEI TECH Co., Ltd.",
        ]
    if peer.platform == "hp_comware":
        ver, rel = comware_version(peer)
        return [
            f"H3C Comware Platform Software, Software Version {ver}, Release {rel}",
            f"H3C {peer.model}",
            "Copyright (c) 2004-2022 New H3C Technologies Co., Ltd. All rights reserved.",
        ]
    if peer.platform == "cisco_ios":
        return [
            f"Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version {peer.version}, RELEASE SOFTWARE (fc1)",
            "Technical Support: http://www.cisco.com/techsupport",
            "Copyright (c) 1986-2023 by Cisco Systems, Inc.",
        ]
    return [f"{peer.vendor} {peer.model} {peer.version}".strip()]


def uptime_parts(boot: datetime, now: datetime) -> tuple[int, int, int, int]:
    """(weeks, days, hours, minutes) between boot and now."""
    minutes = max(0, int((now - boot).total_seconds() // 60))
    hours, minute = divmod(minutes, 60)
    days, hour = divmod(hours, 24)
    weeks, day = divmod(days, 7)
    return weeks, day, hour, minute


def plural(n: int, word: str, zero_plural: bool = False) -> str:
    """VRP style: '0 week', '1 day', '2 hours' (zero_plural: Comware '0 weeks')."""
    return f"{n} {word}{'s' if n > 1 or (n == 0 and zero_plural) else ''}"
