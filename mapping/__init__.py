"""Pure mapping from dump records to PyPI names, versions and inputs.

No I/O, no Nix, no SQL: functions of their arguments only.
"""
