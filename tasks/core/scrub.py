"""Normalise a collected configuration: secrets masked, volatile lines dropped.

`normalise_config(platform, text)` is what the backup stores and what drift and
normalize compare against. It is pure, deterministic and idempotent
(`normalise_config(p, normalise_config(p, x)) == normalise_config(p, x)`).

Secrets: every named group `secret*` of a platform's secret rule is replaced by
`SECRET_MARKER`; the rest of the line stays. With a key in the environment
(`NETSTEWARD_SECRET_KEY`) the marker carries a keyed fingerprint of the value,
`<removed:hmac-1a2b3c4d5e6f>` (HMAC-SHA256, 48 bits), so a changed password, community or
key shows as a changed line in the history and in the drift check while the value itself
never reaches git; without the key the history cannot be brute-forced for a low-entropy
password. Without a key the marker is plain `<removed>` and a secret's change is not seen
(the jobs say so in one line: `secret_key_notice()`).
Secret rules run over the whole text in multi-line mode (one regex pass per rule,
not per line: 739 configurations must scrub in well under a second).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from netsteward.tasks.platforms import Platform, load_platform

SECRET_MARKER = "<removed>"
# a secret whose value is one of its rule's well-known defaults (SNMP `public`): the backup
# says so, without the value, so `audit baseline` can report default communities offline
DEFAULT_MARKER = "<removed:default>"
MARKERS = (SECRET_MARKER, DEFAULT_MARKER)
KEY_ENV = "NETSTEWARD_SECRET_KEY"
FINGERPRINT = "<removed:hmac-"  # + 12 hex digits + ">"
_MASKED = re.compile(r"<removed(?::default|:hmac-[0-9a-f]{12})?>")
_FINGERPRINTED = re.compile(r"<removed:hmac-[0-9a-f]{12}>")


def secret_key() -> bytes | None:
    """The fingerprint key from the environment (None: no fingerprints)."""
    key = os.environ.get(KEY_ENV, "")
    return key.encode("utf-8") if key else None


def secret_key_notice() -> str | None:
    """One line for people when there is no key (None when there is one)."""
    if secret_key() is not None:
        return None
    from netsteward.tasks.core.i18n import _

    return _(
        "{env} is not set: secrets are masked without a fingerprint, so a changed password, "
        "community or key does not show as a change (see docs/backup.md)"
    ).format(env=KEY_ENV)


def secret_marker(value: str) -> str:
    """The marker that replaces a secret: with a key, its keyed fingerprint."""
    key = secret_key()
    if key is None:
        return SECRET_MARKER
    digest = hmac.new(key, value.encode("utf-8", "surrogateescape"), hashlib.sha256)
    return f"{FINGERPRINT}{digest.hexdigest()[:12]}>"


def without_fingerprints(text: str) -> str:
    """Fingerprinted markers back to plain `<removed>` (to compare with a text made without
    the key)."""
    return _FINGERPRINTED.sub(SECRET_MARKER, text) if FINGERPRINT in text else text


def has_fingerprints(text: str) -> bool:
    return FINGERPRINT in text and _FINGERPRINTED.search(text) is not None


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")
_BACKSPACE = re.compile(r"[^\n]\x08")

# -- hooks: code where data cannot say it, resolved by name from the platform YAML --

Hook = Callable[[str], str]
HOOKS: dict[str, Hook] = {}


def hook(name: str) -> Callable[[Hook], Hook]:
    def register(fn: Hook) -> Hook:
        HOOKS[name] = fn
        return fn

    return register


_TRAILING_BLANKS = re.compile(r"[ \t]+$", re.MULTILINE)


@hook("rstrip_lines")
def _rstrip_lines(text: str) -> str:
    """Trailing blanks flap on some firmware (oxidized #3631); they carry no meaning."""
    if " \n" not in text and "\t\n" not in text and not text.endswith((" ", "\t")):
        return text
    return _TRAILING_BLANKS.sub("", text)


@hook("drop_blank_edges")
def _drop_blank_edges(text: str) -> str:
    """No blank lines before the first or after the last line."""
    lines = text.split("\n")
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


@hook("fortios_console_output")
def _fortios_console_output(text: str) -> str:
    """Drop `set output standard|more` from `config system console` (and the block, when
    nothing else is left in it). Every automation session flips this one global setting:
    netmiko's fortinet driver sets `standard` at log-in and restores `more` at log-out, so
    the value a backup reads is the state of whichever session changed it last, not the
    device's own; recorded, it would flap from month to month."""
    if "config system console" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() != "config system console":
            out.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        j = i + 1
        while j < len(lines) and lines[j] != f"{indent}end":
            j += 1
        if j == len(lines):  # no end line: leave the text as it is
            out.extend(lines[i:])
            break
        body = [b for b in lines[i + 1 : j] if not b.strip().startswith("set output ")]
        if body:
            out += [line, *body, lines[j]]
        i = j + 1
    return "\n".join(out)


# -- compiled rules per platform --


def _needle(pattern: str) -> str | None:
    """The longest run of plain characters every match must contain (a cheap `in` pre-check).

    Read from the parsed pattern's top level only; None when there is none (or the
    pattern ignores case), in which case the regex always runs.
    """
    try:
        import re._parser as sre_parse  # Python 3.11+

        parsed = sre_parse.parse(pattern)
    except Exception:  # an exotic pattern: no pre-check, still correct
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    best, run = "", []
    for op, arg in [*list(parsed), (None, None)]:
        if op is sre_parse.LITERAL:
            run.append(chr(arg))
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    return best if len(best) >= 3 else None


_Groups = tuple[tuple[str, ...], frozenset[str]]  # secret groups, default values (lower case)


@dataclass(frozen=True)
class _Compiled:
    secrets: tuple[tuple[re.Pattern[str], _Groups, str | None], ...]
    scoped: tuple[tuple[re.Pattern[str], re.Pattern[str], _Groups], ...]
    blocks: tuple[tuple[re.Pattern[str], re.Pattern[str], bool], ...]
    block_starts: re.Pattern[str] | None  # any block start, multi-line mode: a cheap pre-check
    volatile: re.Pattern[str] | None
    errors: re.Pattern[str] | None
    hooks: tuple[Hook, ...]


def _union(patterns: list[str], flags: int = 0) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@cache
def _compiled(name: str) -> _Compiled:
    p = load_platform(name)
    secrets = []
    scoped = []
    for rule in p.secrets:
        rx = re.compile(rule.pattern, re.MULTILINE)
        groups = (
            tuple(g for g in rx.groupindex if g.startswith("secret")),
            frozenset(v.lower() for v in rule.defaults),
        )
        if rule.section is None:
            secrets.append((rx, groups, _needle(rule.pattern)))
        else:
            scoped.append((re.compile(rule.section), rx, groups))
    return _Compiled(
        secrets=tuple(secrets),
        scoped=tuple(scoped),
        blocks=tuple((re.compile(b.start), re.compile(b.end), b.keep_end) for b in p.secret_blocks),
        block_starts=_union([b.start for b in p.secret_blocks], re.MULTILINE),
        volatile=_union(p.volatile, re.MULTILINE),
        errors=_union(p.errors),
        hooks=tuple(HOOKS[h] for h in p.hooks),
    )


def _platform_name(platform: str | Platform) -> str:
    return platform if isinstance(platform, str) else platform.name


def clean_text(text: str) -> str:
    """Terminal noise out: CR/LF to LF, ANSI escapes and backspaces removed."""
    text = text.replace("\r\n", "\n").replace("\r", "")
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    while "\x08" in text:
        new = _BACKSPACE.sub("", text)
        if new == text:
            return text.replace("\x08", "")
        text = new
    return text


def _in_marker(src: str, start: int, end: int) -> bool:
    """Whether src[start:end] lies inside a marker (a rule whose secret group stops at `:`)."""
    if "<removed" not in src[max(0, start - 40) : end + 40]:
        return False
    return any(
        m.start() <= start and end <= m.end()
        for m in _MASKED.finditer(src, max(0, start - 40), min(len(src), end + 40))
    )


def _mask(match: re.Match[str], groups: _Groups) -> str:
    names, defaults = groups
    spans = sorted(match.span(g) for g in names if match.group(g) is not None)
    src, pos, out = match.string, match.start(), []
    for start, end in spans:
        if start < pos:  # nested or overlapping groups: already masked
            continue
        out.append(src[pos:start])
        value = src[start:end].strip('"')
        if _MASKED.fullmatch(value) or _in_marker(src, start, end):
            out.append(src[start:end])  # already masked (normalising twice changes nothing)
        else:
            out.append(DEFAULT_MARKER if value.lower() in defaults else secret_marker(value))
        pos = end
    out.append(src[pos : match.end()])
    return "".join(out)


def mask_secrets(platform: str | Platform, text: str) -> str:
    """Replace every secret the platform's rules know by the marker (whole text, LF line ends)."""
    rules = _compiled(_platform_name(platform))
    if rules.block_starts is not None and rules.block_starts.search(text):
        text = _mask_blocks(text, rules.blocks)
    for rx, groups, needle in rules.secrets:
        if needle is not None and needle not in text:
            continue
        text = rx.sub(lambda m, g=groups: _mask(m, g), text)  # type: ignore[misc]
    if rules.scoped:
        text = _mask_scoped(text, rules.scoped)
    return text


def _mask_scoped(
    text: str, scoped: tuple[tuple[re.Pattern[str], re.Pattern[str], _Groups], ...]
) -> str:
    """Rules that apply only inside a section, known by its unindented header line."""
    lines = text.split("\n")
    header = ""
    for i, line in enumerate(lines):
        if line and not line[0].isspace():
            header = line
            continue
        for section, rx, groups in scoped:
            if section.search(header):
                lines[i] = rx.sub(lambda m, g=groups: _mask(m, g), lines[i])  # type: ignore[misc]
    return "\n".join(lines)


def _mask_blocks(
    text: str, blocks: tuple[tuple[re.Pattern[str], re.Pattern[str], bool], ...]
) -> str:
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        for start, end, keep_end in blocks:
            m = start.search(line)
            if not m:
                continue
            # skip to the end line (a one-line block ends on the start line itself)
            j = i if end.search(line, m.start() + 1) else i + 1
            while j < len(lines) and not end.search(lines[j]):
                j += 1
            inline = "secret" in start.groupindex and m.group("secret") is not None
            body = line[m.start("secret") :] if inline else ""
            body = "\n".join([body, *lines[i + 1 : j]])
            marker = body.strip() if _MASKED.fullmatch(body.strip()) else secret_marker(body)
            if inline:
                out.append(line[: m.start("secret")] + marker)
            else:
                out.append(line)
                out.append(marker)
            if keep_end and i < j < len(lines):
                out.append(lines[j])
            i = j + 1
            break
        else:
            out.append(line)
            i += 1
    return "\n".join(out)


def normalise_config(platform: str | Platform, text: str) -> str:
    """The configuration as the backup stores it: clean, secrets masked, volatile lines out.

    Ends with exactly one newline (empty string for an empty configuration).
    """
    name = _platform_name(platform)
    rules = _compiled(name)
    text = mask_secrets(name, clean_text(text))
    if rules.volatile is not None:
        text = _drop_lines(text, rules.volatile)
    for fn in rules.hooks:
        text = fn(text)
    body = text.strip("\n")
    return body + "\n" if body else ""


def _drop_lines(text: str, rx: re.Pattern[str]) -> str:
    """Remove every line in which `rx` (multi-line mode) finds a match starting on that line."""
    starts = sorted({text.rfind("\n", 0, m.start()) + 1 for m in rx.finditer(text)})
    if not starts:
        return text
    out, pos = [], 0
    for start in starts:
        if start < pos:
            continue
        out.append(text[pos:start])
        end = text.find("\n", start)
        pos = len(text) if end < 0 else end + 1
    out.append(text[pos:])
    return "".join(out)


def error_lines(platform: str | Platform, text: str) -> list[str]:
    """Lines of `text` that match the platform's error patterns (the device refused a command)."""
    rules = _compiled(_platform_name(platform))
    if rules.errors is None:
        return []
    err = rules.errors
    return [line for line in text.split("\n") if err.search(line)]
