"""The topology's readers (LLDP/CDP neighbours, LAG membership, facts), registered by name in
`netsteward.tasks.core.reading.READERS`; `tasks/platforms/<name>.yaml` (`reads:`) says which
command each one reads."""

from netsteward.tasks.topology.readers import facts, lags, neighbors

__all__ = ["facts", "lags", "neighbors"]
