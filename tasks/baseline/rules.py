"""The hardening baseline as data: strict models for the rule files, validated on load.

    policy/baseline/controls.yaml    the GB/T 22239-2019 clauses checks may name
    policy/baseline/site.yaml        the site's values (`${syslog_server}`) and switched-off checks
    policy/baseline/<platform>.yaml  the platform's syntax and its checks

`load_rules(directory)` reads them all. A mistake in any file stops the audit before a
configuration is read: one `PolicyError` naming the file, the line and the field (exit
2), never a traceback and never on device 612. Site values are substituted (`${name}`)
before validation, so a regex built from a value is checked like any other.

A check is one of three conditions over the lines of a scope (the top level, or every
section matching a header path, optionally only sections that carry / lack a line, or
the ports the port policy calls unused):

- `forbid: REGEX`   every line matching it is a finding (the line is the evidence);
- `require: REGEX`  a scope without a matching line is a finding;
- `value:`          numbers in matching lines must lie within [min, max]; `default` is the
                    platform's value when no line says otherwise (None: the line is required).
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from netsteward.tasks.baseline.tree import ConfigSyntax
from netsteward.tasks.core.errors import PolicyError
from netsteward.tasks.core.i18n import _, current_language
from netsteward.tasks.core.yamlfile import YamlDoc, load_yaml, validate
from netsteward.tasks.ports.policy import KNOWN_ROLES
from netsteward.tasks.ports.policy import _check_regex as _regex

DEFAULT_RULES = Path("policy/baseline")
SEVERITIES = ("high", "medium", "low")
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}
CATEGORIES = (
    "identity",
    "remote_management",
    "snmp",
    "audit",
    "services",
    "firewall",
)
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Control(_Strict):
    """One clause of GB/T 22239-2019 (level 3), in both languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class CheckText(_Strict):
    """One requirement of the baseline, whatever the platform: its clause and its words."""

    control: str
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Controls(_Strict):
    version: int = Field(ge=1, le=1)
    standard: str
    controls: dict[str, Control] = Field(min_length=1)
    checks: dict[str, CheckText] = Field(min_length=1)

    @model_validator(mode="after")
    def _known(self) -> Controls:
        for cid, c in self.checks.items():
            if c.control not in self.controls:
                raise ValueError(f"check {cid}: unknown clause {c.control!r}")
        return self

    @field_validator("controls")
    @classmethod
    def _ids(cls, v: dict[str, Control]) -> dict[str, Control]:
        for key in v:
            if not re.fullmatch(r"\d+(\.\d+)+( [a-z])?", key):
                raise ValueError(f"{key!r} is not a clause number like '8.1.4.1 b'")
        return v


class Site(_Strict):
    version: int = Field(ge=1, le=1)
    variables: dict[str, str] = {}
    disable: list[str] = []  # check ids the site does not use
    severity: dict[str, Literal["high", "medium", "low"]] = {}  # check id -> site severity


class Value(_Strict):
    """A number a configuration line carries, e.g. `idle-timeout (?P<value>\\d+)`."""

    pattern: str
    min: int | None = None
    max: int | None = None
    default: int | None = (
        None  # the platform's value when no line sets it; None: a line is required
    )

    @field_validator("pattern")
    @classmethod
    def _group(cls, v: str) -> str:
        _regex(v)
        if "(?P<value>" not in v:
            raise ValueError("needs a named group (?P<value>...) around the number")
        return v

    @model_validator(mode="after")
    def _bounds(self) -> Value:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self

    def ok(self, number: int) -> bool:
        return (self.min is None or number >= self.min) and (self.max is None or number <= self.max)


class When(_Strict):
    """The check applies only when some line of the configuration matches / none does."""

    present: str | None = None
    absent: str | None = None

    @field_validator("present", "absent")
    @classmethod
    def _rx(cls, v: str | None) -> str | None:
        return None if v is None else _regex(v)


class Remediation(_Strict):
    """What fixes a finding, in the vendor's syntax.

    `fix` lines go into the finding's section; `undo` restores the state before (for
    the plan's rollback). `{evidence}` stands for the offending line. Only `auto`
    remediations go into `audit baseline --plan`; the others are advice (`note`, and
    `note_zh` for reports in Chinese).
    """

    fix: list[str] = []
    undo: list[str] = []
    auto: bool = False
    note: str = ""
    note_zh: str = ""

    @model_validator(mode="after")
    def _auto(self) -> Remediation:
        if self.auto and (not self.fix or not self.undo):
            raise ValueError("an automatic remediation needs both fix and undo lines")
        if not self.fix and not (self.note or self.note_zh):
            raise ValueError("give the fix lines or a note saying what to do")
        return self


