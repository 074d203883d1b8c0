"""Which engine runs a fleet job, and how the Celery engine routes hosts to queues.

Site settings live in the Nornir configuration, under `user_defined` (validated on load,
one line `file:line: field: problem` for a mistake):

    user_defined:
      engine: celery                  # local (the default) or celery
      celery:
        broker_url: redis://127.0.0.1:6379/0   # $NETSTEWARD_BROKER_URL wins
        queues: {egov_intranet: egov_intranet, base: base}   # inventory group -> queue
        default_queue: netsteward     # hosts in none of those groups (null: bad input)
        shard_size: 50                # hosts per message
        queue_wait: 30                # seconds a queue may have no worker before its
                                      # devices are reported unreachable
        visibility_timeout: 3600      # seconds before a message a dead worker held is
                                      # delivered again (longer than the slowest shard)

Routing is data: the first group of `queues` (in the file's order) that a host belongs to
names its queue. Nothing here imports Celery: the local engine never needs it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.core.i18n import _
from netsteward.tasks.core.yamlfile import load_yaml, validate

BROKER_ENV = "NETSTEWARD_BROKER_URL"
ENGINES = ("local", "celery")
_QUEUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_LOOPBACK = re.compile(r"^(?:redis|rediss)://(?:[^@/]*@)?(?:127\.\d+\.\d+\.\d+|localhost)(?::\d+)?")


def queue_name(value: str) -> str:
    if not _QUEUE.match(value):
        raise ValueError(
            _("not a queue name (letters, digits, _ . -): {value!r}").format(value=value)
        )
    return value


class CelerySettings(BaseModel):
    """`user_defined.celery` of the Nornir configuration."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    broker_url: str = "redis://127.0.0.1:6379/0"
    result_backend: str | None = None  # default: the broker
    queues: dict[str, str] = Field(default_factory=dict)
    default_queue: str | None = "netsteward"
    shard_size: int = Field(50, ge=1, le=10_000)
    queue_wait: float = Field(30.0, gt=0, le=86_400)
    visibility_timeout: float = Field(3600.0, ge=5, le=86_400 * 7)

    @field_validator("queues")
    @classmethod
    def _queues(cls, value: dict[str, str]) -> dict[str, str]:
        for queue in value.values():
            queue_name(queue)
        return value

    @field_validator("default_queue")
    @classmethod
    def _default(cls, value: str | None) -> str | None:
        return None if value is None else queue_name(value)

    @property
    def backend_url(self) -> str:
        return self.result_backend or self.broker_url


class _UserDefined(BaseModel):
    model_config = ConfigDict(extra="ignore")  # other keys belong to other features (language)

    engine: Literal["local", "celery"] = "local"
    celery: CelerySettings = Field(default_factory=lambda: CelerySettings.model_validate({}))


class _Root(BaseModel):
    model_config = ConfigDict(extra="ignore")

    user_defined: _UserDefined = Field(default_factory=_UserDefined)


@dataclass(frozen=True)
class EngineSettings:
    engine: str
    celery: CelerySettings


def load_engine_settings(config: Path, engine: str | None = None) -> EngineSettings:
    """The engine (`engine`, e.g. from `--engine`, else the site setting, else local) and the
    Celery settings of a Nornir configuration; $NETSTEWARD_BROKER_URL overrides the broker."""
    doc = load_yaml(config)
    root = validate(doc, _Root, data=doc.data if isinstance(doc.data, dict) else {})
    celery = root.user_defined.celery
    env_url = os.environ.get(BROKER_ENV)
    if env_url:
        celery = celery.model_copy(update={"broker_url": env_url})
    chosen = engine or root.user_defined.engine
    if chosen not in ENGINES:
        raise BadInput(
            _("unknown engine {engine!r} (local or celery)").format(engine=chosen),
            field="--engine",
        )
    return EngineSettings(engine=chosen, celery=celery)


def loopback_only(url: str, where: str) -> None:
    """netsteward talks to a broker on this machine's loopback only (a site that runs its
    broker elsewhere puts a TLS tunnel's loopback end here)."""
    if not _LOOPBACK.match(url):
        raise BadInput(
            _("the broker must be a redis:// URL on 127.0.0.0/8 (got {url})").format(
                url=redacted(url)
            ),
            field=where,
        )


def redacted(url: str) -> str:
    """A broker URL for people: a password in it never reaches the terminal or a log."""
    return re.sub(r"//([^:@/]*):[^@/]*@", r"//\1:***@", url)


# -- routing -----------------------------------------------------------------------


@dataclass(frozen=True)
class Shard:
    queue: str
    hosts: tuple[str, ...]


def queue_of(groups: list[str], settings: CelerySettings) -> str | None:
    """The queue of a host with these inventory groups (first routed group wins)."""
    for group, queue in settings.queues.items():
        if group in groups:
            return queue
    return settings.default_queue


def make_shards(hosts: dict[str, list[str]], settings: CelerySettings) -> list[Shard]:
    """Hosts (name -> groups) split into shards of at most `shard_size`, per queue, in
    name order; a host no queue takes is bad input (exit 2), found before anything runs."""
    by_queue: dict[str, list[str]] = {}
    for name in sorted(hosts):
        queue = queue_of(hosts[name], settings)
        if queue is None:
            raise BadInput(
                _(
                    "host {host} is in no group of user_defined.celery.queues and there is no "
                    "default_queue"
                ).format(host=name),
                field="user_defined.celery.queues",
            )
        by_queue.setdefault(queue, []).append(name)
    size = settings.shard_size
    return [
        Shard(queue, tuple(names[i : i + size]))
        for queue, names in sorted(by_queue.items())
        for i in range(0, len(names), size)
    ]


def describe(settings: CelerySettings) -> dict[str, Any]:
    """The settings for --json and logs (the broker's password masked)."""
    return {
        "broker": redacted(settings.broker_url),
        "queues": dict(settings.queues),
        "default_queue": settings.default_queue,
        "shard_size": settings.shard_size,
        "queue_wait": settings.queue_wait,
    }
