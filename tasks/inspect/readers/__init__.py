"""The inspection's health readers, one module per vendor (registered on import under
`<platform>.<what>`; the platform files' `reads:` name them for the `inspect.*` purposes).
The line-rule engine they are written with is `common`."""

from netsteward.tasks.inspect.readers import (  # noqa: F401  (registration on import)
    brocade_fos,
    cisco_asa,
    cisco_ios,
    firewalls,
    hp_comware,
    huawei_vrp,
    logs,
    saved,
)