class Check(_Strict):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
    title: str = Field(min_length=1)  # the requirement, one line
    category: Literal["identity", "remote_management", "snmp", "audit", "services", "firewall"]
    control: str  # a clause of controls.yaml
    cis: str | None = None  # the CIS benchmark item, where one exists
    severity: Literal["high", "medium", "low"]
    roles: list[str] = []  # empty: every role
    when: When | None = None
    section: list[str] = []  # header regexes, outermost first; empty: the top level
    where: str | None = None  # only sections with a line matching this
    unless: str | None = None  # not sections with a line matching this
    ports: Literal["unused"] | None = None  # the interfaces the port policy calls unused
    require_section: bool = False  # no matching section at all is a finding
    anywhere: bool = False  # forbid: lines at any depth of the configuration
    deep: bool = False  # lines nested below the section's direct children count too
    forbid: str | None = None
    require: str | None = None
    value: Value | None = None
    remediation: Remediation

    @field_validator("roles")
    @classmethod
    def _roles(cls, v: list[str]) -> list[str]:
        for role in v:
            if role not in KNOWN_ROLES:
                raise ValueError(f"unknown role {role!r}; roles are {', '.join(KNOWN_ROLES)}")
        return v

    @field_validator("section")
    @classmethod
    def _section(cls, v: list[str]) -> list[str]:
        return [_regex(x) for x in v]

    @field_validator("where", "unless", "forbid", "require")
    @classmethod
    def _rx(cls, v: str | None) -> str | None:
        return None if v is None else _regex(v)

    @model_validator(mode="after")
    def _shape(self) -> Check:
        kinds = [k for k in ("forbid", "require", "value") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of forbid, require, value")
        sectional = bool(self.section) or self.ports is not None
        for name in ("where", "unless", "require_section"):
            if getattr(self, name) and not sectional:
                raise ValueError(f"{name} needs section (or ports)")
        if self.anywhere and (sectional or self.forbid is None):
            raise ValueError("anywhere goes with forbid at the top level only")
        value = self.value
        always_a_line = self.forbid is not None or (
            value is not None and value.default is not None and value.ok(value.default)
        )
        if (
            "{evidence}" in " ".join(self.remediation.undo + self.remediation.fix)
            and not always_a_line
        ):
            raise ValueError(
                "{evidence} needs a check whose findings always have an offending line "
                "(forbid, or value with a default inside the bounds)"
            )
        return self

    @property
    def kind(self) -> str:
        return "forbid" if self.forbid else "require" if self.require else "value"


class RuleFile(_Strict):
    version: int = Field(ge=1, le=1)
    platform: str
    syntax: ConfigSyntax = ConfigSyntax()
    checks: list[Check] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> RuleFile:
        seen: set[str] = set()
        for check in self.checks:
            pattern = check.forbid or check.require or (check.value and check.value.pattern)
            key = "|".join([check.id, str(pattern), *check.section, ",".join(check.roles)])
            if key in seen:
                raise ValueError(f"check {check.id} is defined twice with the same condition")
            seen.add(key)
        return self


@dataclass(frozen=True)
class Rules:
    """Everything the audit needs: per-platform rule files, the clauses, the site."""

    platforms: dict[str, RuleFile]
    controls: Controls
    site: Site
    files: dict[str, str] = field(default_factory=dict)  # platform -> file path
    digest: str = ""  # sha256 of every file's text, recorded in plans

    def checks(self, platform: str, role: str | None) -> list[Check]:
        """The enabled checks for a device (role None: only checks for every role)."""
        rules = self.platforms.get(platform)
        if rules is None:
            return []
        off = set(self.site.disable)
        return [
            c
            for c in rules.checks
            if c.id not in off and (not c.roles or (role is not None and role in c.roles))
        ]

    def title(self, check: Check) -> str:
        """The check's requirement for people: the rule file's title, or in Chinese the
        catalogue's (a rule file is written in one language; the catalogue carries both)."""
        text = self.controls.checks.get(check.id)
        return text.zh if text is not None and current_language() == "zh" else check.title

    def note(self, check: Check) -> str:
        """The check's remediation advice in the reader's language (English when no
        Chinese is given)."""
        rem = check.remediation
        return rem.note_zh if rem.note_zh and current_language() == "zh" else rem.note

    def severity(self, check: Check) -> str:
        return self.site.severity.get(check.id, check.severity)

    def used_checks(self) -> dict[str, CheckText]:
        """The catalogue entry of every check id some rule file uses, sorted by id."""
        used = {c.id for r in self.platforms.values() for c in r.checks}
        return {cid: self.controls.checks[cid] for cid in sorted(used)}

    def check_severity(self, check_id: str) -> str:
        """A check id's severity: the site's, else the highest its rules give it."""
        if check_id in self.site.severity:
            return self.site.severity[check_id]
        found = [c.severity for r in self.platforms.values() for c in r.checks if c.id == check_id]
        return max(found, key=lambda s: SEVERITY_RANK[s]) if found else "medium"


# -- loading ---------------------------------------------------------------------


def _load_yaml(path: Path) -> YamlDoc:
    """The YAML document at `path`, through the one loader (`netsteward.tasks.core.yamlfile`):
    a mapping, or one PolicyError naming the file and line."""
    doc = load_yaml(path, error=PolicyError)
    if not isinstance(doc.data, dict):
        raise PolicyError(_("the file must be a mapping"), file=str(path), line=1)
    return doc


def line_of(path: Path, loc: tuple[int | str, ...]) -> int:
    """The line of `loc` (keys and indices) in the YAML file at `path` (1 when unknown)."""
    return _load_yaml(path).line_of(loc) or 1


def _items(node: Any) -> list[tuple[Any, Any]]:
    """(key, value) of a mapping, (index, value) of a list, nothing for a scalar."""
    if isinstance(node, dict):
        return list(node.items())
    return list(enumerate(node)) if isinstance(node, list) else []


def load_file(model: type[BaseModel], path: Path, variables: dict[str, str] | None = None) -> Any:
    """`path` validated as `model` (site values filled in first); a mistake is one
    PolicyError naming the file, the line and the field."""
    doc = _load_yaml(path)
    data = copy.deepcopy(doc.data)
    if variables is not None:
        _substitute(data, variables, doc)
    return validate(doc, model, error=PolicyError, data=data)


def _substitute(
    node: Any, variables: dict[str, str], doc: YamlDoc, loc: tuple[Any, ...] = ()
) -> None:
    """Replace `${name}` in every string, in place; an unknown name names its line."""
    for key, value in _items(node):
        if isinstance(value, str):
            missing = [m for m in _VAR.findall(value) if m not in variables]
            if missing:
                raise PolicyError(
                    _("unknown site value ${{{name}}} (site.yaml variables: {known})").format(
                        name=missing[0], known=", ".join(sorted(variables)) or _("none")
                    ),
                    file=doc.source,
                    line=doc.line_of((*loc, key)) or 1,
                    field=".".join(str(p) for p in (*loc, key)),
                )
            node[key] = _VAR.sub(lambda m: variables[m.group(1)], value)
        else:
            _substitute(value, variables, doc, (*loc, key))


def load_rules(directory: Path | str = DEFAULT_RULES) -> Rules:
    """Read and validate controls.yaml, site.yaml and every `<platform>.yaml` in `directory`."""
    from netsteward.tasks.platforms import PLATFORMS

    root = Path(directory)
    if not root.is_dir():
        raise PolicyError("rule directory not found", file=str(root), field="--rules")
    digest = hashlib.sha256()
    texts: list[Path] = []
    controls_path, site_path = root / "controls.yaml", root / "site.yaml"
    controls: Controls = load_file(Controls, controls_path)
    site: Site = load_file(Site, site_path) if site_path.exists() else Site(version=1)
    texts += [controls_path] + ([site_path] if site_path.exists() else [])
    platforms: dict[str, RuleFile] = {}
    files: dict[str, str] = {}
    for path in sorted(root.glob("*.yaml")):
        if path.stem in ("controls", "site", "waivers"):
            continue
        if path.stem not in PLATFORMS:
            raise PolicyError(
                f"not a platform name (known: {', '.join(PLATFORMS)}; and controls, site, waivers)",
                file=str(path),
            )
        rules: RuleFile = load_file(RuleFile, path, site.variables)
        if rules.platform != path.stem:
            raise PolicyError(
                f"declares platform {rules.platform!r}",
                file=str(path),
                line=line_of(path, ("platform",)),
                field="platform",
            )
        for i, check in enumerate(rules.checks):
            known = controls.checks.get(check.id)
            problem, where = None, "id"
            if known is None:
                problem = f"unknown check id {check.id!r} (not in {controls_path.name} checks)"
            elif check.control != known.control:
                problem = f"{check.id} supports clause {known.control} ({controls_path.name}), not {check.control!r}"
                where = "control"
            if problem:
                raise PolicyError(
                    problem,
                    file=str(path),
                    line=line_of(path, ("checks", i, where)),
                    field=f"checks.{i}.{where}",
                )
        platforms[rules.platform] = rules
        files[rules.platform] = str(path)
        texts.append(path)
    used = {c.id for r in platforms.values() for c in r.checks}
    for i, check_id in enumerate([*site.disable, *site.severity]):
        if check_id not in used:
            raise PolicyError(
                f"no check {check_id!r} in any rule file",
                file=str(site_path),
                field="disable" if i < len(site.disable) else "severity",
            )
    for path in texts:
        digest.update(path.read_bytes())
    return Rules(platforms, controls, site, files, digest.hexdigest()[:16])
