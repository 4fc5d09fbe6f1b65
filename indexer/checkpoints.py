"""Named points of a long run where the tests stop it to kill it.

`NIXPKGS_PYINDEX_PAUSE_AT=NAME` makes a run say "paused at NAME" on stderr
and sleep there, so that a test can SIGKILL it at exactly that point (in the
middle of an ingest's transaction, say) and check what the database holds.
"""

from __future__ import annotations

import os
import time

ENV = "NIXPKGS_PYINDEX_PAUSE_AT"


def checkpoint(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.write(2, f"nixpkgs-pyindex: paused at {name}\n".encode())
        time.sleep(3600)
