"""Storage: the embedded SQLite database, migrations and small helpers plugins share."""

from corehub.storage.db import (
    FROZEN_PREFIX,
    dumps,
    freeze_with_cycle,
    from_row,
    loads,
    open_database,
)

__all__ = ["FROZEN_PREFIX", "dumps", "freeze_with_cycle", "from_row", "loads", "open_database"]
