"""The store's writers stop at named points of indexer.checkpoints (a leaf,
so that every stage can have its own points); imported from here too."""

from indexer.checkpoints import ENV, checkpoint

__all__ = ["ENV", "checkpoint"]
