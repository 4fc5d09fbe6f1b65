"""Publishing an index, and installing a published one.

`publish` (publish.py) writes a VACUUMed, zstd-compressed copy of an index,
a manifest of what it holds (manifest.py) and the manifest's minisign
signature (sign.py), after checking that the index is fit to share
(fitness.py). `fetch` (fetch.py) downloads a manifest over http(s) or from a
file (transport.py), verifies it against a pinned public key, and installs
the file it names in one rename. docs/publishing.md is the how-to.
"""

# Where `publish` reads an encrypted secret key's password. Here, not in
# sign.py: the command line names it in --help without importing the
# signature code (and `cryptography`) at every start.
PASSWORD_ENV = "NIXPKGS_PYINDEX_KEY_PASSWORD"
