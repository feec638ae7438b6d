"""Where Maestro keeps the user's own data: the signing identity, the custody ledger, the rights
registry. `$MAESTRO_HOME`, else `$XDG_DATA_HOME/maestro`, else `~/.local/share/maestro`.

>>> import os
>>> before = os.environ.get("MAESTRO_HOME")
>>> os.environ["MAESTRO_HOME"] = "/tmp/maestro-doc"
>>> str(data_folder())
'/tmp/maestro-doc'
>>> _ = os.environ.pop("MAESTRO_HOME")
>>> if before is not None:
...     os.environ["MAESTRO_HOME"] = before
"""
from __future__ import annotations

import os
from pathlib import Path


def data_folder() -> Path:
    """The folder of the user's own Maestro data (not created here)."""
    if os.environ.get("MAESTRO_HOME"):
        return Path(os.environ["MAESTRO_HOME"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "maestro"
