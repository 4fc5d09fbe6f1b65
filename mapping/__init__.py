"""Pure mapping from dump records to PyPI names, versions and inputs.

No I/O, no Nix, no SQL: functions of their arguments only.

- ``mapping.names``: canonical names; PyPI names read from source URLs, purls
  and Nix derivation names.
- ``mapping.versions``: versions as spelled, and as PEP 440 where they are.
- ``mapping.overrides``: validation of the curated ``data/pypi-overrides.json``.
- ``mapping.identity``: the PyPI project of one record, with its evidence.
- ``mapping.modules``: whether a derivation is a Python module, a setup hook, or neither.
- ``mapping.inputs``: a record's input lists, told Python module or native.
- ``mapping.attributes``: attribute kinds (canonical, versioned, variant) and the candidates' rank.
- ``mapping.evalerrors``: what the evaluator printed: warnings, and the kind of an error by its wording.
- ``mapping.records``: the stored columns of a record.
- ``mapping.status``: broken, available, and why a resolver leaves a package out.
- ``mapping.pypiurls``: PyPI source URLs that PyPI cannot serve.
"""
