"""Where the nixpkgs tree comes from (indexer/source.py)."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from indexer.errors import FetchError, NotANixpkgsTree
from indexer.source import (
    check_tree,
    decode_sha256,
    fetch_tarball,
    resolve_nixpkgs,
    unpack_tarball,
)

EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize(
    "spelling",
    [
        EMPTY_SHA256,
        # nix-hash --type sha256 --to-base32 <the hex above>
        "0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73",
        "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    ],
    ids=["hex", "nix-base32", "sri"],
)
def test_sha256_spellings_decode_to_the_same_digest(spelling: str) -> None:
    assert decode_sha256(spelling) == bytes.fromhex(EMPTY_SHA256)


@pytest.mark.parametrize("bad", ["", "abc", "sha256-notbase64!", "e" * 52, "z" * 64])
def test_bad_sha256_is_a_fetch_error(bad: str) -> None:
    with pytest.raises(FetchError):
        decode_sha256(bad)


def make_tarball(path: Path, members: dict[str, bytes], top: str = "nixpkgs-abc") -> str:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(f"{top}/{name}" if top else name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pinned_file_tarball_is_unpacked_once_and_reused(tmp_path: Path) -> None:
    archive = tmp_path / "nixpkgs.tar.gz"
    digest = make_tarball(archive, {"default.nix": b"{ ... }: {}"})
    cache = tmp_path / "cache"
    tree = fetch_tarball(archive.as_uri(), digest, cache)
    assert (tree / "default.nix").read_bytes() == b"{ ... }: {}"
    archive.unlink()  # offline from now on: the cache must serve it
    assert fetch_tarball(archive.as_uri(), digest, cache) == tree


def test_wrong_sha256_fails_and_unpacks_nothing(tmp_path: Path) -> None:
    archive = tmp_path / "nixpkgs.tar.gz"
    make_tarball(archive, {"default.nix": b"{}"})
    cache = tmp_path / "cache"
    with pytest.raises(FetchError, match="hash mismatch"):
        fetch_tarball(archive.as_uri(), "0" * 64, cache)
    assert not (cache / "trees").exists()


def test_tarball_escaping_its_folder_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar.gz"
    digest = make_tarball(archive, {"../../outside": b"x", "default.nix": b"{}"}, top="")
    with pytest.raises(FetchError, match="unsafe"):
        fetch_tarball(archive.as_uri(), digest, tmp_path / "cache")
    assert not (tmp_path / "outside").exists()


def test_unreachable_url_is_a_fetch_error(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="cannot fetch"):
        fetch_tarball((tmp_path / "missing.tar.gz").as_uri(), EMPTY_SHA256, tmp_path / "cache")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing", "no such file"),
        (lambda p: (p / "file").write_text("x") and p / "file", "not a directory"),
        (lambda p: p, "no default.nix"),
    ],
    ids=["missing", "file", "no-default-nix"],
)
def test_not_a_nixpkgs_tree(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotANixpkgsTree, match=message):
        check_tree(make(tmp_path))


def test_url_needs_a_pin_and_a_pin_needs_a_url(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="--sha256"):
        resolve_nixpkgs("https://example.invalid/nixpkgs.tar.gz", None)
    with pytest.raises(FetchError, match="URL"):
        resolve_nixpkgs(str(tmp_path), EMPTY_SHA256)


def test_default_is_the_embedded_fixture() -> None:
    tree = resolve_nixpkgs(None, None)
    assert (tree / "default.nix").is_file()
    assert tree.parts[-2:] == ("data", "nixpkgs")


def tarball_with(tmp_path: Path, member: tarfile.TarInfo) -> Path:
    """A tarball holding a harmless file, then `member`."""
    archive = tmp_path / "tree.tar"
    with tarfile.open(archive, "w") as tar:
        ok = tarfile.TarInfo("tree/default.nix")
        ok.size = 2
        tar.addfile(ok, io.BytesIO(b"{}"))
        tar.addfile(member, io.BytesIO(b"x") if member.isfile() else None)
    return archive


def entry(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = 1 if kind == tarfile.REGTYPE else 0
    return info


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (entry("/etc/passwd"), "unsafe path '/etc/passwd'"),
        (entry("tree/../../escape"), "unsafe path 'tree/../../escape'"),
        (entry("tree/link", tarfile.SYMTYPE, "/etc"), "unsafe link 'tree/link'"),
        (entry("tree/link", tarfile.SYMTYPE, "../../etc"), "unsafe link 'tree/link'"),
        # A hard link's target is relative to the archive's root, not its folder.
        (entry("tree/sub/hard", tarfile.LNKTYPE, "../outside"), "unsafe link 'tree/sub/hard'"),
        (entry("tree/dev", tarfile.CHRTYPE), "unsupported member 'tree/dev'"),
        (entry("tree/fifo", tarfile.FIFOTYPE), "unsupported member 'tree/fifo'"),
    ],
    ids=["absolute", "dotdot", "symlink-absolute", "symlink-up", "hardlink-up", "device", "fifo"],
)
def test_an_untrusted_tarball_cannot_write_outside_its_folder(
    tmp_path: Path, member: tarfile.TarInfo, message: str
) -> None:
    into = tmp_path / "unpacked"
    with pytest.raises(FetchError, match=message):
        unpack_tarball(tarball_with(tmp_path, member), into)
    assert not (tmp_path / "outside").exists() and not (tmp_path / "escape").exists()


@pytest.mark.parametrize(
    "member",
    [
        entry("tree/pkgs/link", tarfile.SYMTYPE, "../default.nix"),
        entry("tree/hard", tarfile.LNKTYPE, "tree/default.nix"),
    ],
    ids=["symlink-inside", "hardlink-inside"],
)
def test_links_inside_the_tree_are_kept(tmp_path: Path, member: tarfile.TarInfo) -> None:
    into = tmp_path / "unpacked"
    unpack_tarball(tarball_with(tmp_path, member), into)
    assert (into / member.name).read_text() == "{}"


def test_a_truncated_tarball_is_a_fetch_error(tmp_path: Path) -> None:
    archive = tarball_with(tmp_path, entry("tree/a"))
    archive.write_bytes(archive.read_bytes()[:700])
    with pytest.raises(FetchError, match="not a tarball"):
        unpack_tarball(archive, tmp_path / "unpacked")
