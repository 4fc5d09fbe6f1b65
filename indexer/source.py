"""Where the nixpkgs tree comes from: a local folder, or a pinned tarball.

A tarball is fetched with urllib (file://, http://, https://), checked
against its sha256 before anything is unpacked, and unpacked once into a
cache folder named after that hash; later runs reuse it offline.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

from indexer.errors import FetchError, NotANixpkgsTree
from indexer.paths import default_cache_dir
from indexer.resources import data_path
from indexer.tempdirs import temporary_dir

# Nix's base-32 alphabet (no e, o, u, t).
NIX_BASE32 = "0123456789abcdfghijklmnpqrsvwxyz"


def default_nixpkgs() -> Path:
    """The embedded fixture nixpkgs (data/nixpkgs)."""
    try:
        tree = data_path("nixpkgs")
    except FileNotFoundError:
        tree = None
    if tree is None or not (tree / "default.nix").is_file():
        raise NotANixpkgsTree(
            "the embedded nixpkgs (data/nixpkgs) is missing from this installation"
        )
    return tree


def decode_sha256(text: str) -> bytes:
    """The 32 bytes of a sha256 given as hex, Nix base-32, or SRI (sha256-…)."""
    text = text.strip()
    if text.startswith("sha256-"):
        try:
            digest = base64.b64decode(text[len("sha256-") :], validate=True)
        except ValueError as e:
            raise FetchError(f"invalid SRI hash {text!r}") from e
    elif len(text) == 64:
        try:
            digest = bytes.fromhex(text)
        except ValueError as e:
            raise FetchError(f"invalid hex sha256 {text!r}") from e
    elif len(text) == 52:
        digest = _decode_nix_base32(text)
    else:
        raise FetchError(f"{text!r} is not a sha256 (hex, Nix base-32 or sha256-… SRI)")
    if len(digest) != 32:
        raise FetchError(f"{text!r} is not a sha256")
    return digest


def _decode_nix_base32(text: str) -> bytes:
    out = bytearray(32)
    for n, char in enumerate(reversed(text)):
        digit = NIX_BASE32.find(char)
        if digit < 0:
            raise FetchError(f"invalid character {char!r} in Nix base-32 hash")
        b = n * 5
        i, j = divmod(b, 8)
        out[i] |= (digit << j) & 0xFF
        if i + 1 < 32:
            out[i + 1] |= digit >> (8 - j)
        elif digit >> (8 - j):
            raise FetchError(f"invalid Nix base-32 hash {text!r}")
    return bytes(out)


def is_url(spec: str) -> bool:
    return "://" in spec


def resolve_nixpkgs(spec: str | None, sha256: str | None, cache_dir: Path | None = None) -> Path:
    """The local folder of the nixpkgs that `spec` names (None: the fixture)."""
    if spec is None:
        if sha256 is not None:
            raise FetchError("--sha256 goes with --nixpkgs URL")
        return default_nixpkgs()
    if is_url(spec):
        if sha256 is None:
            raise FetchError("a nixpkgs URL must be pinned: add --sha256 HASH")
        return fetch_tarball(spec, sha256, cache_dir or default_cache_dir())
    if sha256 is not None:
        raise FetchError("--sha256 goes with --nixpkgs URL, not with a local path")
    return check_tree(Path(spec))


def check_tree(path: Path) -> Path:
    path = path.expanduser()
    if not path.exists():
        raise NotANixpkgsTree(f"{path}: no such file or directory")
    if not path.is_dir():
        raise NotANixpkgsTree(f"{path} is not a directory")
    if not (path / "default.nix").is_file():
        raise NotANixpkgsTree(f"{path} is not a nixpkgs tree: it has no default.nix")
    return path.resolve()


def fetch_tarball(url: str, sha256: str, cache_dir: Path) -> Path:
    digest = decode_sha256(sha256)
    target = cache_dir / "trees" / digest.hex()
    if (target / "default.nix").is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Named after its owner: a fetch killed midway is removed by the next.
    with temporary_dir(".fetch-", cache_dir) as tmp:
        archive = Path(tmp) / "archive"
        got = download(url, archive)
        if got != digest:
            raise FetchError(
                f"hash mismatch for {url}: expected sha256 {digest.hex()}, got {got.hex()}"
            )
        unpacked = Path(tmp) / "unpacked"
        unpack_tarball(archive, unpacked)
        entries = list(unpacked.iterdir())
        root = entries[0] if len(entries) == 1 and entries[0].is_dir() else unpacked
        check_tree(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        os.replace(root, target)
    return target


def download(url: str, into: Path, timeout: float = 60) -> bytes:
    """Stream `url` into the file `into`; the SHA-256 digest of what came."""
    hasher = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(into, "wb") as out:
            while chunk := response.read(1 << 20):
                hasher.update(chunk)
                out.write(chunk)
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise FetchError(f"cannot fetch {url}: {getattr(e, 'reason', e)}") from e
    return hasher.digest()


def unpack_tarball(archive: Path, into: Path) -> None:
    """Unpack a tarball of an untrusted tree, refusing members that would land
    outside `into` (absolute or `..` paths, links pointing out)."""
    into.mkdir()
    try:
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                name = Path(member.name)
                if name.is_absolute() or ".." in name.parts:
                    raise FetchError(f"unsafe path {member.name!r} in the tarball")
                if member.issym() or member.islnk():
                    # A symlink is read from its own folder, a hard link from the root.
                    base = os.path.dirname(member.name) if member.issym() else ""
                    link = os.path.normpath(os.path.join(base, member.linkname))
                    if os.path.isabs(member.linkname) or link == ".." or link.startswith("../"):
                        raise FetchError(f"unsafe link {member.name!r} in the tarball")
                elif not (member.isfile() or member.isdir()):
                    raise FetchError(f"unsupported member {member.name!r} in the tarball")
            tar.extractall(into)  # noqa: S202 - members checked above
    except (tarfile.TarError, EOFError) as e:
        raise FetchError(f"not a tarball: {e}") from e
    except OSError as e:
        raise FetchError(f"cannot unpack into {into}: {e.strerror}") from e
