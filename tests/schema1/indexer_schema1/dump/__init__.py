"""Evaluate: the dump of a nixpkgs tree (format, orchestrator, worker, evaluator)."""
