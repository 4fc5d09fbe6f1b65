"""Review: the audit of attribute names (rules, checks, run, report, PyPI names, Datasette)."""
