"""One exception root for netsteward; each subclass knows its exit code.

Exit codes are the same for every command:
0 clean, 1 findings / drift / changes, 2 bad input or usage, 3 devices unreachable or unreadable.
"""

from __future__ import annotations

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_UNREACHABLE = 3
EXIT_INTERNAL = 70  # a bug in netsteward (sysexits EX_SOFTWARE), never an outcome


class NetstewardError(Exception):
    """Root of every error netsteward raises on purpose. `str()` is one line for people."""

    exit_code = EXIT_BAD_INPUT


class BadInput(NetstewardError):
    """Bad input file, argument or environment. Carries file, line and field when known."""

    exit_code = EXIT_BAD_INPUT

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class InventoryError(BadInput):
    """The inventory does not validate."""


class PolicyError(BadInput):
    """A policy or intent file does not validate."""


class CredentialsMissing(BadInput):
    """No credentials in the environment for some hosts."""


class DevicesUnreachable(NetstewardError):
    """Some devices could not be reached or read."""

    exit_code = EXIT_UNREACHABLE


class DeviceUnreadable(NetstewardError):
    """One device could not be read; `str()` is the reason (kind, and attempts when retried)."""

    exit_code = EXIT_UNREACHABLE


class BrokerUnreachable(NetstewardError):
    """The Celery engine's broker (Redis) does not answer: nothing was sent, nothing written."""

    exit_code = EXIT_UNREACHABLE
