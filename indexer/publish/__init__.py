"""Publishing an index, and installing a published one.

`publish` (publish.py) writes a VACUUMed, zstd-compressed copy of an index,
a manifest of what it holds (manifest.py) and the manifest's minisign
signature (sign.py), after checking that the index is fit to share
(fitness.py). `fetch` (fetch.py) downloads a manifest over http(s) or from a
file (transport.py), verifies it against a pinned public key, and installs
the file it names in one rename. docs/publishing.md is the how-to.
"""
